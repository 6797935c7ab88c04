// Validates AsyncAPI documents with the AsyncAPI parser: every file named
// on the command line must parse with no diagnostic of severity error
// (0) or warning (1). Prints each diagnostic; exits 1 when any file fails.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Parser, DiagnosticSeverity } from "@asyncapi/parser";

const parser = new Parser();
let failed = false;
for (const file of process.argv.slice(2)) {
  const text = await readFile(file, "utf8");
  const { document, diagnostics } = await parser.parse(text, {
    source: pathToFileURL(resolve(file)).href,
  });
  const bad = diagnostics.filter(
    (d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning,
  );
  for (const d of bad) {
    const where = d.range ? `${d.range.start.line + 1}:${d.range.start.character + 1}` : "";
    console.error(`${file}:${where}: ${d.code}: ${d.message} (${(d.path || []).join(".")})`);
  }
  if (!document || bad.length > 0) {
    failed = true;
    continue;
  }
  const channels = document.channels().all().map((c) => `${c.id()} ${c.address()}`);
  const messages = document.allMessages().length;
  console.log(`${file}: valid AsyncAPI ${document.version()}: ${channels.join(", ")}; ${messages} messages`);
}
process.exit(failed ? 1 : 0);
