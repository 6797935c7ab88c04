package diagram

import (
	"reflect"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/runtime/machine"
)

// TestTimersMachine checks the machine of an aggregate's timers process:
// the aggregate's states without data, a step per entry of its Evolve
// table (a branch of two events gives two, the second from the target),
// and a step per timer from its state to itself sending its command.
func TestTimersMachine(t *testing.T) {
	src := `package lending

aggregate Loan {
    state New initial
    state Reserved { tool string }
    state Lent { tool string }
    state Cancelled final

    command Reserve { tool string }
    command PickUp
    command Cancel { reason string }

    event LoanReserved { tool string }
    event ToolHandedOver
    event LoanStarted
    event LoanCancelled

    on Reserve: New -> Reserved emits LoanReserved
    on PickUp: Reserved -> Lent emits ToolHandedOver, LoanStarted
    on Cancel: Reserved, Lent -> Cancelled emits LoanCancelled

    after 48h in Reserved: Cancel { reason = "not picked up" }
    after 1.5s in Lent: Cancel
}

aggregate Tool {
    state Shelf initial
    state Gone final
    command Drop
    event Dropped
    on Drop: Shelf -> Gone emits Dropped
}
`
	f, ds := dsl.Load("lending.esm", []byte(src))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	loan, tool := f.Aggregates[0], f.Aggregates[1]
	want := machine.Machine{
		Name: "LoanTimers",
		States: []machine.State{
			{Name: "New", Initial: true}, {Name: "Reserved"}, {Name: "Lent"}, {Name: "Cancelled", Final: true},
		},
		Transitions: []machine.Transition{
			{From: "New", To: "Reserved", Command: "Loan.LoanReserved"},
			{From: "Reserved", To: "Lent", Command: "Loan.ToolHandedOver"},
			{From: "Lent", To: "Lent", Command: "Loan.LoanStarted"},
			{From: "Reserved", To: "Cancelled", Command: "Loan.LoanCancelled"},
			{From: "Lent", To: "Cancelled", Command: "Loan.LoanCancelled"},
			{From: "Reserved", To: "Reserved", Command: "after 48h", Events: []string{"Loan.Cancel"}},
			{From: "Lent", To: "Lent", Command: "after 1.5s", Events: []string{"Loan.Cancel"}},
		},
	}
	if !HasTimers(loan) || TimersName(loan) != "LoanTimers" {
		t.Errorf("HasTimers %v, TimersName %q", HasTimers(loan), TimersName(loan))
	}
	if got := TimersMachine(loan); !reflect.DeepEqual(got, want) {
		t.Errorf("TimersMachine(Loan) =\n%+v\nwant\n%+v", got, want)
	}
	if HasTimers(tool) || HasTimers(nil) {
		t.Error("HasTimers of an aggregate without timers, or nil: true")
	}
	if got := TimersMachine(tool); !reflect.DeepEqual(got, machine.Machine{}) {
		t.Errorf("TimersMachine(Tool) = %+v, want the zero Machine", got)
	}
	dot := string(TimersMachine(loan).DOT(machine.Options{}))
	for _, s := range []string{`digraph "LoanTimers" {`, `label="after 48h / Loan.Cancel"`, `label="Loan.LoanReserved"`} {
		if !strings.Contains(dot, s) {
			t.Errorf("the DOT has no %s:\n%s", s, dot)
		}
	}
}
