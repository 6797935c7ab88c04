package estest

import (
	"errors"
	"fmt"

	"github.com/google/go-cmp/cmp"
)

// Then asserts that the decision of When succeeded and emitted exactly
// events, in order (none when called without arguments), and that every
// emitted event evolves the state.
func (c *Case[S, C, E]) Then(events ...E) {
	c.t.Helper()
	if !c.startAssert("Then") {
		return
	}
	if c.err != nil {
		c.t.Errorf("estest: Then: When(%s) failed: %v\nwant events:\n%s", typeName(c.cmd), c.err, describeAll(events))
		return
	}
	want := events
	if want == nil {
		want = []E{}
	}
	got := c.events
	if got == nil {
		got = []E{}
	}
	diff, err := c.diff(want, got)
	if err != nil {
		c.t.Errorf("estest: Then: cannot compare events: %v", err)
		return
	}
	if diff != "" {
		c.t.Errorf("estest: Then: When(%s) emitted other events (-want +got):\n%s", typeName(c.cmd), diff)
	}
	c.evolve()
}

// ThenError asserts that the decision of When failed with an error that
// errors.Is matches against target, e.g. es.ErrInvalidTransition or a
// domain error of the decider.
func (c *Case[S, C, E]) ThenError(target error) {
	c.t.Helper()
	if !c.startAssert("ThenError") {
		return
	}
	switch {
	case target == nil:
		c.t.Errorf("estest: ThenError(nil): assert a successful decision with Then")
	case c.err == nil:
		c.t.Errorf("estest: ThenError: When(%s) succeeded, want an error matching %q\nemitted events:\n%s",
			typeName(c.cmd), target, describeAll(c.events))
	case !errors.Is(c.err, target):
		c.t.Errorf("estest: ThenError: When(%s) failed with %q, which does not match %q",
			typeName(c.cmd), c.err, target)
	default:
		c.errMatch = true
	}
}

// ThenState asserts the state after the Given events and the events the
// decision of When emitted. Without When it asserts the state the Given
// events reached. After a failed decision it asserts the state before the
// command, and only once ThenError has accepted the failure.
func (c *Case[S, C, E]) ThenState(want S) {
	c.t.Helper()
	if c.broken {
		return
	}
	c.asserted = true
	got := c.state
	if c.hasWhen {
		if c.err != nil && !c.errMatch {
			c.t.Errorf("estest: ThenState: When(%s) failed: %v", typeName(c.cmd), c.err)
			return
		}
		if !c.evolve() {
			return
		}
		got = c.after
	}
	diff, err := c.diff(want, got)
	if err != nil {
		c.t.Errorf("estest: ThenState: cannot compare states: %v", err)
		return
	}
	if diff != "" {
		c.t.Errorf("estest: ThenState: state differs (-want +got):\n%s", diff)
	}
}

// startAssert checks that an assertion on the decision can run.
func (c *Case[S, C, E]) startAssert(step string) bool {
	c.t.Helper()
	if c.broken {
		return false
	}
	c.asserted = true
	if !c.hasWhen {
		c.t.Errorf("estest: %s needs When: the case has no command", step)
		return false
	}
	return true
}

// evolve applies the emitted events to the state after Given, once, and
// reports whether they all applied. An event that does not evolve is
// reported the first time.
func (c *Case[S, C, E]) evolve() bool {
	c.t.Helper()
	if c.evolved {
		return !c.evolveErr
	}
	c.evolved = true
	s := c.state
	for i, e := range c.events {
		next, err := c.def.Evolve(s, e)
		if err != nil {
			c.evolveErr = true
			c.t.Errorf("estest: When(%s) emitted events[%d] %s, which does not evolve state %s: %v",
				typeName(c.cmd), i, describe(e), typeName(s), err)
			return false
		}
		s = next
	}
	c.after = s
	return true
}

// diff compares with go-cmp, turning its panic on values it cannot compare
// (unexported fields without an option) into an error.
func (c *Case[S, C, E]) diff(want, got any) (diff string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v (give go-cmp options with WithCmpOptions)", r)
		}
	}()
	return cmp.Diff(want, got, c.opts...), nil
}
