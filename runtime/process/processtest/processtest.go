// Package processtest is a given-when-then harness for the decisions of a
// process manager, used by the test skeletons esgen generates for
// processes:
//
//	processtest.For(t, fulfilmentUnderTest()).WithID("o-1").
//		Given(OrderSubmitted{...}).
//		When(PaymentCaptured{OrderID: "o-1", ProviderRef: "p-1"}).
//		Then(process.Send{Aggregate: "Order", ID: "o-1", Command: "ValidatePayment", Data: ...}, ...)
//
// Given hands each input to the process's decisions and applies the step it
// decides, from the initial state; When decides one more input; Then
// compares the commands its step sends (aggregate, id, command, and the
// command's JSON compared as values), ThenState the state it leads to, and
// ThenError the decision's error. Nothing touches a store or an aggregate.
package processtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/process"
)

// DefaultID is the process id decisions see unless WithID names another.
const DefaultID = "p-1"

// Case is one given-when-then case of a process. It belongs to one test
// and is not safe for concurrent use.
type Case[S, I any] struct {
	t      testing.TB
	def    es.Definition[S, I, process.Step[I]]
	id     string
	state  S
	broken bool

	hasWhen bool
	steps   []process.Step[I]
	err     error
}

// For starts a case of the process whose machine is def (a
// process.Definition's Machine), in its initial state.
func For[S, I any](t testing.TB, def es.Definition[S, I, process.Step[I]]) *Case[S, I] {
	t.Helper()
	c := &Case[S, I]{t: t, def: def, id: DefaultID}
	if def.Initial == nil || def.Decide == nil || def.Evolve == nil {
		t.Errorf("processtest: the definition of %q lacks Initial, Decide or Evolve", def.Type)
		c.broken = true
		return c
	}
	c.state = def.Initial()
	return c
}

// WithID sets the process id the decisions see.
func (c *Case[S, I]) WithID(id string) *Case[S, I] {
	c.id = id
	return c
}

func (c *Case[S, I]) ctx() context.Context {
	return es.ContextWithRef(c.t.Context(), es.Ref{Type: c.def.Type, ID: c.id})
}

// Given decides each input in turn and applies its step: the history the
// case starts from. An input the process refuses fails the test.
func (c *Case[S, I]) Given(inputs ...I) *Case[S, I] {
	c.t.Helper()
	for i, in := range inputs {
		if c.broken {
			return c
		}
		steps, err := c.def.Decide(c.ctx(), c.state, in, nil)
		if err != nil {
			c.t.Errorf("processtest: Given input %d (%T): %v", i+1, in, err)
			c.broken = true
			return c
		}
		for _, st := range steps {
			if c.state, err = c.def.Evolve(c.state, st); err != nil {
				c.t.Errorf("processtest: Given input %d (%T): evolve: %v", i+1, in, err)
				c.broken = true
				return c
			}
		}
	}
	return c
}

// When decides one more input, which the Then methods assert on.
func (c *Case[S, I]) When(in I) *Case[S, I] {
	c.t.Helper()
	if c.broken {
		return c
	}
	c.hasWhen = true
	c.steps, c.err = c.def.Decide(c.ctx(), c.state, in, nil)
	return c
}

// Then asserts that When's input was accepted and that its step sends
// exactly want, in order. Commands compare by their JSON, as values.
func (c *Case[S, I]) Then(want ...process.Send) *Case[S, I] {
	c.t.Helper()
	if !c.ready("Then") {
		return c
	}
	if c.err != nil {
		c.t.Errorf("processtest: Then: the decision failed: %v", c.err)
		return c
	}
	if len(c.steps) != 1 {
		c.t.Errorf("processtest: Then: the decision made %d steps, want 1", len(c.steps))
		return c
	}
	got := c.steps[0].Sends
	if len(got) != len(want) {
		c.t.Errorf("processtest: Then: %d commands sent, want %d:\n got %s\nwant %s", len(got), len(want), spell(got), spell(want))
		return c
	}
	for i := range want {
		if !sameSend(got[i], want[i]) {
			c.t.Errorf("processtest: Then: command %d:\n got %s\nwant %s", i+1, spell(got[i:i+1]), spell(want[i:i+1]))
		}
	}
	return c
}

// ThenState asserts that When's step leads to the state named state (as
// the .esm names it), with stateName the process's <Process>StateName.
func (c *Case[S, I]) ThenState(stateName func(S) string, state string) *Case[S, I] {
	c.t.Helper()
	if !c.ready("ThenState") {
		return c
	}
	if c.err != nil || len(c.steps) != 1 {
		c.t.Errorf("processtest: ThenState: the decision made %d steps, error %v", len(c.steps), c.err)
		return c
	}
	next, err := c.def.Evolve(c.state, c.steps[0])
	if err != nil {
		c.t.Errorf("processtest: ThenState: evolve: %v", err)
		return c
	}
	if got := stateName(next); got != state {
		c.t.Errorf("processtest: ThenState: the process is in %s, want %s", got, state)
	}
	return c
}

// ThenError asserts that When's decision failed with an error matching
// target (errors.Is).
func (c *Case[S, I]) ThenError(target error) *Case[S, I] {
	c.t.Helper()
	if !c.ready("ThenError") {
		return c
	}
	if !errors.Is(c.err, target) {
		c.t.Errorf("processtest: ThenError: the decision returned %v, want an error matching %v", c.err, target)
	}
	return c
}

func (c *Case[S, I]) ready(step string) bool {
	if c.broken {
		return false
	}
	if !c.hasWhen {
		c.t.Errorf("processtest: %s before When", step)
		c.broken = true
		return false
	}
	return true
}

// sameSend compares two sends, their commands as JSON values.
func sameSend(a, b process.Send) bool {
	if a.Aggregate != b.Aggregate || a.ID != b.ID || a.Command != b.Command {
		return false
	}
	var va, vb any
	if json.Unmarshal(a.Data, &va) != nil || json.Unmarshal(b.Data, &vb) != nil {
		return string(a.Data) == string(b.Data)
	}
	return reflect.DeepEqual(va, vb)
}

func spell(sends []process.Send) string {
	s := "["
	for i, snd := range sends {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s %q %s %s", snd.Aggregate, snd.ID, snd.Command, snd.Data)
	}
	return s + "]"
}
