package machine

import (
	"bytes"
	"strings"
)

// Mermaid returns the Mermaid stateDiagram-v2 text of the machine: every
// state declared in declaration order, "[*] --> Initial", one line per
// transition labelled "Command / Event", and "Final --> [*]" for each final
// state. A highlighted state gets the class "current" with a fill colour.
// A state whose name Mermaid would read as something else (a keyword such
// as "Note", or a character of its syntax) is declared under another id
// with its name as the label: state "Note" as Note_. The text is stable:
// the same machine always gives the same bytes.
func (m Machine) Mermaid(opt Options) []byte {
	var b bytes.Buffer
	b.Grow(64 + 24*len(m.States) + 64*len(m.Transitions))
	b.WriteString("stateDiagram-v2\n")
	ids := m.mermaidIDs()
	mermaidID := func(name string) string {
		if id, ok := ids[name]; ok {
			return id
		}
		return safeID(name)
	}
	for _, s := range m.States {
		b.WriteString("    ")
		if id := mermaidID(s.Name); id != s.Name {
			b.WriteString(`state "`)
			b.WriteString(strings.ReplaceAll(mermaidText(s.Name), `"`, "'"))
			b.WriteString(`" as `)
			b.WriteString(id)
		} else {
			b.WriteString(id)
		}
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

// mermaidKeywords are the words Mermaid's state diagram lexer reads as
// syntax at the start of a statement, whatever their case ("Direction"
// and a state "Tb" on the next line even read as "direction TB").
var mermaidKeywords = map[string]bool{
	"state": true, "statediagram": true, "note": true, "scale": true, "direction": true,
	"class": true, "classdef": true, "style": true, "click": true,
}

// mermaidIDs gives every state a Mermaid id: its name when that is safe,
// else the name made safe and, when that is a keyword or another state's
// name or id, followed by underscores until it is none of them.
func (m Machine) mermaidIDs() map[string]string {
	ids := make(map[string]string, len(m.States))
	taken := make(map[string]bool, 2*len(m.States))
	for _, s := range m.States {
		taken[s.Name] = true
	}
	for _, s := range m.States {
		id := safeID(s.Name)
		if id == s.Name && !mermaidKeywords[strings.ToLower(id)] {
			ids[s.Name] = id
			continue
		}
		for mermaidKeywords[strings.ToLower(id)] || taken[id] {
			id += "_"
		}
		taken[id] = true
		ids[s.Name] = id
	}
	return ids
}

// safeID returns name with every character Mermaid would read as syntax
// replaced by '_'.
func safeID(name string) string {
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
