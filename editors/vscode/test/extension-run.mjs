// Activates and deactivates the extension's bundle once, on the stand-in
// vscode module, and prints what the user would have seen as JSON:
// {"messages": [...], "output": "..."}. extension.test.mjs runs it in a
// process of its own per case, because vscode-languageclient leaves
// promises rejected when a server dies while it starts (VS Code logs them).
//
//	node test/extension-run.mjs '{"settings": {...}, "folder": "...", "documents": [...]}'
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const libraryRejections = [/EPIPE/, /Client is not running and can't be stopped/, /connection got disposed/];
process.on("unhandledRejection", (err) => {
  if (!libraryRejections.some((re) => re.test(String(err?.message ?? err)))) {
    console.error("unhandled rejection:", err);
    process.exit(1);
  }
});

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const fake = require("./vscode-fake.cjs");
const extension = require(path.join(here, "..", "out", "extension.js"));

const { settings, folder, documents } = JSON.parse(process.argv[2]);
fake.reset(settings, folder, documents);
await extension.activate({ subscriptions: [] });
if (documents?.length) {
  // The server's diagnostics for the documents opened, or a timeout.
  for (let i = 0; i < 100 && fake.diagnostics.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
}
await extension.deactivate();
await new Promise((resolve) => setTimeout(resolve, 100)); // the client's last rejections, if any
console.log(JSON.stringify({
  messages: fake.messages,
  output: fake.output.join(""),
  diagnostics: fake.diagnostics.map((d) => ({ uri: d.uri, messages: d.diagnostics.map((x) => x.message) })),
}));
process.exit(0);
