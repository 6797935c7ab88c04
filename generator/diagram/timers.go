package diagram

import (
	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/runtime/machine"
)

// TimersName is the type of the process that runs an aggregate's timers
// (`after 30m in Submitted: Cancel`), as its steps are stored:
// "<Aggregate>Timers".
func TimersName(a *dsl.Aggregate) string { return a.Name + "Timers" }

// HasTimers reports whether the aggregate declares timers, and so has a
// <Aggregate>Timers process generated beside it.
func HasTimers(a *dsl.Aggregate) bool { return a != nil && len(a.Timers) > 0 }

// TimersMachine returns the plain-data machine of the process that runs
// the aggregate's timers, as the generator defines it: it follows the
// aggregate's state, so its states are the aggregate's (without their
// data: the process keeps the state's name only), and its steps are
//
//   - one per event of the aggregate, in the aggregate's Evolve table
//     (a.Evolutions): from the state the event came in to the state it
//     leads to, labelled "Aggregate.Event";
//   - one per timer firing in its state: a step from the state to itself,
//     labelled "after 30m", that sends the timer's command
//     ("Aggregate.Command").
//
// A nil aggregate or one without timers gives the zero Machine.
func TimersMachine(a *dsl.Aggregate) machine.Machine {
	if !HasTimers(a) {
		return machine.Machine{}
	}
	m := machine.Machine{Name: TimersName(a), States: make([]machine.State, len(a.States))}
	for i, s := range a.States {
		m.States[i] = machine.State{Name: s.Name, Initial: s.Initial, Final: s.Final}
	}
	for _, e := range a.Evolutions {
		m.Transitions = append(m.Transitions, machine.Transition{From: e.From.Name, To: e.To.Name, Command: a.Name + "." + e.Event.Name})
	}
	for _, t := range a.Timers {
		m.Transitions = append(m.Transitions, machine.Transition{From: t.State.Name, To: t.State.Name, Command: "after " + t.Text, Events: []string{a.Name + "." + t.Command.Name}})
	}
	return m
}
