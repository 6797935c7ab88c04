// Checks the grammar against the esgen parser on the examples of the
// repository and on the valid samples of test/grammar: every name must have
// the scope of what the parser says it is (a state, a command, an event, a
// field...), every literal and comment its scope, every other word must be a
// keyword with its keyword scope, every punctuation mark its scope, and no
// token may be marked invalid. The parser's view comes from
// `go run ./editors/vscode/test/roles` (Go must be installed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tokenize } from "./tokenize.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..", "..");

// The files checked: every example, and the samples of test/grammar that
// are valid .esm (the others hold deliberate errors).
const files = [
  ...readdirSync(path.join(repo, "examples"))
    .filter((f) => f.endsWith(".esm"))
    .map((f) => path.join("examples", f)),
  "editors/vscode/test/grammar/constructs.test.esm",
  "editors/vscode/test/grammar/contextual.test.esm",
];

// The scope each role of the parser must have.
const PRIMITIVES = new Set(
  "string bool int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 byte rune float32 float64".split(" "),
);
function roleScope(role, text) {
  switch (role) {
    case "namespace": return "entity.name.namespace.esm";
    case "type": return PRIMITIVES.has(text) ? "support.type.primitive.esm" : "entity.name.type.esm";
    case "aggregate": return "entity.name.type.aggregate.esm";
    case "process": return "entity.name.type.process.esm";
    case "state": return "variable.other.enummember.state.esm";
    case "command": return "entity.name.function.command.esm";
    case "event": return "entity.name.type.event.esm";
    case "timer": return "entity.name.type.timer.esm";
    case "field": return "variable.other.property.esm";
    case "string": return "string.quoted.double.esm";
    case "int": return "constant.numeric.integer.esm";
    case "float": return "constant.numeric.float.esm";
    case "bool": return `constant.language.boolean.${text}.esm`;
    case "version": return "constant.numeric.version.esm";
    case "duration": return "constant.numeric.duration.esm";
    case "comment": return "comment.line.double-slash.esm";
    default: throw new Error(`unknown role ${role} from the roles command`);
  }
}

// Words that are not names: every keyword of the language, reserved or
// contextual (docs/language.md, Lexical elements), and its scope.
const KEYWORDS = {
  package: "keyword.other.package.esm",
  import: "keyword.control.import.esm",
  extern: "storage.type.extern.esm",
  type: "storage.type.type.esm",
  eventual: "storage.modifier.eventual.esm",
  aggregate: "storage.type.aggregate.esm",
  process: "storage.type.process.esm",
  state: "storage.type.state.esm",
  command: "storage.type.command.esm",
  event: "storage.type.event.esm",
  initial: "storage.modifier.initial.esm",
  final: "storage.modifier.final.esm",
  upcast: "storage.modifier.upcast.esm",
  map: "storage.type.map.esm",
  on: "keyword.control.on.esm",
  emits: "keyword.control.emits.esm",
  sends: "keyword.control.sends.esm",
  rejected: "keyword.control.rejected.esm",
  after: "keyword.control.after.esm",
  in: "keyword.control.in.esm",
  as: "keyword.control.as.esm",
};
for (const w of ["id", "stream", "subject", "snapshot", "every", "lives", "forever", "archive", "correlate", "by", "evolve",
  "drop", "zero", "set", "unchanged", "hook"]) {
  KEYWORDS[w] = `keyword.other.${w}.esm`;
}

const PUNCTUATION = {
  "->": "keyword.operator.arrow.esm",
  "|": "keyword.operator.branch.esm",
  "=": "keyword.operator.assignment.esm",
  "*": "keyword.operator.pointer.esm",
  ",": "punctuation.separator.comma.esm",
  ";": "punctuation.separator.semicolon.esm",
  ":": "punctuation.separator.colon.esm",
  ".": "punctuation.accessor.esm",
  "{": "punctuation.section.block.begin.esm",
  "}": "punctuation.section.block.end.esm",
  "(": "punctuation.section.parens.begin.esm",
  ")": "punctuation.section.parens.end.esm",
  "[": "punctuation.section.brackets.begin.esm",
  "]": "punctuation.section.brackets.end.esm",
};

// One lexeme of what the parser's spans leave: blanks, a word or a mark.
const LEXEME = /[ \t\r]+|->|[{}()[\],;:.*=|]|[\p{L}_][\p{L}\p{Nd}_]*|./uy;

function runRoles(files) {
  let out;
  try {
    out = execFileSync("go", ["run", "./editors/vscode/test/roles", ...files], {
      cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    throw new Error(`go run ./editors/vscode/test/roles failed (is Go installed?): ${err.stderr || err.message}`);
  }
  return new Map(out.trim().split("\n").map((l) => JSON.parse(l)).map((f) => [f.file, f.spans]));
}

// The codes of an esgen:ignore directive, as the checker reads them
// (dsl/directive.go): [offset, code] pairs.
function directiveCodes(text) {
  const m = /^\/\/[ \t]*esgen:ignore(?=[ \t]|$)/.exec(text);
  if (!m) return null;
  const codes = [];
  let off = m[0].length;
  for (;;) {
    while (text[off] === " " || text[off] === "\t") off++;
    if (codes.length > 0 && text[off] === ",") { off++; continue; }
    let end = off;
    while (end < text.length && !" \t,".includes(text[end])) end++;
    const word = text.slice(off, end);
    if (!/^[A-Za-z][0-9]+$/.test(word)) break;
    codes.push([off, word]);
    off = end;
  }
  return { keyword: [m[0].indexOf("esgen:"), m[0].length], codes };
}

// check returns the disagreements between the grammar's tokens of a file
// and the parser's spans.
function check(file, lines, spans) {
  const errors = [];
  const expect = (line, start, end, scope, what) => {
    const toks = lines[line - 1].filter((t) => t.end > start && t.start < end);
    const text = toks.map((t) => t.text).join("").slice(start - (toks[0]?.start ?? start), end - (toks[0]?.start ?? start));
    for (const t of toks) {
      if (t.start < start || t.end > end) {
        errors.push(`${file}:${line}:${start + 1}: ${what} ${JSON.stringify(text)}: token ${JSON.stringify(t.text)} crosses its edge`);
        return;
      }
      if (!t.scopes.includes(scope)) {
        errors.push(`${file}:${line}:${t.start + 1}: ${what} ${JSON.stringify(t.text)}: want ${scope}, have ${t.scopes.slice(1).join(" ")}`);
        return;
      }
    }
    if (toks.length === 0) errors.push(`${file}:${line}:${start + 1}: ${what}: no token`);
  };
  for (const [i, toks] of lines.entries()) {
    for (const t of toks) {
      if (t.scopes.some((s) => s.startsWith("invalid"))) {
        errors.push(`${file}:${i + 1}:${t.start + 1}: ${JSON.stringify(t.text)} is marked ${t.scopes.at(-1)}`);
      }
    }
  }
  const byLine = new Map();
  for (const s of spans) {
    if (!byLine.has(s.line)) byLine.set(s.line, []);
    byLine.get(s.line).push(s);
    expect(s.line, s.col, s.col + s.len, roleScope(s.role, s.text), s.role);
    if (s.role === "comment") {
      const d = directiveCodes(s.text);
      if (d) {
        expect(s.line, s.col + d.keyword[0], s.col + d.keyword[1], "keyword.other.directive.esm", "directive");
        for (const [off, code] of d.codes) {
          expect(s.line, s.col + off, s.col + off + code.length, "constant.other.diagnostic-code.esm", "code");
        }
      }
    }
  }
  // Everything the spans leave is blanks, keywords and punctuation.
  for (const [i, toks] of lines.entries()) {
    const line = toks.map((t) => t.text).join("");
    const lineSpans = (byLine.get(i + 1) ?? []).sort((a, b) => a.col - b.col);
    let pos = 0;
    let k = 0;
    while (pos < line.length) {
      if (k < lineSpans.length && lineSpans[k].col <= pos) {
        pos = Math.max(pos, lineSpans[k].col + lineSpans[k].len);
        k++;
        continue;
      }
      LEXEME.lastIndex = pos;
      const lx = LEXEME.exec(line)[0];
      const end = Math.min(pos + lx.length, k < lineSpans.length ? lineSpans[k].col : line.length);
      const word = line.slice(pos, end);
      if (!/^[ \t\r]+$/.test(word)) {
        const scope = Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : PUNCTUATION[word];
        if (scope) {
          expect(i + 1, pos, end, scope, Object.hasOwn(KEYWORDS, word) ? "keyword" : "punctuation");
        } else {
          errors.push(`${file}:${i + 1}:${pos + 1}: ${JSON.stringify(word)} is neither a name for the parser nor a keyword or punctuation mark`);
        }
      }
      pos = end;
    }
  }
  return errors;
}

const roles = runRoles(files);

for (const file of files) {
  test(`grammar agrees with the parser on ${file}`, async () => {
    const spans = roles.get(file);
    assert.ok(spans, `no output of the roles command for ${file}`);
    assert.ok(spans.length > 0, `the roles command found nothing in ${file}`);
    const lines = await tokenize(readFileSync(path.join(repo, file), "utf8"));
    const errors = check(file, lines, spans);
    assert.equal(errors.length, 0, `${errors.length} disagreements:\n${errors.join("\n")}`);
  });
}
