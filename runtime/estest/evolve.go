package estest

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/esgen/esgen/runtime/es"
)

// Evolution is one (state, event) pair that a machine evolves, with values
// to check the evolution on. esgen generates the table of every pair of an
// aggregate (orderEvolutions in order_gen_test.go) from the .esm: which
// fields of the event must reach the new state, which the .esm drops,
// which fields of the state the new state carries over.
type Evolution[S, E any] struct {
	State, Event string // as the .esm names them
	// NewState returns the state left, with every field the test can
	// build set, and a new value on each call, so that a change Evolve makes
	// to the state it is given shows.
	NewState func() S
	// NewEvent returns the event, likewise.
	NewEvent func() E
	// To is the name of the new state, as StateName gives it.
	To string
	// Hook is the Evolver method computing the new state, "" when esgen
	// generates it.
	Hook string
	// Unchanged says the .esm keeps the state as it is (evolve ...:
	// unchanged): the new state must equal the state left.
	Unchanged bool
	// Zero are the Go names of the fields of the new state that the .esm
	// declares zero.
	Zero []string
	// Process says the machine is a process: its .esm declares no evolve
	// clauses, so a failure suggests none.
	Process bool
	// Changes are inputs with one field changed, each saying whether the
	// new state must change with it. Fields whose values a generated test
	// cannot build (types of the consumer's package, or of imported
	// packages other than time) have none.
	Changes []Change[S, E]
}

// Change is the input of an Evolution with one field changed: a field of
// the state left (InState) or of the event.
type Change[S, E any] struct {
	Field  string // "amount_cents", as the .esm names it
	GoName string // "AmountCents", the field's Go name
	// InState says the field is the state left's; else the event's.
	InState bool
	// State or Event is the input with the field changed. With Fill,
	// neither: the test could not write a value of the field's type (a
	// type of the consumer's package, or of an imported package), and
	// CheckEvolutions fills the field of the case's state or event with a
	// value it makes by reflection; a field it cannot fill (unexported
	// fields, interfaces, channels, functions) is logged as not checked.
	State S
	Event E
	Fill  bool
	// Same is set when the .esm drops the field: the new state must not
	// change with it. Otherwise it must, for a hook as for generated code:
	// a field of the state left that the table lists is one the event does
	// not replace by declaration, whose value the new state must keep or
	// compute from.
	Same bool
}

// CheckEvolutions checks, on every case whose evolution is a hook (hooks
// set) or generated (hooks not set), what an evolution promises:
//
//   - Evolve leads to the state the machine declares;
//   - it is pure: the same state and event give the same new state again,
//     and the state and event it is given are left as they were;
//   - every field of the event that the .esm does not drop reaches the new
//     state: changing it changes the new state (the values of a bank
//     deposit cannot be lost);
//   - every field of the state left that the case lists (for generated
//     evolutions, those carried over; for hooks, those the new state has
//     too that the .esm does not declare zero or replaced, evolve ...: hook;
//     set f, and that an event leading to another state does not set)
//     matters: changing it alone changes the new state. A hook that
//     overwrites a running total with the event's amount fails here;
//   - a field the .esm drops changes nothing, an unchanged state is the
//     state left and a zero field is zero.
//
// stateName names a state as the machine does (OrderStateName). Failures
// are reported through t, each naming the pair and the field.
func CheckEvolutions[S, C, E any](t testing.TB, def es.Definition[S, C, E], stateName func(S) string, cases []Evolution[S, E], hooks bool) {
	t.Helper()
	if def.Evolve == nil {
		t.Errorf("CheckEvolutions: the definition of %q has no Evolve function", def.Type)
		return
	}
	checked := 0
	for _, c := range cases {
		if (c.Hook != "") != hooks {
			continue
		}
		checked++
		checkEvolution(t, def, stateName, c)
	}
	if checked == 0 {
		t.Logf("CheckEvolutions: %q has no evolution of this kind to check (hooks: %t)", def.Type, hooks)
	}
}

func checkEvolution[S, C, E any](t testing.TB, def es.Definition[S, C, E], stateName func(S) string, c Evolution[S, E]) {
	t.Helper()
	pair := c.State + "/" + c.Event
	by := "Evolve"
	if c.Hook != "" {
		by = c.Hook
	}
	evolve := func(s S, e E) (got S, ok bool) {
		t.Helper()
		defer func() {
			if r := recover(); r != nil {
				hint := ""
				if c.Hook != "" {
					hint = fmt.Sprintf(" (is your Evolver, with its method %s, passed to the definition?)", c.Hook)
				}
				t.Errorf("%s: Evolve panicked: %v%s", pair, r, hint)
				ok = false
			}
		}()
		got, err := def.Evolve(s, e)
		if err != nil {
			t.Errorf("%s: Evolve: %v", pair, err)
			return got, false
		}
		return got, true
	}
	from, event := c.NewState(), c.NewEvent()
	got, ok := evolve(from, event)
	if !ok {
		return
	}
	if name := stateName(got); name != c.To {
		t.Errorf("%s: Evolve leads to %s, want %s", pair, name, c.To)
		return
	}
	if !reflect.DeepEqual(from, c.NewState()) {
		t.Errorf("%s: %s modified the state it was given: it is now %#v, was %#v", pair, by, from, c.NewState())
	}
	if !reflect.DeepEqual(event, c.NewEvent()) {
		t.Errorf("%s: %s modified the event it was given: it is now %#v, was %#v", pair, by, event, c.NewEvent())
	}
	if again, ok := evolve(c.NewState(), c.NewEvent()); ok && !reflect.DeepEqual(again, got) {
		t.Errorf("%s: %s is not pure: the same state and event gave %#v, then %#v", pair, by, got, again)
	}
	if c.Unchanged && !reflect.DeepEqual(got, c.NewState()) {
		t.Errorf("%s: the .esm keeps the state unchanged, but Evolve gives %#v from %#v", pair, got, c.NewState())
	}
	for _, f := range c.Zero {
		v := reflect.ValueOf(got)
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if fv := v.FieldByName(f); !fv.IsValid() || !fv.IsZero() {
			t.Errorf("%s: the .esm declares field %s of %s zero, but Evolve gives %#v", pair, f, c.To, got)
		}
	}
	for _, ch := range c.Changes {
		s, e, what, ok := c.NewState(), c.NewEvent(), c.Event, true
		if ch.InState {
			what = c.State
		}
		switch {
		case ch.Fill && ch.InState:
			s, ok = filled(s, ch.GoName)
		case ch.Fill:
			e, ok = filled(e, ch.GoName)
		case ch.InState:
			s = ch.State
		default:
			e = ch.Event
		}
		if !ok {
			t.Logf("%s: %s.%s not checked: the test cannot make a value of its type", pair, what, ch.Field)
			continue
		}
		other, ok := evolve(s, e)
		if !ok {
			continue
		}
		same := reflect.DeepEqual(other, got)
		if same && !ch.Same && mattersWhenConsistent(c.NewState(), c.NewEvent(), s, ch, evolve) {
			continue
		}
		switch {
		case ch.Same && !same:
			t.Errorf("%s: the .esm drops %s.%s, but changing it changes the new state: %#v, then %#v", pair, what, ch.Field, got, other)
		case ch.Same || !same:
		case c.Hook != "" && ch.InState:
			// The event may set the field too: a hook that overwrites a
			// running total with the event's amount follows the event, and
			// still loses the total.
			if c.Process {
				t.Errorf("%s: changing %s.%s does not change the state %s returns: the value the state held is lost. Carry it over in %s (s.%s); "+
					"if the new state deliberately does not keep it (a count reset, a value the input replaces), say so in this test: "+
					"cases = estest.NotKept(t, cases, %q, %q)",
					pair, c.State, ch.Field, c.Hook, c.Hook, ch.GoName, pair, ch.Field)
				continue
			}
			t.Errorf("%s: changing %s.%s does not change the state %s returns: the value the state held is lost (overwritten or forgotten). "+
				"Carry it over in %s (compute from s.%s: add to it, subtract from it, keep it); "+
				"if the hook replaces it (with the event's value, or one it computes from other fields), say so in the .esm: "+
				"evolve %s on %s: hook; set %s (or zero %s if it starts at zero)",
				pair, c.State, ch.Field, c.Hook, c.Hook, ch.GoName, c.State, c.Event, ch.Field, ch.Field)
		case c.Hook != "" && c.Process:
			t.Errorf("%s: changing %s.%s does not change the state %s returns: its value is lost. Copy it in %s (in.%s) to the new state's field of its name",
				pair, what, ch.Field, c.Hook, c.Hook, ch.GoName)
		case c.Hook != "":
			t.Errorf("%s: changing %s.%s does not change the state %s returns: its value is lost. "+
				"Use it in %s, or say in the .esm that the state does not need it: evolve %s on %s: drop %s",
				pair, what, ch.Field, c.Hook, c.Hook, c.State, c.Event, ch.Field)
		default:
			t.Errorf("%s: changing %s.%s does not change the new state %#v: its value is lost", pair, what, ch.Field, got)
		}
	}
}

// mattersWhenConsistent reports whether the change ch, which made no
// difference on the test's generated values, makes one once the event
// agrees with the state left (consistent): a hook that ignores an event
// naming what the state does not hold is right to. from and event are the
// case's inputs, s the state with ch applied.
func mattersWhenConsistent[S, E any](from S, event E, s S, ch Change[S, E], evolve func(S, E) (S, bool)) bool {
	base, ok := consistent(from, event)
	if !ok {
		return false
	}
	changed := base
	if !ch.InState {
		// The event's field changed from its consistent value.
		if changed, ok = filled(base, ch.GoName); !ok {
			return false
		}
		s = from
	}
	a, ok := evolve(from, base)
	if !ok {
		return false
	}
	b, ok := evolve(s, changed)
	return ok && !reflect.DeepEqual(a, b)
}
