// Runs the extension's bundle (out/extension.js, built by npm run build)
// outside VS Code, on the stand-in vscode module of vscode-fake.cjs: it must
// start the configured command with lsp appended, in the workspace folder,
// speak LSP with it over stdio, stop it, and say clearly when it cannot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), "esgen-extension-"));
const folder = path.join(tmp, "project");
mkdirSync(folder);
const server = path.join(here, "fake-server.mjs");
test.after(() => rmSync(tmp, { recursive: true, force: true }));

// run activates and deactivates the extension with the settings, the fake
// server logging to log, and returns what the user saw.
function run(settings, log = path.join(tmp, "unused.log"), documents = []) {
  const out = execFileSync(process.execPath, [path.join(here, "extension-run.mjs"), JSON.stringify({ settings, folder, documents })], {
    encoding: "utf8",
    env: { ...process.env, FAKE_LSP_LOG: log },
    timeout: 20000,
  });
  return JSON.parse(out);
}

function serverLog(file) {
  return readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

test("starts the command with lsp in the workspace folder, opens .esm documents, shows diagnostics, stops it", () => {
  const log = path.join(tmp, "server.log");
  const esm = path.join(folder, "orders.esm");
  const seen = run({ command: [process.execPath, server] }, log, [
    { path: esm, languageId: "esm", text: "package orders\n" },
    { path: path.join(folder, "main.go"), languageId: "go", text: "package main\n" },
  ]);
  assert.deepEqual(seen.messages, []);
  const entries = serverLog(log);
  assert.deepEqual(entries[0], { started: { args: ["lsp"], cwd: folder } });
  assert.deepEqual(entries.slice(1).map((e) => e.method),
    ["initialize", "initialized", "textDocument/didOpen", "shutdown", "exit"]);
  assert.equal(entries[1].params.rootPath, folder);
  const open = entries[3].params.textDocument;
  assert.deepEqual([open.uri, open.languageId, open.text], [`file://${esm}`, "esm", "package orders\n"]);
  assert.deepEqual(seen.diagnostics, [{ uri: `file://${esm}`, messages: ["fake: package orders"] }]);
});

test("esgen.command wins over esgen.path and keeps its arguments", () => {
  const log = path.join(tmp, "server2.log");
  run({ path: "/nowhere/esgen", command: [process.execPath, server, "tool", "esgen"] }, log);
  assert.deepEqual(serverLog(log)[0].started.args, ["tool", "esgen", "lsp"]);
});

test("a program that is not found is reported once, with what to do, and nothing starts", () => {
  const missing = path.join(tmp, "no-such-esgen");
  const seen = run({ path: missing });
  assert.equal(seen.messages.length, 1);
  const { message, items } = seen.messages[0];
  assert.equal(message.split(". ")[0],
    `esgen: cannot start the language server (esgen.path): there is no executable file ${missing}`);
  assert.match(message, /go install github\.com\/esgen\/esgen\/cmd\/esgen@latest/);
  assert.deepEqual(items, ["Open Settings"]);
  assert.ok(seen.output.includes(message), "the message is in the esgen output too");
});

test("a server that exits at once, as an esgen without lsp does, is reported once", () => {
  const script = "console.error('esgen: unknown command \"lsp\"'); process.exit(2)";
  const seen = run({ command: [process.execPath, "-e", script] });
  assert.equal(seen.messages.length, 1, JSON.stringify(seen.messages));
  const { message, items } = seen.messages[0];
  assert.ok(message.startsWith(`esgen: the language server (${process.execPath} -e ${script} lsp) did not start: `), message);
  assert.match(message, /esgen help lists its commands/);
  assert.deepEqual(items, ["Show Output", "Open Settings"]);
  assert.match(seen.output, /esgen: unknown command "lsp"/, "what the server printed is in the esgen output");
});

test("esgen.server.enabled false starts nothing and says nothing", () => {
  const log = path.join(tmp, "server3.log");
  const seen = run({ "server.enabled": false, command: [process.execPath, server] }, log);
  assert.deepEqual(seen.messages, []);
  assert.throws(() => readFileSync(log), /ENOENT/);
});
