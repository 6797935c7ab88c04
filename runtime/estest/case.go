package estest

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
)

// Case is one given-when-then case of an aggregate. Build it with For, then
// call Given (optional), When (optional for ThenState) and one or more of
// Then, ThenError and ThenState. A Case belongs to one test and is not safe
// for concurrent use.
type Case[S, C, E any] struct {
	t    testing.TB
	def  es.Definition[S, C, E]
	ctx  context.Context
	id   string // aggregate id decisions see; DefaultID when empty
	opts cmp.Options
	at   string // file:line where the case was started, for end-of-test reports

	broken bool // a failure was reported that makes later steps meaningless

	given []E
	state S // state after the Given events

	hasWhen  bool
	cmd      C
	events   []E   // what the decision emitted
	err      error // what the decision returned
	asserted bool  // some Then* ran
	errMatch bool  // ThenError matched the decision's error

	evolved   bool // after has been computed
	after     S    // state after the emitted events
	evolveErr bool // an emitted event did not evolve (already reported)
}

// For starts a case of the aggregate def in test t. The case's state is
// def.Initial() until Given adds history.
func For[S, C, E any](t testing.TB, def es.Definition[S, C, E]) *Case[S, C, E] {
	t.Helper()
	c := &Case[S, C, E]{t: t, def: def, at: caller(2)}
	switch {
	case def.Initial == nil:
		c.fail("For: the definition of %q has no Initial function", def.Type)
	case def.Decide == nil:
		c.fail("For: the definition of %q has no Decide function", def.Type)
	case def.Evolve == nil:
		c.fail("For: the definition of %q has no Evolve function", def.Type)
	default:
		c.state = def.Initial()
	}
	t.Cleanup(c.checkAsserted)
	return c
}

// Given appends events to the case's history and evolves the state with
// them. It may be called several times, always before When. An event that
// the definition's Evolve rejects fails the case, naming its index among
// the events of this call.
func (c *Case[S, C, E]) Given(events ...E) *Case[S, C, E] {
	c.t.Helper()
	if c.broken {
		return c
	}
	if c.hasWhen {
		c.fail("Given after When: a case's history comes before its command")
		return c
	}
	for i, e := range events {
		next, err := c.def.Evolve(c.state, e)
		if err != nil {
			c.fail("Given: events[%d] %s does not evolve state %s: %v", i, describe(e), typeName(c.state), err)
			return c
		}
		c.state = next
		c.given = append(c.given, e)
	}
	return c
}

// When decides cmd on the state the Given events reached. The outcome is
// asserted by Then, ThenError or ThenState; a case whose command is never
// asserted fails when the test ends.
func (c *Case[S, C, E]) When(cmd C) *Case[S, C, E] {
	c.t.Helper()
	if c.broken {
		return c
	}
	if c.hasWhen {
		c.fail("When called twice: a case decides one command; start another case with For")
		return c
	}
	c.hasWhen = true
	c.cmd = cmd
	c.events, c.err = c.def.Decide(c.context(), c.state, cmd, nil)
	if c.err != nil {
		c.events = nil
	}
	return c
}

// context returns the context decisions run with: the one given to
// WithContext, else the test's own context. Like Repository.Handle, it
// tells the decision which aggregate it decides for (es.RefFromContext):
// the definition's type and the id given to WithID ("test" by default),
// unless the context already names one.
func (c *Case[S, C, E]) context() context.Context {
	ctx := c.ctx
	if ctx == nil {
		ctx = c.t.Context()
	}
	if _, ok := es.RefFromContext(ctx); ok {
		return ctx
	}
	id := c.id
	if id == "" {
		id = DefaultID
	}
	return es.ContextWithRef(ctx, es.Ref{Type: c.def.Type, ID: id})
}

// checkAsserted runs when the test ends: a case that issued a command, or
// built a history, and asserted nothing is a mistake. A test that already
// failed or was skipped (a skeleton's "not written yet", say) is left
// alone: its case was cut short, not forgotten.
func (c *Case[S, C, E]) checkAsserted() {
	if c.broken || c.asserted || c.t.Failed() || c.t.Skipped() {
		return
	}
	if c.hasWhen {
		c.t.Errorf("estest: case at %s: When(%s) has no Then, ThenError or ThenState", c.at, typeName(c.cmd))
		return
	}
	c.t.Errorf("estest: case at %s asserts nothing: add When and Then, or ThenState", c.at)
}

// fail reports a failure that makes the rest of the case meaningless.
func (c *Case[S, C, E]) fail(format string, args ...any) {
	c.t.Helper()
	c.broken = true
	c.t.Errorf("estest: "+format, args...)
}

// caller returns "file:line" of the function skip frames up.
func caller(skip int) string {
	_, file, line, ok := runtime.Caller(skip)
	if !ok {
		return "unknown position"
	}
	for i := len(file) - 1; i >= 0; i-- {
		if file[i] == '/' {
			file = file[i+1:]
			break
		}
	}
	return fmt.Sprintf("%s:%d", file, line)
}
