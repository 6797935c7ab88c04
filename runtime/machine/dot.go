package machine

import (
	"bytes"
	"strings"
)

// StartNode is the DOT node id of the point the entry arrow to the initial
// state starts from. It cannot clash with a state declared in a .esm file,
// whose names are identifiers.
const StartNode = "[*]"

// DOT returns the Graphviz DOT text of the machine: states as nodes in
// declaration order (final states double-circled), an entry arrow from a
// point node to each initial state, and one edge per transition in
// declaration order, labelled "Command / Event" (Mealy notation).
// The text is stable: the same machine always gives the same bytes, and it
// carries no layout coordinates.
func (m Machine) DOT(opt Options) []byte {
	var b bytes.Buffer
	b.Grow(256 + 48*len(m.States) + 80*len(m.Transitions))
	b.WriteString("digraph ")
	writeDOTID(&b, m.Name)
	b.WriteString(" {\n")
	b.WriteString("\tgraph [rankdir=LR, nodesep=0.5, ranksep=0.7, fontname=\"Helvetica\"];\n")
	b.WriteString("\tnode [shape=circle, fontname=\"Helvetica\", fontsize=12, margin=0.05];\n")
	b.WriteString("\tedge [fontname=\"Helvetica\", fontsize=10];\n")

	hasInitial := false
	for _, s := range m.States {
		if s.Initial {
			hasInitial = true
			break
		}
	}
	if hasInitial {
		b.WriteString("\n\t")
		writeDOTID(&b, StartNode)
		b.WriteString(" [shape=point, width=0.15, label=\"\"];\n")
	}
	if len(m.States) > 0 {
		b.WriteByte('\n')
	}
	for _, s := range m.States {
		b.WriteByte('\t')
		writeDOTID(&b, s.Name)
		var attrs []string
		if s.Final {
			attrs = append(attrs, "shape=doublecircle")
		}
		if opt.Highlight != "" && s.Name == opt.Highlight {
			attrs = append(attrs, "style=filled", "fillcolor=\""+HighlightColor+"\"", "penwidth=2")
		}
		if len(attrs) > 0 {
			b.WriteString(" [")
			b.WriteString(strings.Join(attrs, ", "))
			b.WriteByte(']')
		}
		b.WriteString(";\n")
	}
	if hasInitial || len(m.Transitions) > 0 {
		b.WriteByte('\n')
	}
	for _, s := range m.States {
		if s.Initial {
			b.WriteByte('\t')
			writeDOTID(&b, StartNode)
			b.WriteString(" -> ")
			writeDOTID(&b, s.Name)
			b.WriteString(";\n")
		}
	}
	for _, t := range m.Transitions {
		b.WriteByte('\t')
		writeDOTID(&b, t.From)
		b.WriteString(" -> ")
		writeDOTID(&b, t.To)
		b.WriteString(" [label=")
		writeDOTID(&b, t.Label())
		b.WriteString("];\n")
	}
	b.WriteString("}\n")
	return b.Bytes()
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
