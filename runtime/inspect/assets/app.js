// esgen inspect: the page of runtime/inspect. Plain JavaScript, no build.
"use strict";

// How the diagram's SVG names its parts. Everything that finds a state or
// an edge in the drawing goes through this object. esgen's diagrams give
// each state the id "state-NAME", the entry arrow the id "entry-NAME", and
// every piece of the edge between two states (its segments and its label)
// the class "edge-FROM-TO"; a plain Graphviz drawing has a <g class="node">
// per state and a <g class="edge"> per edge whose <title> is the state's
// name or "FROM->TO". Both are understood.
const drawing = {
  // state returns the element of a state, or null.
  state(svg, name) {
    return svg.querySelector("#" + CSS.escape("state-" + name)) || byTitle(svg, "g.node", name);
  },
  // edge returns the elements that draw the edge from one state to
  // another (from is startNode for the entry arrow), none when it is not
  // drawn.
  edge(svg, from, to) {
    if (from === startNode) {
      const e = svg.querySelector("#" + CSS.escape("entry-" + to));
      if (e) return [e];
    }
    const parts = svg.querySelectorAll("." + CSS.escape("edge-" + from + "-" + to));
    if (parts.length) return [...parts];
    const g = byTitle(svg, "g.edge", from + "->" + to);
    return g ? [g] : [];
  },
};
function byTitle(svg, sel, text) {
  return [...svg.querySelectorAll(sel)].find(g => {
    const t = g.querySelector(":scope > title");
    return t && t.textContent.trim() === text;
  }) || null;
}
const startNode = "[*]"; // the entry point's name in the drawing

// fill replaces the children of el, skipping the absent ones.
function fill(el, ...kids) {
  el.replaceChildren(...kids.flat().filter(k => k !== undefined && k !== null && k !== false));
}

// h makes an element: h("a", {href: "#"}, "text", child...).
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids.flat()) {
    if (k === undefined || k === null || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}

async function api(path) {
  const r = await fetch(path, { cache: "no-store" });
  const body = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

const q = encodeURIComponent;
function fmtTime(t) {
  if (!t) return "";
  return t.replace("T", " ").replace(/(\.\d{3})\d*/, "$1");
}
// fmtClock is the time of day of a time, to the millisecond.
function fmtClock(t) {
  const m = /T(\d\d:\d\d:\d\d(\.\d{1,3})?)/.exec(t || "");
  return m ? m[1] : "";
}
function instanceHref(type, id, v) {
  return "#/i/" + q(type) + "/" + q(id) + (v ? "?v=" + v : "");
}

// route parses location.hash: #/t/TYPE?q=..&state=.., #/i/TYPE/ID?v=N,
// #/trail/CORRELATION.
function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { kind: parts[0] || "", parts: parts.slice(1), params };
}

let meta = null;       // /api/meta
let view = null;       // the view shown: {kind, type, id, refresh(change)}
const main = () => document.getElementById("main");

async function loadMeta() {
  meta = await api("api/meta");
  document.getElementById("stream").textContent =
    "stream " + meta.stream + " · " + meta.prefix + ".> · " + meta.events + " events";
  drawNav();
}

function drawNav() {
  const nav = document.getElementById("types");
  const sel = view && view.type;
  const kinds = [["aggregates", t => t.known && !t.process], ["processes", t => t.process], ["other types", t => !t.known]];
  const out = [];
  for (const [label, pick] of kinds) {
    const ts = meta.types.filter(pick);
    if (!ts.length) continue;
    out.push(h("div", { class: "kind" }, label));
    for (const t of ts) {
      out.push(h("a", { href: "#/t/" + q(t.name), class: (t.name === sel ? "sel" : "") + (t.instances ? "" : " none"), "data-type": t.name },
        h("span", {}, t.name), h("span", { class: "n" }, t.instances)));
    }
  }
  if (!out.length) out.push(h("div", { class: "kind" }, "no events yet"));
  fill(nav, ...out);
}

// ---- the instances of one type ----

async function showType(type, params) {
  const search = params.get("q") || "";
  const state = params.has("state") ? params.get("state") : null;
  let url = "api/instances?type=" + q(type) + "&q=" + q(search);
  if (state !== null) url += "&state=" + q(state);
  const data = await api(url);
  const t = data.type;
  const total = t.instances;
  const chips = [h("button", { class: "chip" + (state === null ? " sel" : ""), onclick: () => go(type, search, null) },
    "all", h("span", { class: "n" }, total))];
  for (const s of t.states) {
    chips.push(h("button", {
      class: "chip" + (state === s.name ? " sel" : "") + (s.final ? " final" : ""), "data-state": s.name,
      onclick: () => go(type, search, s.name),
    }, s.name, h("span", { class: "n" }, t.counts[s.name] || 0)));
  }
  for (const [s, n] of Object.entries(t.counts)) {
    if (s && !t.states.some(x => x.name === s)) {
      chips.push(h("button", { class: "chip", onclick: () => go(type, search, s) }, s, h("span", { class: "n" }, n)));
    }
  }
  const input = h("input", { type: "search", placeholder: "search ids", value: search, "aria-label": "search ids" });
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => go(type, input.value, state, true), 150);
  });
  const rows = data.instances.map(i => h("tr", { class: "click", "data-id": i.id, onclick: () => { location.hash = instanceHref(type, i.id); } },
    h("td", {}, h("a", { href: instanceHref(type, i.id) }, i.id)),
    h("td", {}, t.stateless ? h("span", { class: "muted" }, "—") : h("span", { class: "state" }, i.state)),
    h("td", {}, i.version),
    h("td", {}, i.archived ? h("span", { class: "archived", title: "archived " + i.archived + ": its events are in the archive" }, "archived") : i.event_type,
      i.odd ? h("span", { class: "odd", title: "events no transition takes" }, " ⚠ " + i.odd) : null),
    h("td", { class: "muted" }, fmtTime(i.time)),
  ));
  const kind = t.process ? "process" : t.stateless ? (t.known ? "eventual aggregate" : "not in the .esm files") : "aggregate";
  fill(main(), 
    h("h1", {}, type, h("span", { class: "sub" }, kind + " · " + total + " instances" + (t.archived ? " (" + t.archived + " archived)" : "") + " · " + t.events + " events")),
    t.stateless ? null : h("div", { class: "chips", id: "counts" }, chips),
    h("p", {}, input, " ", h("span", { class: "muted", id: "matched" },
      data.matched + " match" + (data.matched > data.instances.length ? ", newest " + data.instances.length + " shown" : ""))),
    h("table", { id: "instances" },
      h("thead", {}, h("tr", {}, h("th", {}, "id"), h("th", {}, "state"), h("th", {}, "version"), h("th", {}, "last event"), h("th", {}, "time"))),
      h("tbody", {}, rows)),
  );
  if (document.activeElement === document.body && search) input.focus();
  return { kind: "type", type, refresh: c => c.type === type };
}

function go(type, search, state, keepFocus) {
  const p = new URLSearchParams();
  if (search) p.set("q", search);
  if (state !== null && state !== undefined) p.set("state", state);
  const s = p.toString();
  const hash = "#/t/" + q(type) + (s ? "?" + s : "");
  if (keepFocus) { history.replaceState(null, "", hash); render(true); }
  else location.hash = hash;
}

// ---- one instance ----

// keys handles the arrow keys on an instance's page: back and forward
// through its versions (Home and End: first and newest).
let keys = null;
document.addEventListener("keydown", ev => { if (keys) keys(ev); });

let svgCache = {};
async function diagramSVG(type) {
  if (!(type in svgCache)) {
    const r = await fetch("api/diagram?type=" + q(type));
    svgCache[type] = r.status === 200 ? await r.text() : null; // 204: none
  }
  return svgCache[type];
}

async function showInstance(type, id, params, previous) {
  const [data, svgText] = await Promise.all([api("api/instance?type=" + q(type) + "&id=" + q(id)), diagramSVG(type)]);
  const evs = data.events;
  const last = evs.length;
  let v = parseInt(params.get("v") || "", 10);
  // Follow the newest version when the page was on it before an update.
  const atLatest = !params.has("v") || (previous && previous.version === previous.last);
  if (!(v >= 1 && v <= last) || (previous && atLatest)) v = last;
  const t = data.type;

  const diagram = h("div", { class: "diagram", id: "diagram" });
  if (svgText) {
    const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
    const svg = doc.documentElement;
    if (svg && svg.nodeName === "svg") diagram.append(document.importNode(svg, true));
  } else diagram.append(h("p", { class: "muted" }, t.known ? "no diagram" : "no .esm file describes " + type));

  const slider = h("input", { type: "range", min: 0, max: last, value: v, id: "slider", "aria-label": "version" });
  const label = h("span", { id: "version" });
  const btn = (text, title, to) => h("button", { title, "data-step": title, onclick: () => setV(to()) }, text);
  const travel = h("div", { class: "travel" },
    btn("|◀", "first", () => 0), btn("◀", "back", () => cur - 1), slider, btn("▶", "forward", () => cur + 1), btn("▶|", "newest", () => last), label);
  slider.addEventListener("input", () => setV(parseInt(slider.value, 10)));

  const tbody = h("tbody", {});
  const rows = evs.map((e, i) => h("tr", { class: "click" + (previous && e.version > previous.last ? " fresh" : ""), "data-version": e.version, onclick: () => setV(i + 1) },
    h("td", {}, e.version),
    h("td", {}, e.event_type, e.odd ? h("span", { class: "odd", title: "no transition takes " + e.event_type + " from " + e.from }, " ⚠") : null),
    h("td", {}, t.stateless ? "" : h("span", { class: "state" }, e.state)),
    h("td", { class: "muted", title: e.time }, fmtClock(e.time)),
    h("td", { class: "muted" }, e.actor),
  ));
  tbody.append(...rows);
  const detail = h("div", { id: "detail" });
  const now = h("span", { class: "state now", id: "current" });

  fill(main(), 
    h("h1", {}, h("a", { href: "#/t/" + q(type) }, type), " ", id,
      h("span", { class: "sub" }, last + " events · "), t.stateless ? null : now),
    data.archived ? h("p", { class: "archived", id: "archived" }, "Archived " + fmtTime(data.archived.time) +
      ": its events are no longer in the stream; they are read from the object " + data.archived.object +
      " of the archive bucket " + data.archived.bucket + ".") : null,
    travel,
    diagram,
    h("div", { class: "cols" },
      h("div", {},
        h("h2", {}, "History"),
        h("table", { id: "history" }, h("thead", {}, h("tr", {}, h("th", {}, "v"), h("th", {}, "event"), h("th", {}, "state after"), h("th", {}, "time"), h("th", {}, "actor"))), tbody)),
      detail),
  );

  let cur = v;
  function setV(n) {
    n = Math.max(0, Math.min(last, n));
    cur = n;
    slider.value = n;
    history.replaceState(null, "", instanceHref(type, id, n));
    if (view) view.version = n;
    const state = n === 0 ? data.initial : evs[n - 1].state;
    now.textContent = state || "—";
    label.textContent = "version " + n + " of " + last;
    travel.querySelector('[data-step="first"]').disabled = n === 0;
    travel.querySelector('[data-step="back"]').disabled = n === 0;
    travel.querySelector('[data-step="forward"]').disabled = n === last;
    travel.querySelector('[data-step="newest"]').disabled = n === last;
    rows.forEach((r, i) => {
      r.classList.toggle("sel", i === n - 1);
      r.classList.toggle("future", i >= n);
    });
    highlight(diagram.querySelector("svg"), data.initial, evs.slice(0, n), state);
    drawDetail(detail, type, t, n === 0 ? null : evs[n - 1], n);
  }
  setV(v);
  keys = ev => {
    if (ev.target.closest("input, textarea, select")) return;
    if (ev.key === "ArrowLeft") setV(cur - 1);
    else if (ev.key === "ArrowRight") setV(cur + 1);
    else if (ev.key === "Home") setV(0);
    else if (ev.key === "End") setV(last);
    else return;
    ev.preventDefault();
  };
  return { kind: "instance", type, id, version: cur, last, refresh: c => c.type === type && c.id === id };
}

// highlight marks the state after the events (classes esgen-current and
// current) and the edges they took (esgen-taken, the last one esgen-last;
// each piece also says which edge it draws in data-esgen-edge).
function highlight(svg, initial, evs, state) {
  if (!svg) return;
  svg.querySelectorAll(".esgen-current, .esgen-taken, .esgen-last").forEach(g => g.classList.remove("esgen-current", "current", "esgen-taken", "esgen-last"));
  const cur = state && drawing.state(svg, state);
  if (cur) cur.classList.add("esgen-current", "current");
  const take = (from, to) => {
    const parts = drawing.edge(svg, from, to);
    for (const p of parts) {
      p.classList.add("esgen-taken");
      p.dataset.esgenEdge = from + "->" + to;
    }
    return parts.length ? parts : null;
  };
  let last = initial ? take(startNode, initial) : null;
  for (const e of evs) {
    if (e.odd || (e.from === e.state && drawing.edge(svg, e.from, e.from).length === 0)) continue;
    last = take(e.from, e.state) || last;
  }
  if (last && evs.length) last.forEach(p => p.classList.add("esgen-last"));
}

function drawDetail(el, type, t, e, n) {
  if (!e) {
    fill(el, h("h2", {}, "Version 0"), h("p", { class: "muted" }, "Before the first event: the initial state."));
    return;
  }
  const cause = e.cause
    ? h("a", { href: instanceHref(e.cause.type, e.cause.id, e.cause.version), id: "cause" },
      e.cause.type + " " + e.cause.id + " v" + e.cause.version + " " + e.cause.event_type)
    : h("span", { class: "muted" }, e.causation_id === e.command_id ? "its own command" : "not in this stream");
  const row = (k, ...v) => h("tr", {}, h("th", {}, k), h("td", { class: "mono" }, ...v));
  fill(el, 
    h("h2", {}, "v" + n + " " + e.event_type),
    h("table", { class: "meta", id: "metadata" }, h("tbody", {},
      row("event id", e.event_id),
      row("command id", e.command_id),
      row("type", e.event_type + " (schema v" + e.schema_version + ")"),
      row("version", String(e.version)),
      row("sequence", String(e.sequence)),
      row("time", e.time),
      row("state", t.stateless ? "—" : (e.from + " → " + e.state), e.odd ? h("span", { class: "odd" }, " (no transition takes it)") : null),
      row("actor", e.actor || h("span", { class: "muted" }, "none")),
      row("correlation id", h("a", { href: "#/trail/" + q(e.correlation_id), id: "trail" }, e.correlation_id), h("span", { class: "muted" }, " · " + e.trail + " records")),
      row("causation id", e.causation_id, h("br"), cause),
      row("traceparent", e.traceparent || h("span", { class: "muted" }, "none")),
    )),
    h("h2", {}, "Payload"),
    h("pre", { class: "json", id: "payload" }, JSON.stringify(e.payload, null, 2)),
    e.state_data !== undefined ? h("h2", {}, "State after v" + n) : null,
    e.state_data !== undefined ? h("pre", { class: "json", id: "state-data" }, JSON.stringify(e.state_data, null, 2)) : null,
  );
}

// ---- a business transaction ----

async function showTrail(corr) {
  const data = await api("api/trail?correlation=" + q(corr));
  const rows = data.records.map(r => {
    const c = r.cause;
    return h("tr", { "data-event": r.event_id },
      h("td", {}, r.sequence),
      h("td", {}, h("a", { href: instanceHref(r.type, r.id, r.version) }, r.type + " " + r.id + " v" + r.version)),
      h("td", {}, r.event_type),
      h("td", {}, c ? h("a", { href: instanceHref(c.type, c.id, c.version) }, "← " + c.type + " " + c.id + " v" + c.version + " " + c.event_type)
        : h("span", { class: "muted mono" }, r.causation_id)),
      h("td", { class: "muted" }, fmtTime(r.time)));
  });
  fill(main(), 
    h("h1", {}, "Correlation ", h("span", { class: "mono" }, corr), h("span", { class: "sub" }, data.records.length + " records, in the order stored")),
    h("table", { id: "trail-records" }, h("thead", {}, h("tr", {}, h("th", {}, "seq"), h("th", {}, "instance"), h("th", {}, "event"), h("th", {}, "caused by"), h("th", {}, "time"))),
      h("tbody", {}, rows)));
  return { kind: "trail", corr, refresh: c => c.correlation_id === corr };
}

// ---- the overview ----

function showHome() {
  const ts = meta.types;
  fill(main(), 
    h("h1", {}, "Stream " + meta.stream),
    ts.length ? h("table", { id: "overview" },
      h("thead", {}, h("tr", {}, h("th", {}, "type"), h("th", {}, "instances"), h("th", {}, "events"), h("th", {}, "current states"))),
      h("tbody", {}, ts.map(t => h("tr", {},
        h("td", {}, h("a", { href: "#/t/" + q(t.name) }, t.name)),
        h("td", {}, t.instances), h("td", {}, t.events),
        h("td", {}, Object.entries(t.counts).filter(([s]) => s).map(([s, n]) => h("span", { class: "state" }, s + " " + n)).flatMap(x => [x, " "]))))))
      : h("p", { class: "muted" }, "The stream holds no events yet; they appear here as they are stored."));
  return { kind: "home", refresh: () => true };
}

// ---- rendering and live updates ----

let rendering = Promise.resolve();
function render(update) {
  rendering = rendering.then(() => draw(update)).catch(err => {
    fill(main(), h("p", { class: "error", id: "error" }, String(err.message || err)));
    document.body.dataset.ready = "1";
  });
  return rendering;
}

async function draw(update) {
  const r = route();
  const previous = update ? view : null;
  keys = null;
  // The list and the instance pages need no meta data to draw their part.
  const metaLoaded = !meta || update || !["t", "i"].includes(r.kind) ? loadMeta() : Promise.resolve();
  if (!["t", "i"].includes(r.kind)) await metaLoaded;
  let next;
  switch (r.kind) {
    case "t": next = await showType(r.parts[0], r.params); break;
    case "i": {
      const same = previous && previous.kind === "instance" && previous.type === r.parts[0] && previous.id === r.parts[1];
      next = await showInstance(r.parts[0], r.parts[1], r.params, same ? previous : null);
      break;
    }
    case "trail": next = await showTrail(r.parts[0]); break;
    default: next = showHome();
  }
  view = next;
  await metaLoaded;
  drawNav();
  // For tests: when the page last finished drawing, in ms since it loaded.
  document.body.dataset.drawnAt = String(performance.now());
  document.body.dataset.ready = "1";
}

let pending = null;
function onChange(c) {
  if (!view) return;
  const mine = view.refresh(c);
  if (pending) { pending.mine = pending.mine || mine; return; }
  pending = { mine };
  setTimeout(() => {
    const p = pending;
    pending = null;
    if (p.mine) render(true);
    else loadMeta().catch(() => {});
  }, 100);
}

// source is the live connection. It is closed when the page is hidden (a
// page kept in the back-forward cache would hold one of the browser's few
// connections to the server) and opened again when it shows.
let source = null;
function connect() {
  if (source) return;
  const dot = document.getElementById("live");
  const es = new EventSource("api/live");
  source = es;
  es.addEventListener("open", () => dot.classList.add("on"));
  es.addEventListener("error", () => dot.classList.remove("on"));
  es.addEventListener("change", ev => onChange(JSON.parse(ev.data)));
  es.addEventListener("reload", () => render(true));
}

window.addEventListener("pagehide", () => {
  if (source) { source.close(); source = null; }
  document.getElementById("live").classList.remove("on");
});
window.addEventListener("pageshow", ev => {
  if (ev.persisted) { connect(); render(true); }
});
window.addEventListener("hashchange", () => render(false));
render(false);
connect();
