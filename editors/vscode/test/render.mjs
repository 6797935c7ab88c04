// Renders .esm files highlighted by the grammar, in the colours of VS Code's
// Dark+ theme, to look at the grammar's work: an HTML page and an SVG image
// per file.
//
//	npm run render -- FILE... [--out DIR]   (default DIR: build/render)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { tokenize } from "./tokenize.mjs";

// The Dark+ rules the grammar's scopes meet, most specific first wins.
const THEME = [
  ["comment", "#6A9955"],
  ["string", "#CE9178"],
  ["constant.character.escape", "#D7BA7D"],
  ["constant.numeric", "#B5CEA8"],
  ["constant.language", "#569CD6"],
  ["keyword", "#569CD6"],
  ["keyword.control", "#C586C0"],
  ["keyword.operator", "#D4D4D4"],
  ["storage", "#569CD6"],
  ["entity.name.type", "#4EC9B0"],
  ["entity.name.namespace", "#4EC9B0"],
  ["entity.name.function", "#DCDCAA"],
  ["support.type", "#4EC9B0"],
  ["variable", "#9CDCFE"],
  ["variable.other.enummember", "#4FC1FF"],
  ["invalid", "#F44747"],
];
const FOREGROUND = "#D4D4D4";
const BACKGROUND = "#1E1E1E";

function colour(scopes) {
  for (let i = scopes.length - 1; i >= 0; i--) {
    let best;
    for (const [sel, c] of THEME) {
      if ((scopes[i] === sel || scopes[i].startsWith(sel + ".")) && (!best || sel.length > best[0].length)) best = [sel, c];
    }
    if (best) return best[1];
  }
  return FOREGROUND;
}

const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const args = process.argv.slice(2);
let out = "build/render";
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--out") out = args[++i];
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error("usage: render FILE... [--out DIR]");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
for (const file of files) {
  const lines = await tokenize(readFileSync(file, "utf8"));
  const html = lines.map((toks) => toks.map((t) => `<span style="color:${colour(t.scopes)}" title="${esc(t.scopes.join(" "))}">${esc(t.text)}</span>`).join(""));
  const base = path.join(out, path.basename(file));
  writeFileSync(`${base}.html`, `<!doctype html><meta charset="utf-8"><title>${esc(file)}</title>` +
    `<pre style="background:${BACKGROUND};color:${FOREGROUND};font:14px/1.4 'DejaVu Sans Mono',monospace;padding:1em">` +
    html.join("\n") + "</pre>\n");
  const width = Math.max(...lines.map((toks) => toks.reduce((n, t) => n + t.text.length, 0)), 40);
  const lh = 17;
  const svg = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width * 8.5 + 60}" height="${lines.length * lh + 20}" font-family="DejaVu Sans Mono" font-size="14">`,
    `<rect width="100%" height="100%" fill="${BACKGROUND}"/>`];
  lines.forEach((toks, i) => {
    svg.push(`<text x="10" y="${(i + 1) * lh}" fill="#858585" xml:space="preserve">${String(i + 1).padStart(3)}</text>`);
    svg.push(`<text x="50" y="${(i + 1) * lh}" xml:space="preserve">` +
      toks.map((t) => `<tspan fill="${colour(t.scopes)}">${esc(t.text)}</tspan>`).join("") + "</text>");
  });
  svg.push("</svg>");
  writeFileSync(`${base}.svg`, svg.join("\n") + "\n");
  console.log(`${base}.html ${base}.svg`);
}
