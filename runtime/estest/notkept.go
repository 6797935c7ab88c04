package estest

import (
	"slices"
	"strings"
	"testing"
)

// NotKept returns cases with fields of the state left that the new state
// of one pair deliberately does not keep no longer required to matter:
// a process's counter reset when it changes state, or a field whose value
// the input replaces under another name. pair is "State/Event" as the
// failure names it, fields the fields as the .esm names them. A process's
// .esm has no evolve declarations to say so; an aggregate says it in its
// .esm instead (evolve S on E: hook; set f, or zero f). A pair or field
// that cases do not list fails t, so that a misspelt name is not silently
// left unchecked.
//
//	cases := estest.NotKept(t, replenishEvolutions(), "Watching/StockPicked", "picked")
//	estest.CheckEvolutions(t, def, ReplenishStateName, cases, true)
func NotKept[S, E any](t testing.TB, cases []Evolution[S, E], pair string, fields ...string) []Evolution[S, E] {
	t.Helper()
	state, event, ok := strings.Cut(pair, "/")
	if !ok {
		t.Errorf("NotKept: pair %q is not State/Event", pair)
		return cases
	}
	out := slices.Clone(cases)
	found := false
	seen := map[string]bool{}
	for i := range out {
		c := &out[i]
		if c.State != state || c.Event != event {
			continue
		}
		found = true
		c.Changes = slices.DeleteFunc(slices.Clone(c.Changes), func(ch Change[S, E]) bool {
			if ch.InState && slices.Contains(fields, ch.Field) {
				seen[ch.Field] = true
				return true
			}
			return false
		})
	}
	if !found {
		t.Errorf("NotKept: no evolution %s", pair)
		return out
	}
	for _, f := range fields {
		if !seen[f] {
			t.Errorf("NotKept: %s: %s is not a field of %s that the new state must keep", pair, f, state)
		}
	}
	return out
}
