package inspect

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/machine"
)

// Type is what the Inspector knows of one aggregate or process type. A
// type the stream holds and no Type describes is shown with its events
// only.
type Type struct {
	// Name is the aggregate type as stored, e.g. "Order".
	Name string
	// Machine gives the states and transitions: the state after each event
	// follows from it (see Transitions). No states: an eventual aggregate,
	// shown without states.
	Machine machine.Machine
	// Process says that the type is a process manager, whose steps store
	// their source and target states in the payload's "from" and "to"
	// fields: its states follow from them, and Machine may be left empty
	// (esgen generates no Machine for processes; `esgen inspect` fills it
	// from the .esm for the state chips and the diagram's initial arrow).
	Process bool
	// SVG is the diagram of Machine (esgen writes it beside the generated
	// code as <name>.svg), drawn by Graphviz: each state a <g class="node">
	// and each edge a <g class="edge"> whose <title> names it. Nil: no
	// diagram.
	SVG []byte
	// States, when set, returns the full state after each of records (an
	// instance's history from version 1, in order) as JSON: the same
	// number of values as records. Definition makes it from a generated
	// definition.
	States func(ctx context.Context, records []es.Record) ([]json.RawMessage, error)
}

// Definition returns the Type of a generated aggregate: its name, machine
// and diagram, and the full state at each version, evolved with the
// definition's codec and Evolve and encoded with its state codec (as
// snapshots store it), or as encoding/json encodes the state value when
// the definition has none.
func Definition[S, C, E any](def es.Definition[S, C, E], m machine.Machine, svg []byte) Type {
	return Type{
		Name:    def.Type,
		Machine: m,
		SVG:     svg,
		States: func(_ context.Context, recs []es.Record) ([]json.RawMessage, error) {
			out := make([]json.RawMessage, 0, len(recs))
			s := def.Initial()
			for _, r := range recs {
				e, err := def.Events.Decode(r.EventType, r.SchemaVersion, r.Data)
				if err != nil {
					return out, fmt.Errorf("version %d: %w", r.Version, err)
				}
				if s, err = def.Evolve(s, e); err != nil {
					return out, fmt.Errorf("version %d: %w", r.Version, err)
				}
				var data []byte
				if def.States != nil {
					data, err = def.States.EncodeState(s)
				} else {
					data, err = json.Marshal(s)
				}
				if err != nil {
					return out, fmt.Errorf("version %d: encode the state: %w", r.Version, err)
				}
				if !json.Valid(data) {
					data, _ = json.Marshal(string(data))
				}
				out = append(out, data)
			}
			return out, nil
		},
	}
}

// Transitions is the table that gives the state after an event: for each
// transition of m, its first event moves its source state to its target,
// and each further event of it applies to the target, as the Evolve esgen
// generates does. Where two transitions give one (state, event) pair, the
// first declared wins (esgen rejects pairs with different targets).
func Transitions(m machine.Machine) map[[2]string]string {
	t := make(map[[2]string]string)
	for _, tr := range m.Transitions {
		for i, e := range tr.Events {
			from := tr.From
			if i > 0 {
				from = tr.To
			}
			k := [2]string{from, e}
			if _, ok := t[k]; !ok {
				t[k] = tr.To
			}
		}
	}
	return t
}

// initial is the machine's initial state, "" when it has none.
func initial(m machine.Machine) string {
	for _, s := range m.States {
		if s.Initial {
			return s.Name
		}
	}
	return ""
}
