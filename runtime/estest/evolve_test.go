package estest_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// A bank account as esgen would generate it: Open holds a balance and
// tags; MoneyDeposited is a hook, Retagged and Rejected are generated.
type (
	acctState interface{ isAcct() }
	acctOpen  struct {
		Balance int
		Tags    map[string]string
	}
	acctClosed struct{ Balance int }

	acctEvent        interface{ isAcctEvent() }
	acctDeposited    struct{ Amount int }
	acctRetagged     struct{ Tags map[string]string }
	acctRejected     struct{ Reason string }
	acctClosedAt     struct{ Balance int }
	acctCommand      interface{}
	logRecorder      struct{ *recorder }
	evolveFn         func(acctState, acctEvent) (acctState, error)
	evolutionsResult struct {
		name string
		fn   evolveFn
		want []string
	}
)

func (acctOpen) isAcct()                {}
func (acctClosed) isAcct()              {}
func (acctDeposited) isAcctEvent()      {}
func (acctRetagged) isAcctEvent()       {}
func (acctRejected) isAcctEvent()       {}
func (acctClosedAt) isAcctEvent()       {}
func (logRecorder) Logf(string, ...any) {}

func acctName(s acctState) string {
	switch s.(type) {
	case acctOpen:
		return "Open"
	case acctClosed:
		return "Closed"
	}
	return ""
}

// acctCases is the table esgen would generate: the deposit is a hook,
// retagging copies the tags, a rejection leaves the state unchanged,
// closing takes the event's balance and zeroes nothing.
func acctCases() []estest.Evolution[acctState, acctEvent] {
	open := func() acctState { return acctOpen{Balance: 2, Tags: map[string]string{"k": "v"}} }
	return []estest.Evolution[acctState, acctEvent]{
		{
			State: "Open", Event: "MoneyDeposited", To: "Open", Hook: "OpenOnMoneyDeposited",
			NewState: open, NewEvent: func() acctEvent { return acctDeposited{Amount: 41} },
			Changes: []estest.Change[acctState, acctEvent]{{Field: "amount", Event: acctDeposited{Amount: 42}}},
		},
		{
			State: "Open", Event: "Retagged", To: "Open",
			NewState: open, NewEvent: func() acctEvent { return acctRetagged{Tags: map[string]string{"a": "b"}} },
			Changes: []estest.Change[acctState, acctEvent]{
				{Field: "tags", Event: acctRetagged{Tags: map[string]string{"a": "c"}}},
				{Field: "balance", GoName: "Balance", InState: true, State: acctOpen{Balance: 3, Tags: map[string]string{"k": "v"}}},
			},
		},
		{
			State: "Open", Event: "Rejected", To: "Open", Unchanged: true,
			NewState: open, NewEvent: func() acctEvent { return acctRejected{Reason: "r"} },
			Changes: []estest.Change[acctState, acctEvent]{{Field: "reason", Event: acctRejected{Reason: "s"}, Same: true}},
		},
		{
			State: "Open", Event: "Closed", To: "Closed", Zero: []string{"Balance"},
			NewState: open, NewEvent: func() acctEvent { return acctClosedAt{Balance: 7} },
			Changes: []estest.Change[acctState, acctEvent]{{Field: "balance", Event: acctClosedAt{Balance: 8}, Same: true}},
		},
	}
}

// goodEvolve is right: deposits add up, tags are replaced, rejections
// change nothing, a closed account's balance is zero.
func goodEvolve(s acctState, e acctEvent) (acctState, error) {
	o := s.(acctOpen)
	switch e := e.(type) {
	case acctDeposited:
		o.Balance += e.Amount
		return o, nil
	case acctRetagged:
		return acctOpen{Balance: o.Balance, Tags: e.Tags}, nil
	case acctRejected:
		return o, nil
	case acctClosedAt:
		return acctClosed{}, nil
	}
	return nil, errors.New("no such pair")
}

func TestCheckEvolutions(t *testing.T) {
	calls := 0
	tests := []evolutionsResult{
		{name: "right evolutions pass", fn: goodEvolve},
		{
			name: "a hook that forgets the deposit",
			fn: func(s acctState, e acctEvent) (acctState, error) {
				if _, ok := e.(acctDeposited); ok {
					return s, nil
				}
				return goodEvolve(s, e)
			},
			want: []string{"Open/MoneyDeposited: changing MoneyDeposited.amount does not change the state OpenOnMoneyDeposited returns: its value is lost. " +
				"Use it in OpenOnMoneyDeposited, or say in the .esm that the state does not need it: evolve Open on MoneyDeposited: drop amount"},
		},
		{
			name: "a generated evolution that loses a field and one that drops the state's",
			fn: func(s acctState, e acctEvent) (acctState, error) {
				if _, ok := e.(acctRetagged); ok {
					return acctOpen{Tags: map[string]string{"a": "b"}}, nil
				}
				return goodEvolve(s, e)
			},
			want: []string{
				"Open/Retagged: changing Retagged.tags does not change the new state estest_test.acctOpen{Balance:0, Tags:map[string]string{\"a\":\"b\"}}: its value is lost",
				"Open/Retagged: changing Open.balance does not change the new state estest_test.acctOpen{Balance:0, Tags:map[string]string{\"a\":\"b\"}}: its value is lost",
			},
		},
		{
			name: "a dropped field that changes the state, an unchanged state changed, a zero field set",
			fn: func(s acctState, e acctEvent) (acctState, error) {
				switch e := e.(type) {
				case acctRejected:
					return acctOpen{Balance: len(e.Reason)}, nil
				case acctClosedAt:
					return acctClosed{Balance: e.Balance}, nil
				}
				return goodEvolve(s, e)
			},
			want: []string{
				`Open/Rejected: the .esm keeps the state unchanged, but Evolve gives estest_test.acctOpen{Balance:1, Tags:map[string]string(nil)} from estest_test.acctOpen{Balance:2, Tags:map[string]string{"k":"v"}}`,
				"Open/Closed: the .esm declares field Balance of Closed zero, but Evolve gives estest_test.acctClosed{Balance:7}",
				"Open/Closed: the .esm drops Closed.balance, but changing it changes the new state: estest_test.acctClosed{Balance:7}, then estest_test.acctClosed{Balance:8}",
			},
		},
		{
			name: "an impure hook that also modifies the state it is given",
			fn: func(s acctState, e acctEvent) (acctState, error) {
				if d, ok := e.(acctDeposited); ok {
					calls++
					o := s.(acctOpen)
					o.Tags["calls"] = "x"
					o.Balance += d.Amount + calls
					return acctOpen{Balance: o.Balance, Tags: maps.Clone(o.Tags)}, nil
				}
				return goodEvolve(s, e)
			},
			want: []string{
				`Open/MoneyDeposited: OpenOnMoneyDeposited modified the state it was given: it is now estest_test.acctOpen{Balance:2, Tags:map[string]string{"calls":"x", "k":"v"}}, was estest_test.acctOpen{Balance:2, Tags:map[string]string{"k":"v"}}`,
				`Open/MoneyDeposited: OpenOnMoneyDeposited is not pure: the same state and event gave estest_test.acctOpen{Balance:44, Tags:map[string]string{"calls":"x", "k":"v"}}, then estest_test.acctOpen{Balance:45, Tags:map[string]string{"calls":"x", "k":"v"}}`,
			},
		},
		{
			name: "a wrong target, an error and a missing hook",
			fn: func(s acctState, e acctEvent) (acctState, error) {
				switch e.(type) {
				case acctRetagged:
					return acctClosed{}, nil
				case acctRejected:
					return nil, errors.New("boom")
				case acctDeposited:
					var hooks interface{ Deposit() }
					hooks.Deposit()
				}
				return goodEvolve(s, e)
			},
			want: []string{
				"Open/MoneyDeposited: Evolve panicked: runtime error: invalid memory address or nil pointer dereference (is your Evolver, with its method OpenOnMoneyDeposited, passed to the definition?)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = 0
			def := es.Definition[acctState, acctCommand, acctEvent]{Type: "Account", Evolve: tt.fn}
			generated := tt.name != "a wrong target, an error and a missing hook"
			rec := logRecorder{&recorder{}}
			estest.CheckEvolutions(rec, def, acctName, acctCases(), true)
			if generated {
				estest.CheckEvolutions(rec, def, acctName, acctCases(), false)
			}
			checkErrs(t, rec.errs, tt.want)
		})
	}
	t.Run("generated ones that fail to evolve or lead elsewhere", func(t *testing.T) {
		def := es.Definition[acctState, acctCommand, acctEvent]{Type: "Account", Evolve: tests[len(tests)-1].fn}
		rec := logRecorder{&recorder{}}
		estest.CheckEvolutions(rec, def, acctName, acctCases(), false)
		checkErrs(t, rec.errs, []string{
			"Open/Retagged: Evolve leads to Closed, want Open",
			"Open/Rejected: Evolve: boom",
		})
	})
}

func checkErrs(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d failures, want %d:\n%q", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("failure %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

// A hive, for the hook checks of fields the new state has from the state
// left, and of fields the test cannot write values of.
type (
	hiveState  interface{ isHive() }
	hiveActive struct {
		Queen    string
		HoneyG   int
		Checked  string
		Weighing scale // a type of the consumer's package, say
	}
	hiveEvent    interface{ isHiveEvent() }
	honeyAdded   struct{ Grams int }
	hiveChecked  struct{ At string }
	hiveWeighed  struct{ On scale }
	hiveLabelled struct{ Label opaque }
	scale        struct{ Grams int }
	//lint:ignore U1000 a field nothing outside the package can set, never read
	opaque      struct{ secret int } // nothing a test can fill
	hiveCommand interface{}
)

func (hiveActive) isHive()        {}
func (honeyAdded) isHiveEvent()   {}
func (hiveChecked) isHiveEvent()  {}
func (hiveWeighed) isHiveEvent()  {}
func (hiveLabelled) isHiveEvent() {}
func hiveName(s hiveState) string { return "Active" }
func activeHive() hiveState       { return hiveActive{Queen: "queen-1", HoneyG: 2, Checked: "checked-3"} }
func carried(field, goName string, s hiveActive) estest.Change[hiveState, hiveEvent] {
	return estest.Change[hiveState, hiveEvent]{Field: field, GoName: goName, InState: true, State: s}
}

// hiveCases: every pair is a hook; the state's fields must be carried over
// (or computed from), but those the .esm declares the event replaces
// (evolve Active on HiveChecked: hook; set checked), which the table does
// not list; the extern fields are filled by reflection.
func hiveCases() []estest.Evolution[hiveState, hiveEvent] {
	stateChanges := []estest.Change[hiveState, hiveEvent]{
		carried("queen", "Queen", hiveActive{Queen: "queen-1-changed", HoneyG: 2, Checked: "checked-3"}),
		carried("honey_g", "HoneyG", hiveActive{Queen: "queen-1", HoneyG: 3, Checked: "checked-3"}),
		carried("checked", "Checked", hiveActive{Queen: "queen-1", HoneyG: 2, Checked: "checked-3-changed"}),
		{Field: "weighing", GoName: "Weighing", InState: true, Fill: true},
	}
	withEvent := func(ev estest.Change[hiveState, hiveEvent], replaced ...string) []estest.Change[hiveState, hiveEvent] {
		out := []estest.Change[hiveState, hiveEvent]{ev}
		for _, ch := range stateChanges {
			if !slices.Contains(replaced, ch.Field) {
				out = append(out, ch)
			}
		}
		return out
	}
	return []estest.Evolution[hiveState, hiveEvent]{
		{
			State: "Active", Event: "HoneyAdded", To: "Active", Hook: "ActiveOnHoneyAdded",
			NewState: activeHive, NewEvent: func() hiveEvent { return honeyAdded{Grams: 40} },
			Changes: withEvent(estest.Change[hiveState, hiveEvent]{Field: "grams", GoName: "Grams", Event: honeyAdded{Grams: 41}}),
		},
		{
			State: "Active", Event: "HiveChecked", To: "Active", Hook: "ActiveOnHiveChecked",
			NewState: activeHive, NewEvent: func() hiveEvent { return hiveChecked{At: "at-40"} },
			Changes: withEvent(estest.Change[hiveState, hiveEvent]{Field: "at", GoName: "At", Event: hiveChecked{At: "at-40-changed"}}, "checked"),
		},
		{
			State: "Active", Event: "HiveWeighed", To: "Active", Hook: "ActiveOnHiveWeighed",
			NewState: activeHive, NewEvent: func() hiveEvent { return hiveWeighed{} },
			Changes: withEvent(estest.Change[hiveState, hiveEvent]{Field: "on", GoName: "On", Fill: true}, "weighing"),
		},
		{
			State: "Active", Event: "HiveLabelled", To: "Active", Hook: "ActiveOnHiveLabelled",
			NewState: activeHive, NewEvent: func() hiveEvent { return hiveLabelled{} },
			Changes: withEvent(estest.Change[hiveState, hiveEvent]{Field: "label", GoName: "Label", Fill: true}),
		},
	}
}

// goodHive carries every field over, adds honey, replaces the date of the
// last check from the event, keeps the weighing; a label is nothing it
// keeps, but the test cannot tell.
func goodHive(s hiveState, e hiveEvent) (hiveState, error) {
	h := s.(hiveActive)
	switch e := e.(type) {
	case honeyAdded:
		h.HoneyG += e.Grams
	case hiveChecked:
		h.Checked = e.At
	case hiveWeighed:
		h.Weighing = e.On
	case hiveLabelled:
	}
	return h, nil
}

// lostInHoney is the failure of ActiveOnHoneyAdded losing a field of the
// state.
func lostInHoney(field, goName string) string {
	return "Active/HoneyAdded: changing Active." + field + " does not change the state ActiveOnHoneyAdded returns: the value the state held is lost (overwritten or forgotten). " +
		"Carry it over in ActiveOnHoneyAdded (compute from s." + goName + ": add to it, subtract from it, keep it); " +
		"if the hook replaces it (with the event's value, or one it computes from other fields), say so in the .esm: evolve Active on HoneyAdded: hook; set " + field + " (or zero " + field + " if it starts at zero)"
}

// logRecorder records logs too.
type logsRecorder struct {
	*recorder
	logs []string
}

func (r *logsRecorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

func TestCheckEvolutionsHooksKeepTheState(t *testing.T) {
	tests := []struct {
		name string
		fn   func(hiveState, hiveEvent) (hiveState, error)
		want []string
	}{
		{name: "hooks that keep every field pass", fn: goodHive},
		{
			name: "a hook that builds a new state from the event alone",
			fn: func(s hiveState, e hiveEvent) (hiveState, error) {
				if a, ok := e.(honeyAdded); ok {
					return hiveActive{HoneyG: s.(hiveActive).HoneyG + a.Grams}, nil
				}
				return goodHive(s, e)
			},
			want: []string{lostInHoney("queen", "Queen"), lostInHoney("checked", "Checked"), lostInHoney("weighing", "Weighing")},
		},
		{
			// The event's field changes the result, but the total the
			// state held is overwritten: the amount is not a new total.
			name: "a hook that overwrites a running total with the event's amount",
			fn: func(s hiveState, e hiveEvent) (hiveState, error) {
				if a, ok := e.(honeyAdded); ok {
					h := s.(hiveActive)
					h.HoneyG = a.Grams
					return h, nil
				}
				return goodHive(s, e)
			},
			want: []string{lostInHoney("honey_g", "HoneyG")},
		},
		{
			name: "a hook that ignores a field of a type the test cannot write",
			fn: func(s hiveState, e hiveEvent) (hiveState, error) {
				if _, ok := e.(hiveWeighed); ok {
					return s, nil
				}
				return goodHive(s, e)
			},
			want: []string{
				"Active/HiveWeighed: changing HiveWeighed.on does not change the state ActiveOnHiveWeighed returns: its value is lost. " +
					"Use it in ActiveOnHiveWeighed, or say in the .esm that the state does not need it: evolve Active on HiveWeighed: drop on",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := es.Definition[hiveState, hiveCommand, hiveEvent]{Type: "Hive", Evolve: tt.fn}
			rec := &logsRecorder{recorder: &recorder{}}
			estest.CheckEvolutions(rec, def, hiveName, hiveCases(), true)
			checkErrs(t, rec.errs, tt.want)
			// The label's type has only unexported fields: logged as not
			// checked.
			unchecked := 0
			for _, l := range rec.logs {
				if l == "Active/HiveLabelled: HiveLabelled.label not checked: the test cannot make a value of its type" {
					unchecked++
				}
			}
			if unchecked != 1 {
				t.Errorf("logs %q: want the label logged as not checked once", rec.logs)
			}
		})
	}
}
