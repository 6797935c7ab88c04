package dsl

import (
	"strings"

	"github.com/esgen/esgen/internal/goname"
)

// checkNaming warns about event and command names that read wrong, and
// about commands no transition handles and events no transition emits.
// The tense rule (W003, W005) is in tense.go; an event should also not end
// in "Event": the generated type is an event.
func (c *checker) checkNaming(s *aggScope) {
	a := s.a
	for _, ev := range a.Events {
		id := s.eventDecls[ev]
		if len(id) == 0 {
			continue
		}
		pos := id[0].Name.Pos
		words := goname.Words(ev.Name)
		if n := len(words); n > 0 && (words[n-1] == "Event" || words[n-1] == "Events" || words[n-1] == "event") {
			sugg := ""
			if trimmed := strings.Join(words[:n-1], ""); trimmed != "" && len(ev.Name) > len(words[n-1]) {
				sugg = "rename it " + ev.Name[:len(ev.Name)-len(words[n-1])]
				sugg = strings.TrimRight(sugg, "_")
			}
			c.report(pos, codeEventSuffix, sugg, "event %s ends in %s: the generated type already is an event", ev.Name, words[n-1])
		}
		if ok, participle, rename := eventPastTense(ev.Name); !ok {
			switch {
			case rename != "":
				c.report(pos, codeEventTense, "rename it "+rename,
					"event %s is not named in the past tense: its past form %s does not come last", ev.Name, participle)
			default:
				c.report(pos, codeEventTense, "name what happened, such as OrderShipped or PaymentRefunded",
					"event %s is not named in the past tense", ev.Name)
			}
		}
		if !a.Eventual && !s.emitted[ev] {
			c.report(pos, codeUnusedEvent, "", "event %s is never emitted by a transition", ev.Name)
		}
	}
	for _, cmd := range a.Commands {
		pos := s.cmdDecls[cmd].Name.Pos
		if commandPastTense(cmd.Name) {
			c.report(pos, codeCommandTense, "name the request in the imperative, such as ShipOrder or RefundPayment",
				"command %s is named in the past tense, like an event", cmd.Name)
		}
		if !s.handled[cmd] {
			c.report(pos, codeUnusedCommand, "", "command %s is not handled by any on clause", cmd.Name)
		}
	}
}

// checkUnused warns about imports, value types and externs nothing uses.
func (c *checker) checkUnused(m *File) {
	for _, im := range m.Imports {
		if !c.used[im] {
			c.diags = append(c.diags, newDiag(im.Pos, codeUnusedImport, "import \""+im.Path+"\" is not used by any field", "remove it"))
		}
	}
	for _, vt := range m.Types {
		if !c.used[vt] {
			c.report(c.typeDecls[vt].Name.Pos, codeUnusedType, "", "type %s is not used by any field", vt.Name)
		}
	}
	for _, x := range m.Externs {
		if !c.used[x] {
			c.report(c.externDecls[x].Name.Pos, codeUnusedType, "", "extern %s is not used by any field", x.Name)
		}
	}
}
