package machine

import (
	"bytes"
	"html"
)

// DOT returns the Graphviz DOT text of the machine, left to right on a
// transparent background:
//
//   - states are rounded boxes of one height, in declaration order, with
//     their fields listed under their names when Options.Fields is set;
//     final states have a double border;
//   - a filled dot (the initial marker) points to each initial state, and
//     each final state points to a bullseye (its final marker), as in UML;
//   - transitions are edges labelled "Command / Event" (Mealy notation),
//     the label a node on its edge (see writeEdge). Transitions between
//     the same two states share one edge whose label has one line per
//     transition, so that parallel edges and stacked self-loops do not
//     cross each other's labels; edges are in the order of their first
//     transition, lines in declaration order.
//
// Every state, marker, edge and label has an id and classes that Graphviz
// copies to the SVG (StateID, EdgeID and the others of ids.go;
// docs/diagrams.md), and the graph has the class SVGClass. The text is stable: the same machine always gives the
// same bytes, and it carries no layout coordinates.
func (m Machine) DOT(opt Options) []byte {
	var b bytes.Buffer
	b.Grow(512 + 96*len(m.States) + 112*len(m.Transitions))
	b.WriteString("digraph ")
	writeDOTID(&b, m.Name)
	b.WriteString(" {\n")
	b.WriteString("\tgraph [rankdir=LR, bgcolor=\"transparent\", pad=0.1, nodesep=0.35, ranksep=0.5, fontname=\"Helvetica\", class=\"" + SVGClass + "\"];\n")
	b.WriteString("\tnode [shape=box, style=\"rounded,filled\", height=0.4, margin=\"0.16,0.06\", fillcolor=\"" + StateFill + "\", color=\"" + StateStroke + "\", fontcolor=\"" + StateText + "\", fontname=\"Helvetica\", fontsize=12];\n")
	b.WriteString("\tedge [color=\"" + LineColor + "\", fontcolor=\"" + LabelColor + "\", fontname=\"Helvetica\", fontsize=10, arrowsize=0.7];\n")
	hasInitial, hasFinal := false, false
	for _, s := range m.States {
		hasInitial = hasInitial || s.Initial
		hasFinal = hasFinal || s.Final
	}
	if hasInitial {
		b.WriteString("\n\t")
		writeDOTID(&b, StartNode)
		b.WriteString(" [id=\"" + StartID + "\", class=\"start\", shape=point, width=0.14, height=0.14, color=\"" + LineColor + "\", fillcolor=\"" + LineColor + "\"];\n")
	}
	if len(m.States) > 0 {
		b.WriteByte('\n')
	}
	for _, s := range m.States {
		b.WriteByte('\t')
		writeDOTID(&b, s.Name)
		b.WriteString(" [id=")
		writeDOTID(&b, StateID(s.Name))
		class := "state"
		if s.Initial {
			class += " initial"
		}
		if s.Final {
			class += " final"
		}
		highlight := opt.Highlight != "" && s.Name == opt.Highlight
		if highlight {
			class += " current"
		}
		b.WriteString(", class=\"" + class + "\"")
		if s.Final {
			b.WriteString(", peripheries=2")
		}
		if highlight {
			b.WriteString(", fillcolor=\"" + HighlightColor + "\", penwidth=2")
		}
		if opt.Fields && len(s.Fields) > 0 {
			b.WriteString(", margin=\"0.14,0.04\", label=")
			writeFieldsLabel(&b, s)
		}
		b.WriteString("];\n")
		if s.Final {
			b.WriteByte('\t')
			writeDOTID(&b, EndNode(s.Name))
			b.WriteString(" [id=")
			writeDOTID(&b, EndID(s.Name))
			b.WriteString(", class=\"end\", shape=point, peripheries=2, width=0.1, height=0.1, color=\"" + LineColor + "\", fillcolor=\"" + LineColor + "\"];\n")
		}
	}
	if hasInitial || hasFinal || len(m.Transitions) > 0 {
		b.WriteByte('\n')
	}
	for _, s := range m.States {
		if s.Initial {
			b.WriteByte('\t')
			writeDOTID(&b, StartNode)
			b.WriteString(" -> ")
			writeDOTID(&b, s.Name)
			b.WriteString(" [id=")
			writeDOTID(&b, EntryID(s.Name))
			b.WriteString(", class=\"entry\"];\n")
		}
	}
	es := edges(m)
	if len(es) > 0 {
		b.WriteString("\tnode [shape=plaintext, style=\"\", width=0, height=0, margin=\"0.14,0.03\", fontcolor=\"" + LabelColor + "\", fontsize=10];\n")
	}
	for _, e := range es {
		writeEdge(&b, e)
	}
	for _, s := range m.States {
		if s.Final {
			b.WriteByte('\t')
			writeDOTID(&b, s.Name)
			b.WriteString(" -> ")
			writeDOTID(&b, EndNode(s.Name))
			b.WriteString(" [id=")
			writeDOTID(&b, ExitID(s.Name))
			b.WriteString(", class=\"exit\"];\n")
		}
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// writeFieldsLabel writes the HTML-like label of a state with its fields:
// the name, a rule, and one left-aligned line per field.
func writeFieldsLabel(b *bytes.Buffer, s State) {
	b.WriteString(`<<table border="0" cellborder="0" cellspacing="0" cellpadding="2"><tr><td>`)
	b.WriteString(html.EscapeString(s.Name))
	b.WriteString(`</td></tr><hr/>`)
	for _, f := range s.Fields {
		b.WriteString(`<tr><td align="left"><font face="Courier" point-size="10">`)
		b.WriteString(html.EscapeString(f))
		b.WriteString(`</font></td></tr>`)
	}
	b.WriteString(`</table>>`)
}

// writeDOTID writes s as a double-quoted DOT string whose text is shown
// literally: quotes and backslashes are escaped, newlines become \n.
func writeDOTID(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
