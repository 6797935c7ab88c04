package dsl

import (
	"strings"

	"github.com/esgen/esgen/dsl/ast"
)

// transitionInfo remembers the first on clause of each command.
type transitionInfo struct {
	decl    *ast.Transition
	sources map[*State]bool
}

// transition checks one on clause and returns its model, or nil when the
// clause cannot be part of the model (unknown or already handled command).
func (c *checker) transition(s *aggScope, t *ast.Transition) *Transition {
	cmd := s.commands[t.Command.Name]
	if cmd == nil {
		c.reportName(t.Command, codeUndeclared, s.commandNames, s.kindHint(t.Command.Name, "command"), "undeclared command %s", t.Command.Name)
	}
	tr := &Transition{Command: cmd, Doc: t.Doc.Text(), Pos: fromLexer(t.Pos)}
	sources := map[*State]bool{}
	var order []*State // sources in order of appearance
	branchKeys := map[string]*ast.Branch{}
	for _, b := range t.Branches {
		br := c.branch(s, b)
		if br == nil {
			s.branchLost = true
			continue
		}
		for _, st := range br.From {
			if !sources[st] {
				sources[st] = true
				order = append(order, st)
			}
		}
		key := branchKey(br)
		if prev := branchKeys[key]; prev != nil {
			c.report(b.Pos, codeDuplicateBranch, "list every source in one branch: "+mergedBranch(prev, b),
				"this branch has the same target and events as the branch at line %d", prev.Pos.Line)
			continue
		}
		branchKeys[key] = b
		tr.Branches = append(tr.Branches, br)
	}
	if cmd == nil {
		return nil
	}
	s.handled[cmd] = true
	if prev := s.transitions[cmd]; prev != nil {
		for _, st := range order {
			if prev.sources[st] {
				c.report(t.Command.Pos, codeDuplicateDecision, "write the branches of the command in one on clause, separated by |",
					"command %s is already decided in state %s by the on clause at line %d", cmd.Name, st.Name, prev.decl.Pos.Line)
				return nil
			}
		}
		c.report(t.Command.Pos, codeDuplicateDecision, "write the branches of the command in one on clause, separated by |",
			"command %s already has an on clause at line %d", cmd.Name, prev.decl.Pos.Line)
		return nil
	}
	s.transitions[cmd] = &transitionInfo{decl: t, sources: sources}
	if len(tr.Branches) == 0 {
		return nil
	}
	return tr
}

// branchKey identifies a branch by target and events: two branches of one
// transition with the same key would get the same generated Go name.
func branchKey(br *Branch) string {
	var b strings.Builder
	b.WriteString(br.To.Name)
	for _, e := range br.Emits {
		b.WriteByte(' ')
		b.WriteString(e.Name)
	}
	return b.String()
}

// mergedBranch spells the branch that merges two duplicate branches.
func mergedBranch(a, b *ast.Branch) string {
	var from []string
	seen := map[string]bool{}
	for _, br := range []*ast.Branch{a, b} {
		for _, id := range br.From {
			if !seen[id.Name] {
				seen[id.Name] = true
				from = append(from, id.Name)
			}
		}
	}
	s := strings.Join(from, ", ") + " -> " + a.To.Name
	if len(a.Emits) > 0 {
		names := make([]string, len(a.Emits))
		for i, e := range a.Emits {
			names[i] = e.Name
		}
		s += " emits " + strings.Join(names, ", ")
	}
	return s
}

// branch resolves one branch; nil when a name does not resolve.
func (c *checker) branch(s *aggScope, b *ast.Branch) *Branch {
	br := &Branch{Pos: fromLexer(b.Pos)}
	ok := true
	seen := map[*State]bool{}
	for _, id := range b.From {
		st := c.lookupState(s, id)
		if st == nil {
			ok = false
			continue
		}
		if seen[st] {
			c.report(id.Pos, codeDuplicate, "", "state %s is already a source of this branch", st.Name)
			continue
		}
		seen[st] = true
		s.isSource[st] = true
		if st.Final {
			c.report(id.Pos, codeFromFinal, "", "state %s is final: no transition can leave it", st.Name)
		}
		br.From = append(br.From, st)
	}
	br.To = c.lookupState(s, b.To)
	if br.To == nil {
		ok = false
	} else {
		for _, from := range br.From {
			s.edges[from] = append(s.edges[from], br.To)
		}
	}
	emitted := map[*Event]bool{}
	for _, id := range b.Emits {
		ev := s.events[id.Name]
		if ev == nil {
			c.reportName(id, codeUndeclared, s.eventNames, s.kindHint(id.Name, "event"), "undeclared event %s", id.Name)
			ok = false
			continue
		}
		if emitted[ev] {
			c.report(id.Pos, codeDuplicate, "", "event %s is already emitted by this branch", ev.Name)
			continue
		}
		emitted[ev] = true
		s.emitted[ev] = true
		br.Emits = append(br.Emits, ev)
	}
	if !ok {
		return nil
	}
	if len(br.Emits) == 0 {
		for _, st := range br.From {
			if st != br.To {
				c.report(b.Arrow.Pos, codeChangeWithoutEvent, "add emits and the event that records the change",
					"branch from %s to %s emits no event, but state changes only by events", st.Name, br.To.Name)
				break
			}
		}
	}
	s.branchDecls[br] = b
	return br
}

// lookupState resolves a state name, reporting an undeclared one.
func (c *checker) lookupState(s *aggScope, id *ast.Ident) *State {
	if st := s.states[id.Name]; st != nil {
		return st
	}
	c.reportName(id, codeUndeclared, s.stateNames, s.kindHint(id.Name, "state"), "undeclared state %s", id.Name)
	s.incomplete = true
	return nil
}

// kindHint explains that a name exists, but as another kind of thing.
func (s *aggScope) kindHint(name, want string) string {
	var is string
	switch {
	case want != "state" && s.states[name] != nil:
		is = "a state"
	case want != "command" && s.commands[name] != nil:
		is = "a command"
	case want != "event" && s.events[name] != nil:
		is = "an event"
	default:
		return ""
	}
	return name + " is " + is + ", not " + article(want)
}

// article puts the indefinite article before a word or a type's name, by
// its first sound: an event, an int64, a state, a uint (you-int), a []byte.
func article(word string) string {
	if word != "" && strings.IndexByte("aeioAEIO", word[0]) >= 0 {
		return "an " + word
	}
	return "a " + word
}

// evolutions fills the Evolve table of the aggregate and reports events
// that lead the same state to two different states.
func (c *checker) evolutions(s *aggScope) {
	a := s.a
	type key struct {
		from *State
		ev   *Event
	}
	seen := map[key]*Evolution{}
	add := func(br *Branch, from *State, ev *Event, id *ast.Ident) {
		k := key{from, ev}
		if prev := seen[k]; prev != nil {
			if prev.To != br.To {
				c.report(id.Pos, codeAmbiguousTarget, "emit different events for different targets",
					"event %s in state %s leads to %s here, but to %s by the branch at line %d",
					ev.Name, from.Name, br.To.Name, prev.To.Name, prev.Branch.Pos.Line)
			}
			return
		}
		e := &Evolution{From: from, Event: ev, To: br.To, Branch: br}
		seen[k] = e
		a.Evolutions = append(a.Evolutions, e)
	}
	for _, t := range a.Transitions {
		for _, br := range t.Branches {
			decl := s.branchDecls[br]
			for _, from := range br.From {
				for i, ev := range br.Emits {
					src := from
					if i > 0 {
						src = br.To
					}
					add(br, src, ev, decl.Emits[i])
				}
			}
		}
	}
}

// reachability reports non-final states that accept no command and
// states that cannot be reached from the initial state. Branches with
// errors count too, and neither is judged when a branch names an unknown
// state (likely a misspelt one) or several states are initial, so that one
// mistake is reported once.
func (c *checker) reachability(s *aggScope) {
	a := s.a
	if s.incomplete {
		return
	}
	for _, st := range a.States {
		if !st.Final && !s.isSource[st] {
			c.report(s.stateDecls[st].Name.Pos, codeDeadEnd, "mark it final or add a transition from it",
				"state %s is not final but no command leaves it", st.Name)
		}
	}
	if a.Initial == nil {
		return
	}
	reached := map[*State]bool{a.Initial: true}
	queue := []*State{a.Initial}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		for _, to := range s.edges[st] {
			if !reached[to] {
				reached[to] = true
				queue = append(queue, to)
			}
		}
	}
	for _, st := range a.States {
		if !reached[st] {
			c.report(s.stateDecls[st].Name.Pos, codeUnreachable, "", "state %s is unreachable from the initial state %s", st.Name, a.Initial.Name)
		}
	}
}
