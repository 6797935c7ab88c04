package machine

import (
	"bytes"
	"strings"
)

// Mermaid returns the Mermaid stateDiagram-v2 text of the machine: every
// state declared in declaration order, "[*] --> Initial", one line per
// transition labelled "Command / Event", and "Final --> [*]" for each final
// state. A highlighted state gets the class "current" with a fill colour.
// The text is stable: the same machine always gives the same bytes.
func (m Machine) Mermaid(opt Options) []byte {
	var b bytes.Buffer
	b.Grow(64 + 24*len(m.States) + 64*len(m.Transitions))
	b.WriteString("stateDiagram-v2\n")
	for _, s := range m.States {
		b.WriteString("    ")
		b.WriteString(mermaidID(s.Name))
		b.WriteByte('\n')
	}
	for _, s := range m.States {
		if s.Initial {
			b.WriteString("    [*] --> ")
			b.WriteString(mermaidID(s.Name))
			b.WriteByte('\n')
		}
	}
	for _, t := range m.Transitions {
		b.WriteString("    ")
		b.WriteString(mermaidID(t.From))
		b.WriteString(" --> ")
		b.WriteString(mermaidID(t.To))
		b.WriteString(" : ")
		b.WriteString(mermaidText(t.Label()))
		b.WriteByte('\n')
	}
	for _, s := range m.States {
		if s.Final {
			b.WriteString("    ")
			b.WriteString(mermaidID(s.Name))
			b.WriteString(" --> [*]\n")
		}
	}
	if opt.Highlight != "" && m.HasState(opt.Highlight) {
		b.WriteString("    classDef current fill:" + HighlightColor + ",stroke-width:2px\n")
		b.WriteString("    class ")
		b.WriteString(mermaidID(opt.Highlight))
		b.WriteString(" current\n")
	}
	return b.Bytes()
}

// mermaidID returns name as a Mermaid state id: names are identifiers in
// practice; any character Mermaid would read as syntax becomes '_'.
func mermaidID(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '_', r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r > 127:
			return r
		default:
			return '_'
		}
	}, name)
}

// mermaidText makes s safe as transition text: a line break or ';' would
// end the statement, '#' starts an entity code.
func mermaidText(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ", ";", ",", "#", "").Replace(s)
}
