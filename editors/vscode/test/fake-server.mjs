// A stand-in for `esgen lsp` in the extension's test: a language server
// that answers initialize and shutdown over stdin and stdout, publishes a
// diagnostic with the first line of each document opened, and appends
// what it receives, with its arguments and working directory, as JSON lines
// to the file named by FAKE_LSP_LOG.
import { appendFileSync } from "node:fs";

const logFile = process.env.FAKE_LSP_LOG;
const log = (entry) => appendFileSync(logFile, JSON.stringify(entry) + "\n");
log({ started: { args: process.argv.slice(2), cwd: process.cwd() } });

const send = (msg) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...msg }), "utf8");
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
};

let buf = Buffer.alloc(0);
process.stdin.on("data", (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  for (;;) {
    const head = buf.indexOf("\r\n\r\n");
    if (head < 0) return;
    const m = /Content-Length: (\d+)/i.exec(buf.subarray(0, head).toString("ascii"));
    const len = Number(m[1]);
    if (buf.length < head + 4 + len) return;
    const msg = JSON.parse(buf.subarray(head + 4, head + 4 + len).toString("utf8"));
    buf = buf.subarray(head + 4 + len);
    log({ method: msg.method, params: msg.params });
    if (msg.method === "initialize") {
      send({ id: msg.id, result: { capabilities: { textDocumentSync: 1 }, serverInfo: { name: "fake esgen lsp" } } });
    } else if (msg.method === "textDocument/didOpen") {
      const { uri, text } = msg.params.textDocument;
      send({
        method: "textDocument/publishDiagnostics",
        params: {
          uri,
          diagnostics: [{
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } },
            severity: 1,
            source: "fake",
            message: `fake: ${text.split("\n")[0]}`,
          }],
        },
      });
    } else if (msg.method === "shutdown") {
      send({ id: msg.id, result: null });
    } else if (msg.method === "exit") {
      process.exit(0);
    }
  }
});
