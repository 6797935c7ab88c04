// Tokenizes .esm text with the extension's grammar, as VS Code does
// (vscode-textmate on the Oniguruma regular expressions of vscode-oniguruma).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import vsctm from "vscode-textmate";
import oniguruma from "vscode-oniguruma";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const grammarPath = path.join(here, "..", "syntaxes", "esm.tmLanguage.json");

let grammarPromise;

// loadGrammar returns the source.esm grammar, loaded once.
export function loadGrammar() {
  grammarPromise ??= (async () => {
    const wasm = await readFile(require.resolve("vscode-oniguruma/release/onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
        createOnigString: (s) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName) => {
        if (scopeName !== "source.esm") return null;
        const text = await readFile(grammarPath, "utf8");
        return vsctm.parseRawGrammar(text, grammarPath);
      },
    });
    const grammar = await registry.loadGrammar("source.esm");
    if (!grammar) throw new Error("grammar source.esm did not load");
    return grammar;
  })();
  return grammarPromise;
}

// tokenize returns, for each line of text, its tokens: {start, end, text,
// scopes}, start and end in UTF-16 code units of the line as JavaScript
// indexes strings, scopes from the outermost (source.esm) in.
export async function tokenize(text) {
  const grammar = await loadGrammar();
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  let state = vsctm.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t, i) => {
      const end = i + 1 < r.tokens.length ? r.tokens[i + 1].startIndex : line.length;
      return { start: t.startIndex, end, text: line.slice(t.startIndex, end), scopes: t.scopes };
    });
  });
}
