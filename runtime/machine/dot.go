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
// point node to each initial state, and the transitions labelled
// "Command / Event" (Mealy notation). Transitions between the same two
// states share one edge whose label has one line per transition, so that
// parallel edges and stacked self-loops do not cross each other's labels;
// edges are in the order of their first transition, lines in declaration
// order.
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
	for _, e := range edges(m.Transitions) {
		b.WriteByte('\t')
		writeDOTID(&b, e.from)
		b.WriteString(" -> ")
		writeDOTID(&b, e.to)
		b.WriteString(" [label=")
		writeDOTID(&b, strings.Join(e.labels, "\n"))
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

// edge is one drawn edge: every transition from one state to another.
type edge struct {
	from, to string
	labels   []string
}

// edges groups the transitions by (From, To), in order of first
// appearance, each group's labels in declaration order.
func edges(ts []Transition) []edge {
	var es []edge
	index := map[[2]string]int{}
	for _, t := range ts {
		k := [2]string{t.From, t.To}
		i, ok := index[k]
		if !ok {
			i = len(es)
			index[k] = i
			es = append(es, edge{from: t.From, to: t.To})
		}
		es[i].labels = append(es[i].labels, t.Label())
	}
	return es
}
