// Tests of how the extension finds esgen (src/command.ts), on a temporary
// directory of fake programs.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Environment, expand, findProgram, notFoundMessage, serverCommand } from "../src/command";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "esgen-command-"));
const bin = path.join(tmp, "bin");
const other = path.join(tmp, "other");
const folder = path.join(tmp, "project");
for (const d of [bin, other, folder, path.join(folder, "tools")]) fs.mkdirSync(d, { recursive: true });
const exe = (file: string) => fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
exe(path.join(bin, "esgen"));
exe(path.join(other, "go"));
exe(path.join(folder, "tools", "esgen"));
fs.writeFileSync(path.join(other, "esgen"), "not executable", { mode: 0o644 });
fs.mkdirSync(path.join(other, "dir-not-file"));

const env: Environment = {
  folder,
  home: tmp,
  pathVar: [other, "", bin].join(":"),
  platform: "linux",
};

test("esgen.path default is looked up on the PATH, skipping files that are not executable", () => {
  const c = serverCommand({ path: "esgen", command: [] }, env);
  assert.deepEqual(c, { program: "esgen", resolved: path.join(bin, "esgen"), args: ["lsp"], setting: "esgen.path" });
});

test("an empty esgen.path means esgen", () => {
  assert.equal(serverCommand({ path: "  ", command: [] }, env).resolved, path.join(bin, "esgen"));
});

test("esgen.path with a directory is a path, relative to the folder, ~ and ${workspaceFolder} expanded", () => {
  const want = path.join(folder, "tools", "esgen");
  assert.equal(serverCommand({ path: "./tools/esgen", command: [] }, env).resolved, want);
  assert.equal(serverCommand({ path: "${workspaceFolder}/tools/esgen", command: [] }, env).resolved, want);
  assert.equal(serverCommand({ path: "~/project/tools/esgen", command: [] }, env).resolved, want);
  assert.equal(serverCommand({ path: want, command: [] }, env).resolved, want);
});

test("esgen.command overrides esgen.path and gets lsp appended", () => {
  const c = serverCommand({ path: "/nowhere/esgen", command: ["go", "tool", "esgen"] }, env);
  assert.deepEqual(c, {
    program: "go",
    resolved: path.join(other, "go"),
    args: ["tool", "esgen", "lsp"],
    setting: "esgen.command",
  });
  const d = serverCommand({ path: "esgen", command: ["${workspaceFolder}/tools/esgen", "--flag=${workspaceFolder}"] }, env);
  assert.equal(d.resolved, path.join(folder, "tools", "esgen"));
  assert.deepEqual(d.args, [`--flag=${folder}`, "lsp"]);
});

test("an esgen.command of blanks falls back to esgen.path", () => {
  assert.equal(serverCommand({ path: "esgen", command: [" ", ""] }, env).setting, "esgen.path");
});

test("a program that is missing, not executable or a directory is not found", () => {
  const noBin = { ...env, pathVar: other };
  assert.equal(findProgram("esgen", noBin), undefined); // other/esgen is not executable
  assert.equal(findProgram("dir-not-file", noBin), undefined);
  assert.equal(findProgram("./tools/missing", env), undefined);
  assert.equal(findProgram("esgen", { ...env, pathVar: "" }), undefined);
});

test("on Windows, PATHEXT extensions are tried, ; separates PATH and \\ makes a path", () => {
  const files = new Set(["C:\\Go\\bin\\go.EXE", "C:\\tools\\esgen.CMD", "C:\\project\\bin\\esgen.EXE"]);
  const w: Environment = {
    folder: "C:\\project",
    home: "C:\\Users\\me",
    pathVar: "C:\\tools;C:\\Go\\bin",
    pathExt: ".COM;.EXE;.CMD",
    platform: "win32",
    isExecutable: (f) => files.has(f),
  };
  assert.equal(findProgram("go", w), "C:\\Go\\bin\\go.EXE");
  assert.equal(findProgram("esgen", w), "C:\\tools\\esgen.CMD");
  assert.equal(findProgram("bin\\esgen", w), "C:\\project\\bin\\esgen.EXE");
  assert.equal(findProgram("bin\\esgen.EXE", w), "C:\\project\\bin\\esgen.EXE");
  assert.equal(findProgram("gone", w), undefined);
});

test("expand leaves other text alone", () => {
  assert.equal(expand("a~b/${other}", env), "a~b/${other}");
  assert.equal(expand("${workspaceFolder}", { ...env, folder: undefined }), "${workspaceFolder}");
});

test("the not-found message names the program and the settings that fix it", () => {
  const m = notFoundMessage(serverCommand({ path: "esgen", command: [] }, { ...env, pathVar: "" }));
  assert.match(m, /^esgen: cannot start the language server \(esgen\.path\): esgen is not on the PATH\. /);
  assert.match(m, /go install github\.com\/esgen\/esgen\/cmd\/esgen@latest/);
  assert.match(m, /\["go", "tool", "esgen"\]/);
  const p = notFoundMessage(serverCommand({ path: "/opt/esgen", command: [] }, env));
  assert.match(p, /there is no executable file \/opt\/esgen\./);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
