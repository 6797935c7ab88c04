package lsp

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/esgen/esgen/dsl/ast"
)

// Completion offers the names an on clause (and the timers, evolve and
// correlate declarations like it) can hold where the cursor is: in an
// aggregate, the commands after `on`, the states after `:`, `->`, `|` and
// `,`, the events after `emits`; in a process, `Aggregate.Event` after
// `on`, `Aggregate.Command` after `on rejected` and `sends`, its states
// in branches. The context is read from the text of the line, so that it
// works while the line is being typed and the file does not parse; the
// names come from the last version of each file of the package that
// parsed.

// blockRE matches the first line of an aggregate or a process, and
// tokenRE the words and separators of a line.
var (
	blockRE = regexp.MustCompile(`^\s*(?:(?:eventual\s+)?(aggregate)|(process))\s+([\p{L}_][\p{L}\p{N}_]*)`)
	tokenRE = regexp.MustCompile(`->|[\p{L}\p{N}_.]+|[:|,{}=]`)
)

// candidate is one name to offer.
type candidate struct {
	label  string
	kind   protocol.CompletionItemKind
	detail string
	doc    string
}

// completion answers a completion request.
func (s *server) completion(_ *glsp.Context, params *protocol.CompletionParams) (any, error) {
	p, u, err := s.ws.unitOf(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	t := u.text
	off := t.offset(params.Position)
	line := min(int(params.Position.Line), len(t.lines)-1)
	lineStart := t.lines[line]
	start := off
	for start > lineStart { // the name being typed, qualified or not
		r, n := utf8.DecodeLastRuneInString(t.src[:start])
		if r != '.' && !isWordRune(r) {
			break
		}
		start -= n
	}
	if strings.Contains(t.src[lineStart:start], "//") {
		return nil, nil // in a comment
	}
	head := tokenRE.FindAllString(t.src[lineStart:start], -1)
	kind, owner := enclosingBlock(t, line)
	if kind == "" {
		return nil, nil
	}
	cands := s.candidates(p, u, kind, owner, head)
	items := make([]protocol.CompletionItem, 0, len(cands))
	rng := t.rangeOf(start, off)
	for _, c := range cands {
		item := protocol.CompletionItem{
			Label:    c.label,
			Kind:     &c.kind,
			TextEdit: protocol.TextEdit{Range: rng, NewText: c.label},
		}
		if c.detail != "" {
			d := c.detail
			item.Detail = &d
		}
		if c.doc != "" {
			item.Documentation = protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: c.doc}
		}
		items = append(items, item)
	}
	return protocol.CompletionList{Items: items}, nil
}

// enclosingBlock returns "aggregate" or "process" and its name when line
// is inside one: the nearest first line of a block above it, unless a
// closing brace at the start of a line comes first.
func enclosingBlock(t *text, line int) (kind, name string) {
	for l := line; l >= 0; l-- {
		s := t.src[t.lines[l]:t.lineEnd(l)]
		if m := blockRE.FindStringSubmatch(s); m != nil {
			if l == line {
				return "", "" // naming the block itself
			}
			return m[1] + m[2], m[3]
		}
		if l < line && strings.HasPrefix(s, "}") {
			return "", ""
		}
	}
	return "", ""
}

// candidates returns the names that fit after the tokens head, in the
// aggregate or process owner.
func (s *server) candidates(p *pkg, u *unit, kind, owner string, head []string) []candidate {
	if len(head) == 0 {
		return nil
	}
	first, last := head[0], head[len(head)-1]
	// lastWord is the last keyword or separator that says what a list
	// after it holds.
	lastWord := ""
	for _, tok := range head {
		switch tok {
		case "emits", "sends", "->", ":", "|", "on", "in", "evolve", "rejected", "correlate":
			lastWord = tok
		}
	}
	if last != "," && last != lastWord {
		return nil // after a complete name, not a separator
	}
	files := s.ws.trees(p, u)
	if kind == "aggregate" {
		m := members(files, owner)
		switch {
		case first == "on" && lastWord == "on":
			return m.commands
		case first == "on" && (lastWord == ":" || lastWord == "->"), first == "|" && lastWord != "emits":
			return m.states
		case (first == "on" || first == "|") && lastWord == "emits":
			return m.events
		case first == "after" && lastWord == "in":
			return m.states
		case first == "after" && lastWord == ":":
			return m.commands
		case first == "evolve" && lastWord == "evolve":
			return m.states
		case first == "evolve" && lastWord == "on":
			return m.events
		}
		return nil
	}
	states := processStates(files, owner)
	switch {
	case first == "on" && lastWord == "on" && last == "on":
		return append(qualifiedMembers(files, false), candidate{label: "rejected", kind: protocol.CompletionItemKindKeyword,
			detail: "react to a command of this process that its aggregate refused"})
	case first == "on" && lastWord == "rejected" && last == "rejected":
		return qualifiedMembers(files, true)
	case lastWord == "sends":
		return qualifiedMembers(files, true)
	case (first == "on" || first == "|" || first == "after") && (lastWord == ":" || lastWord == "->" || lastWord == "|"):
		return states
	case first == "after" && lastWord == "in":
		return states
	case first == "correlate" && last == "correlate":
		var out []candidate
		for _, f := range files {
			for _, d := range f.Decls {
				if a, ok := d.(*ast.Aggregate); ok && a.Eventual == nil {
					out = append(out, candidate{label: a.Name.Name, kind: protocol.CompletionItemKindClass, detail: "aggregate", doc: a.Doc.Text()})
				}
			}
		}
		return out
	}
	return nil
}

// trees returns the syntax trees of the files of p, u's first: each the
// current one, or the last that parsed.
func (w *workspace) trees(p *pkg, u *unit) []*ast.File {
	var out []*ast.File
	add := func(v *unit) {
		f := v.ast
		if f == nil {
			f = w.good[v.path]
		}
		if f != nil {
			out = append(out, f)
		}
	}
	add(u)
	for _, v := range p.units {
		if v != u {
			add(v)
		}
	}
	return out
}

// aggMembers are the names of an aggregate to offer.
type aggMembers struct{ states, commands, events []candidate }

// members returns the states, commands and events of aggregate name, from
// the first file declaring it.
func members(files []*ast.File, name string) aggMembers {
	var m aggMembers
	for _, f := range files {
		for _, d := range f.Decls {
			a, ok := d.(*ast.Aggregate)
			if !ok || a.Name.Name != name {
				continue
			}
			seen := map[string]bool{}
			of := " of " + name
			for _, mem := range a.Members {
				switch mem := mem.(type) {
				case *ast.State:
					m.states = append(m.states, candidate{mem.Name.Name, protocol.CompletionItemKindEnumMember, "state" + of, mem.Doc.Text()})
				case *ast.Command:
					m.commands = append(m.commands, candidate{mem.Name.Name, protocol.CompletionItemKindFunction, "command" + of, mem.Doc.Text()})
				case *ast.Event:
					if !seen[mem.Name.Name] {
						seen[mem.Name.Name] = true
						m.events = append(m.events, candidate{mem.Name.Name, protocol.CompletionItemKindEvent, "event" + of, mem.Doc.Text()})
					}
				}
			}
			return m
		}
	}
	return m
}

// processStates returns the states of process name.
func processStates(files []*ast.File, name string) []candidate {
	for _, f := range files {
		for _, d := range f.Decls {
			pr, ok := d.(*ast.Process)
			if !ok || pr.Name.Name != name {
				continue
			}
			var out []candidate
			for _, m := range pr.Members {
				if st, ok := m.(*ast.State); ok {
					out = append(out, candidate{st.Name.Name, protocol.CompletionItemKindEnumMember, "state of " + name, st.Doc.Text()})
				}
			}
			return out
		}
	}
	return nil
}

// qualifiedMembers returns Aggregate.Event, or Aggregate.Command with
// commands set, for every aggregate of the package with a state machine.
func qualifiedMembers(files []*ast.File, commands bool) []candidate {
	var out []candidate
	seen := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			a, ok := d.(*ast.Aggregate)
			if !ok || a.Eventual != nil || seen[a.Name.Name] {
				continue
			}
			seen[a.Name.Name] = true
			m := members(files, a.Name.Name)
			list := m.events
			if commands {
				list = m.commands
			}
			for _, c := range list {
				c.label = a.Name.Name + "." + c.label
				out = append(out, c)
			}
		}
	}
	return out
}
