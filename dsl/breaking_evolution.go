package dsl

import (
	"fmt"
	"strings"
)

// evolution compares the Evolve table of an aggregate with the one at the
// reference. Stored events are replayed through it: every history the
// published machine could store must still load (B016), reach the same
// states (B017), and give the fields of those states the same values
// (B018), or the stored aggregates change under their users' feet.
//
// The histories the published machine can store start in its initial
// state and follow its table. The walk follows them through both tables
// at once: a state of the reference is matched with the state of the same
// name, or, for a state renamed, with the state its history now reaches,
// so that a state renamed, whose histories replay as they did, passes (a
// state gone whose histories now reach a state that was there already was
// merged into it, not renamed: they replay into another state). A
// walk stops where the tables part: what follows a diagnostic is its
// consequence, not another change.
func (b *breaking) evolution(oa, na *Aggregate) {
	if oa.Eventual || na.Eventual || oa.Initial == nil || na.Initial == nil {
		return // no table (B004 reports a machine given to an eventual aggregate)
	}
	newEvents := map[string]bool{}
	for _, e := range na.Events {
		newEvents[e.Name] = true
	}
	oldTable := map[string][]*Evolution{} // in the table's order: by branch, then event
	for _, e := range oa.Evolutions {
		oldTable[e.From.Name] = append(oldTable[e.From.Name], e)
	}
	newTable := evolutionTable(na)
	oldTrans := transitionOf(oa)
	// match is the state of na that histories reaching a state of oa now
	// reach: the state of the same name, else the first one the walk finds.
	match := map[string]*State{}
	for _, s := range oa.States {
		if ns := stateNamed(na.States, s.Name); ns != nil {
			match[s.Name] = ns
		}
	}
	if match[oa.Initial.Name] == nil {
		match[oa.Initial.Name] = na.Initial // the initial state renamed
	}
	// taken are the states of na that states of oa are matched with: a
	// state gone is renamed only to a state new, and to one only.
	taken := map[*State]bool{}
	for _, s := range match {
		taken[s] = true
	}
	queue := []statePair{{oa.Initial, na.Initial}}
	seen := map[statePair]bool{queue[0]: true}
	done := map[*Evolution]bool{}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, oe := range oldTable[p.o.Name] {
			if !newEvents[oe.Event.Name] || done[oe] {
				continue // B006 reports the event gone
			}
			done[oe] = true
			ne := newTable[p.n.Name][oe.Event.Name]
			if ne == nil {
				b.evolutionRemoved(oa, na, oe, p.n, oldTrans)
				continue
			}
			want := match[oe.To.Name]
			if want == nil && !taken[ne.To] {
				// A state gone, reached where a state new is: renamed.
				want = ne.To
				match[oe.To.Name] = want
				taken[want] = true
			}
			if ne.To != want {
				keep := fmt.Sprintf("keep %s -> %s for %s", p.n.Name, oe.To.Name, oe.Event.Name)
				if want == nil {
					keep = fmt.Sprintf("keep state %s, and %s -> %s for %s", oe.To.Name, p.n.Name, oe.To.Name, oe.Event.Name)
				} else if want.Name != oe.To.Name {
					keep = fmt.Sprintf("keep %s -> %s (renamed from %s) for %s", p.n.Name, want.Name, oe.To.Name, oe.Event.Name)
				}
				b.report(ne.Branch.Pos, codeEvolutionRetargeted, keep+", and emit a new event on the branch to "+ne.To.Name,
					"event %s now leads %s from %s to %s (published: %s): the stored %s histories with %s in %s would replay into %s, not %s",
					oe.Event.Name, na.Name, stateText(p), ne.To.Name, branchText(oldTrans[oe.Branch], oe.Branch), na.Name, oe.Event.Name, oe.From.Name, ne.To.Name, oe.To.Name)
				continue
			}
			b.evolutionFields(na, oe, ne)
			if q := (statePair{oe.To, ne.To}); !seen[q] {
				seen[q] = true
				queue = append(queue, q)
			}
		}
	}
}

// statePair is a state of the published machine and the state of the
// current one that the same stored histories reach.
type statePair struct{ o, n *State }

// stateText names the state a pair of the walk is in, in the reference's
// terms, with its new name when it was renamed.
func stateText(p statePair) string {
	if p.o.Name == p.n.Name {
		return p.o.Name
	}
	return p.o.Name + " (now " + p.n.Name + ")"
}

// evolutionRemoved reports an entry of the published table that the new
// one lacks: a stored history with that event in that state fails to load.
// It is placed at the transition of the command whose branch gave the
// entry, else at a transition that emits the event, else at the event.
func (b *breaking) evolutionRemoved(oa, na *Aggregate, oe *Evolution, now *State, oldTrans map[*Branch]*Transition) {
	ot := oldTrans[oe.Branch]
	pos := na.Pos
	if ev := eventNamed(na.Events, oe.Event.Name); ev != nil {
		pos = ev.Pos
	}
	command := ""
	if ot != nil {
		command = ot.Command.Name
	}
	var found bool
	for _, t := range na.Transitions {
		if t.Command.Name == command {
			pos, found = t.Pos, true
			break
		}
	}
	if !found {
	search:
		for _, t := range na.Transitions {
			for _, br := range t.Branches {
				for _, e := range br.Emits {
					if e.Name == oe.Event.Name {
						pos = t.Pos
						break search
					}
				}
			}
		}
	}
	refuse := ""
	if command != "" {
		refuse = "; the decision may refuse " + command + " there"
	}
	b.report(pos, codeEvolutionRemoved,
		fmt.Sprintf("keep %s among the sources of a branch that emits %s%s", now.Name, oe.Event.Name, refuse),
		"event %s no longer applies to %s in state %s (published: %s): the stored %s histories with %s in %s can no longer be loaded",
		oe.Event.Name, na.Name, stateText(statePair{oe.From, now}), branchText(ot, oe.Branch), na.Name, oe.Event.Name, oe.From.Name)
}

// evolutionFields compares where the fields of the state an event leads to
// come from, for the fields the state has in both (same name and type):
// from the event, carried over from the state left, or zero. A hook, on
// either side, is code esgen does not see: it is not compared.
func (b *breaking) evolutionFields(na *Aggregate, oe, ne *Evolution) {
	if oe.Hook || ne.Hook {
		return
	}
	old := map[string]*FieldSource{}
	for _, fs := range oe.Fields {
		old[fs.Field.Name] = fs
	}
	for _, fs := range ne.Fields {
		ofs := old[fs.Field.Name]
		if ofs == nil || typeShape(ofs.Field.Type) != typeShape(fs.Field.Type) {
			continue // a new field: the published state did not have it
		}
		if ofs.Origin == fs.Origin && (fs.Origin == ZeroValue || ofs.From.Name == fs.From.Name) {
			continue
		}
		pos := ne.Branch.Pos
		if ne.Decl != nil {
			pos = ne.Decl.Pos
		}
		b.report(pos, codeEvolutionChanged, restoreText(fs, ofs, oe)+"; a hook or a new event can carry the new rule",
			"field %s of %s, which %s leads %s to from %s, now comes from %s (published: from %s): the stored %s histories would replay to another %s",
			fs.Field.Name, ne.To.Name, ne.Event.Name, na.Name, ne.From.Name, originText(fs, ne), originText(ofs, oe), na.Name, fs.Field.Name)
	}
}

// originText says where a field of a generated evolution comes from.
func originText(fs *FieldSource, e *Evolution) string {
	switch fs.Origin {
	case FromEvent:
		return "field " + fs.From.Name + " of " + e.Event.Name
	case FromState:
		if e.From == e.To {
			return "the state it keeps"
		}
		return "field " + fs.From.Name + " of " + e.From.Name
	default:
		return "its zero value"
	}
}

// restoreText says how to give a field the value the published rule gave
// it (ofs, of the published entry oe), where it now has fs's.
func restoreText(fs, ofs *FieldSource, oe *Evolution) string {
	f := fs.Field.Name
	switch {
	case ofs.Origin == ZeroValue:
		return fmt.Sprintf("declare zero %s as published", f)
	case ofs.Origin == FromEvent:
		return fmt.Sprintf("take %s from %s as published, neither dropped nor zero", f, oe.Event.Name)
	case fs.Origin == ZeroValue:
		return fmt.Sprintf("carry %s over from %s as published, not zero", f, oe.From.Name)
	default:
		return fmt.Sprintf("declare evolve %s on %s: drop %s to carry it over from %s as published", oe.From.Name, oe.Event.Name, fs.From.Name, oe.From.Name)
	}
}

// evolutionTable indexes an aggregate's Evolve table by state and event.
func evolutionTable(a *Aggregate) map[string]map[string]*Evolution {
	t := map[string]map[string]*Evolution{}
	for _, e := range a.Evolutions {
		if t[e.From.Name] == nil {
			t[e.From.Name] = map[string]*Evolution{}
		}
		t[e.From.Name][e.Event.Name] = e
	}
	return t
}

// transitionOf maps each branch of an aggregate to its transition.
func transitionOf(a *Aggregate) map[*Branch]*Transition {
	m := map[*Branch]*Transition{}
	for _, t := range a.Transitions {
		for _, br := range t.Branches {
			m[br] = t
		}
	}
	return m
}

// branchText spells one branch of a transition as the .esm writes it:
// `on Retire: Available, InRepair -> Retired emits ToolRetired`.
func branchText(t *Transition, br *Branch) string {
	from := make([]string, len(br.From))
	for i, s := range br.From {
		from[i] = s.Name
	}
	text := strings.Join(from, ", ") + " -> " + br.To.Name
	if len(br.Emits) > 0 {
		emits := make([]string, len(br.Emits))
		for i, e := range br.Emits {
			emits[i] = e.Name
		}
		text += " emits " + strings.Join(emits, ", ")
	}
	if t == nil {
		return text
	}
	return "on " + t.Command.Name + ": " + text
}

// stateNamed returns the state of that name, or nil.
func stateNamed(states []*State, name string) *State {
	for _, s := range states {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// eventNamed returns the event of that name, or nil.
func eventNamed(events []*Event, name string) *Event {
	for _, e := range events {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// processEvolution compares the Evolve table of a process with the one at
// the reference. A stored step names the state it entered, and the
// process replays it only through an entry of that source, input and
// target: one the table lost no longer loads (B019). States and inputs
// gone are B014 and B015.
func (b *breaking) processEvolution(op, np *Process) {
	type key struct{ from, input, to string }
	cur := map[key]bool{}
	for _, e := range np.Evolutions {
		cur[key{e.From.Name, e.Input.Name, e.To.Name}] = true
	}
	states := map[string]bool{}
	for _, s := range np.States {
		states[s.Name] = true
	}
	reactions := map[string]*Reaction{}
	for _, r := range np.Reactions {
		reactions[r.Input.Name] = r
	}
	oldReaction := map[*ProcessBranch]*Reaction{}
	for _, r := range op.Reactions {
		for _, br := range r.Branches {
			oldReaction[br] = r
		}
	}
	reported := map[key]bool{}
	for _, e := range op.Evolutions {
		k := key{e.From.Name, e.Input.Name, e.To.Name}
		r := reactions[e.Input.Name]
		if cur[k] || reported[k] || r == nil || !states[k.from] || !states[k.to] {
			continue
		}
		reported[k] = true
		b.report(r.Pos, codeProcessEvolutionRemoved,
			fmt.Sprintf("keep a branch %s -> %s on %s; the decision need never take it", k.from, k.to, inputPhrase(e.Input)),
			"process %s no longer goes from %s to %s on %s (published: %s): its stored steps that did can no longer be loaded",
			np.Name, k.from, k.to, inputPhrase(e.Input), processBranchText(oldReaction[e.Branch], e.Branch))
	}
}

// processBranchText spells one branch of a reaction as the .esm writes it:
// `on Loan.ToolReturned: Lent, Late -> Done sends Tool.TakeBack`.
func processBranchText(r *Reaction, br *ProcessBranch) string {
	from := make([]string, len(br.From))
	for i, s := range br.From {
		from[i] = s.Name
	}
	text := strings.Join(from, ", ") + " -> " + br.To.Name
	if len(br.Sends) > 0 {
		sends := make([]string, len(br.Sends))
		for i, s := range br.Sends {
			sends[i] = s.Aggregate.Name + "." + s.Command.Name
		}
		text += " sends " + strings.Join(sends, ", ")
	}
	if r == nil {
		return text
	}
	in := r.Input
	switch in.Kind {
	case InputEvent:
		return "on " + in.Aggregate.Name + "." + in.Event.Name + ": " + text
	case InputRejection:
		return "on rejected " + in.Aggregate.Name + "." + in.Command.Name + ": " + text
	default:
		return fmt.Sprintf("after %s in %s as %s: %s", in.Text, in.State.Name, in.Name, text)
	}
}
