package diagram

import (
	"slices"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/outname"
	"github.com/esgen/esgen/runtime/machine"
)

// HasMachine reports whether the aggregate has a state machine to draw:
// false for nil and for eventual aggregates.
func HasMachine(a *dsl.Aggregate) bool { return a != nil && !a.Eventual }

// Machine returns the plain-data state machine of the aggregate: its states
// in declaration order (with their fields) and one Transition per source state of every branch,
// in declaration order (transition, then branch, then source state).
//
// A nil aggregate gives the zero Machine; an eventual aggregate gives a
// Machine with its name and no states or transitions.
func Machine(a *dsl.Aggregate) machine.Machine {
	if a == nil {
		return machine.Machine{}
	}
	m := machine.Machine{Name: a.Name}
	if a.Eventual {
		return m
	}
	m.States = make([]machine.State, len(a.States))
	for i, s := range a.States {
		m.States[i] = machine.State{Name: s.Name, Initial: s.Initial, Final: s.Final, Fields: fieldNames(s.Fields)}
	}
	for _, t := range a.Transitions {
		for _, br := range t.Branches {
			var events []string
			if len(br.Emits) > 0 {
				events = make([]string, len(br.Emits))
				for i, e := range br.Emits {
					events[i] = e.Name
				}
			}
			for _, from := range br.From {
				m.Transitions = append(m.Transitions, machine.Transition{
					From:    from.Name,
					To:      br.To.Name,
					Command: t.Command.Name,
					Events:  events,
				})
			}
		}
	}
	return m
}

// fieldNames spells fields as machine.State.Fields lists them: "name
// type", in declaration order; nil for none.
func fieldNames(fs []*dsl.Field) []string {
	if len(fs) == 0 {
		return nil
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name + " " + f.Type.String()
	}
	return out
}

// Drawn returns the machine as the diagrams draw it: Machine, and an edge
// per timer from its state to where its command leads from there,
// labelled "after 30m / Cancel".
func Drawn(a *dsl.Aggregate) machine.Machine {
	m := Machine(a)
	for _, t := range a.Timers {
		for _, tr := range a.Transitions {
			if tr.Command != t.Command {
				continue
			}
			for _, br := range tr.Branches {
				if slices.Contains(br.From, t.State) {
					m.Transitions = append(m.Transitions, machine.Transition{From: t.State.Name, To: br.To.Name, Command: "after " + t.Text, Events: []string{t.Command.Name}})
				}
			}
		}
	}
	return m
}

// DOT returns the canonical Graphviz DOT text of the aggregate's machine
// with its timers, as machine.Machine.DOT draws it with no highlight; with
// fields, each state lists its fields (machine.Options.Fields).
func DOT(a *dsl.Aggregate, fields bool) []byte {
	return Drawn(a).DOT(machine.Options{Fields: fields})
}

// Mermaid returns the Mermaid stateDiagram-v2 text of the aggregate's
// machine with its timers, as machine.Machine.Mermaid draws it with no
// highlight.
func Mermaid(a *dsl.Aggregate) []byte { return Drawn(a).Mermaid(machine.Options{}) }

// BaseName is the file name stem of the aggregate's diagrams and page:
// the aggregate name in lower case ("Order" -> "order", giving order.svg,
// order.dot, order.mmd and order.md).
func BaseName(a *dsl.Aggregate) string { return outname.Base(a.Name) }
