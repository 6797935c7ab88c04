package machine

import (
	"bytes"
	"strings"
)

// edge is one drawn edge: every transition from one state to another.
type edge struct {
	from, to string
	labels   []string
	// back is set when the layout draws the edge against the flow (right
	// to left): it leads back to a state on the way to from.
	back bool
}

// edges groups the transitions of m by (From, To), in order of first
// appearance, each group's labels in declaration order, and marks the back
// edges: those that close a cycle in a depth-first walk from the initial
// marker, then from each state in declaration order, taking each state's
// edges in order (the walk Graphviz's dot makes to break cycles, so that
// the layout and esgen agree on which way each edge runs). Self-loops are
// not back edges.
func edges(m Machine) []edge {
	var es []edge
	index := map[[2]string]int{}
	out := map[string][]int{}
	for _, t := range m.Transitions {
		k := [2]string{t.From, t.To}
		i, ok := index[k]
		if !ok {
			i = len(es)
			index[k] = i
			es = append(es, edge{from: t.From, to: t.To})
			out[t.From] = append(out[t.From], i)
		}
		es[i].labels = append(es[i].labels, t.Label())
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var walk func(s string)
	walk = func(s string) {
		state[s] = onPath
		for _, i := range out[s] {
			switch to := es[i].to; {
			case to == s:
			case state[to] == onPath:
				es[i].back = true
			case state[to] == unseen:
				walk(to)
			}
		}
		state[s] = done
	}
	for _, s := range m.States {
		if s.Initial && state[s.Name] == unseen {
			walk(s.Name)
		}
	}
	for _, s := range m.States {
		if state[s.Name] == unseen {
			walk(s.Name)
		}
	}
	return es
}

// writeEdge writes an edge as two DOT edges through a node that holds its
// label, so that the layout keeps every label on its own edge and routes
// other edges around it. The first part, from the source to the label, has
// the id EdgeID and no arrowhead; the second, from the label to the
// target, has the id HeadID and the arrowhead; both and the label have the
// class EdgeID. The parts attach to the label's sides (ports w and e).
// A back edge is written target first with dir=back, so that its label
// lies between the two states it links rather than beyond the source.
func writeEdge(b *bytes.Buffer, e edge) {
	id := EdgeID(e.from, e.to)
	label := LabelNode(e.from, e.to)
	b.WriteByte('\t')
	writeDOTID(b, label)
	b.WriteString(" [id=")
	writeDOTID(b, LabelID(e.from, e.to))
	b.WriteString(", class=")
	writeDOTID(b, "label "+id)
	b.WriteString(", label=")
	writeDOTID(b, strings.Join(e.labels, "\n"))
	b.WriteString("];\n")
	part := func(from, to, id, attrs string) {
		b.WriteByte('\t')
		writeDOTID(b, from)
		b.WriteString(" -> ")
		writeDOTID(b, to)
		b.WriteString(" [id=")
		writeDOTID(b, id)
		b.WriteString(", class=")
		writeDOTID(b, "transition "+EdgeID(e.from, e.to))
		b.WriteString(", " + attrs + "];\n")
	}
	if e.back {
		part(e.to, label, HeadID(e.from, e.to), "headport=w, dir=back")
		part(label, e.from, id, "tailport=e, dir=none")
		return
	}
	part(e.from, label, id, "headport=w, arrowhead=none")
	part(label, e.to, HeadID(e.from, e.to), "tailport=e")
}
