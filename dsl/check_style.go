package dsl

import (
	"strings"

	"github.com/esgen/esgen/internal/goname"
)

// checkNaming warns about event and command names that read wrong, and
// about commands no transition handles and events no transition emits.
//
// The tense heuristics look at the words of a name (split at underscores
// and case changes, as goname.Words does):
//   - an event should have a word in the past tense: a word ending in "ed"
//     (not a word such as "need" or "speed"), or a past form from a list of
//     irregular verbs ("sent", "paid", "built", "reset"...);
//   - an event should not end in "Event": the generated type is an event;
//   - a command should be an imperative: its last word must not be in the
//     past tense unless its first word is a verb taking a participle
//     ("Mark", "Set", "Flag", "Declare", "Report", "Keep", "Get", "Have",
//     "Leave", "Make", "Treat", "Consider"), and its first word must not be
//     in the past tense. Forms that are the same in the present ("set",
//     "put", "reset") never make a command past tense.
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
		past := false
		for _, w := range words {
			if pastTense(w, true) {
				past = true
				break
			}
		}
		if !past {
			c.report(pos, codeEventTense, "name what happened, such as OrderShipped or PaymentRefunded",
				"event %s is not named in the past tense", ev.Name)
		}
		if !a.Eventual && !s.emitted[ev] {
			c.report(pos, codeUnusedEvent, "", "event %s is never emitted by a transition", ev.Name)
		}
	}
	for _, cmd := range a.Commands {
		pos := s.cmdDecls[cmd].Name.Pos
		words := goname.Words(cmd.Name)
		if n := len(words); n > 0 && (pastTense(words[0], false) ||
			n > 1 && pastTense(words[n-1], false) && !participleVerbs[strings.ToLower(words[0])]) {
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

// pastTense reports whether word is a past participle or past tense form.
// ambiguous admits forms equal to the present ("set", "reset").
func pastTense(word string, ambiguous bool) bool {
	w := strings.ToLower(word)
	if irregularPast[w] || ambiguous && samePast[w] {
		return true
	}
	return len(w) >= 4 && strings.HasSuffix(w, "ed") && !notPast[w]
}

// participleVerbs start commands that end in a participle: MarkPaid.
var participleVerbs = map[string]bool{
	"mark": true, "set": true, "flag": true, "declare": true, "report": true, "keep": true,
	"get": true, "have": true, "leave": true, "make": true, "treat": true, "consider": true,
}

// notPast are words ending in "ed" that are not past forms.
var notPast = map[string]bool{
	"need": true, "seed": true, "feed": true, "speed": true, "breed": true, "bleed": true,
	"greed": true, "weed": true, "deed": true, "heed": true, "reed": true, "steed": true,
	"tweed": true, "proceed": true, "succeed": true, "exceed": true, "indeed": true,
	"embed": true, "hundred": true, "sacred": true, "naked": true, "wicked": true,
	"kindred": true, "shred": true, "sled": true,
}

// samePast are past forms equal to the present form.
var samePast = map[string]bool{
	"set": true, "reset": true, "put": true, "cut": true, "shut": true, "hit": true, "let": true,
	"quit": true, "read": true, "split": true, "spread": true, "upset": true, "cast": true,
	"broadcast": true, "forecast": true, "cost": true, "hurt": true, "burst": true, "fit": true,
	"bid": true, "rid": true, "shed": true, "run": true, "come": true, "become": true,
	"overcome": true, "bet": true, "rerun": true, "preset": true, "offset": true,
}

// irregularPast are past forms of irregular verbs that differ from the
// present form.
var irregularPast = map[string]bool{
	"arisen": true, "awoken": true, "beaten": true, "became": true, "began": true, "begun": true,
	"bent": true, "bitten": true, "bled": true, "blown": true, "bought": true, "bound": true,
	"bred": true, "broken": true, "broke": true, "brought": true, "built": true, "came": true,
	"caught": true, "chose": true, "chosen": true, "clung": true, "dealt": true, "did": true,
	"done": true, "drawn": true, "drew": true, "driven": true, "drove": true, "dug": true,
	"eaten": true, "fallen": true, "fed": true, "felt": true, "fled": true, "flown": true,
	"flew": true, "forbidden": true, "forgiven": true, "forgotten": true, "fought": true,
	"found": true, "froze": true, "frozen": true, "gave": true, "given": true, "gone": true,
	"got": true, "gotten": true, "grew": true, "ground": true, "grown": true, "had": true,
	"heard": true, "held": true, "hidden": true, "hung": true, "kept": true, "knew": true,
	"known": true, "laid": true, "led": true, "left": true, "lent": true, "lit": true,
	"lost": true, "made": true, "meant": true, "met": true, "overdone": true, "overridden": true,
	"paid": true, "proven": true, "ran": true, "rebuilt": true, "redone": true, "rewritten": true,
	"ridden": true, "risen": true, "rode": true, "rose": true, "rung": true, "said": true,
	"sang": true, "sank": true, "sat": true, "saw": true, "seen": true, "sent": true,
	"sewn": true, "shaken": true, "shone": true, "shook": true, "shot": true, "shown": true,
	"shrunk": true, "slept": true, "slid": true, "sold": true, "sought": true, "sown": true,
	"sped": true, "spent": true, "spoke": true, "spoken": true, "spun": true, "stolen": true,
	"stood": true, "struck": true, "stuck": true, "stung": true, "sung": true, "sunk": true,
	"swept": true, "sworn": true, "swum": true, "swung": true, "taken": true, "taught": true,
	"thought": true, "threw": true, "thrown": true, "told": true, "took": true, "torn": true,
	"understood": true, "undone": true, "unbound": true, "went": true, "wept": true, "withdrawn": true,
	"woken": true, "won": true, "worn": true, "woven": true, "wound": true, "written": true,
	"wrote": true, "wrung": true,
}
