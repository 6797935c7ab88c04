package machine

// The colours of a diagram. The background is transparent, so every colour
// must read on a light page and on a dark one without help: edges, labels
// and the markers are mid-tone greys (about 4.5:1 against both white and
// black), and a state's name sits on its own opaque box. SVGStyle turns the
// boxes dark where the viewer prefers a dark theme.
const (
	// StateFill is the fill of a state's box.
	StateFill = "#f3f4f6"
	// StateStroke is the border of a state's box.
	StateStroke = "#6b7280"
	// StateText is the colour of a state's name and fields.
	StateText = "#111827"
	// LineColor is the colour of edges and of the initial and final
	// markers.
	LineColor = "#808080"
	// LabelColor is the colour of edge labels.
	LabelColor = "#767676"
)

// SVGClass is the class of the graph's group (<g class="graph esgen">) in
// an SVG Graphviz draws from Machine.DOT; SVGStyle's rules apply inside it
// only, so the style can be inlined in a page without touching the rest.
const SVGClass = "esgen"

// SVGStyle is the CSS esgen puts in a <style> element of every SVG it draws
// (generator/diagram/svg), and that a page inlining such an SVG can use:
// where the viewer prefers a dark theme, state boxes are dark with light
// text, a highlighted state keeps its colour and gets dark text. Edges and
// labels keep their mid-tone grey in both themes, so that a page whose
// theme differs from the system's still reads. It relies on the ids and
// classes Machine.DOT gives (docs/diagrams.md).
const SVGStyle = `@media (prefers-color-scheme: dark) {
  .esgen .state > path { fill: #1f2937; stroke: #9ca3af; }
  .esgen .state > path[fill="none"] { fill: none; }
  .esgen .state > polygon { fill: #9ca3af; stroke: #9ca3af; }
  .esgen .state > text { fill: #f3f4f6; }
  .esgen .state.current > path:not([fill="none"]) { fill: ` + HighlightColor + `; }
  .esgen .state.current > polygon { fill: ` + StateStroke + `; stroke: ` + StateStroke + `; }
  .esgen .state.current > text { fill: ` + StateText + `; }
}
`
