package estest

import (
	"context"

	"github.com/google/go-cmp/cmp"
)

// WithContext makes the decision of When run with ctx instead of the
// test's context. Call it before When.
func (c *Case[S, C, E]) WithContext(ctx context.Context) *Case[S, C, E] {
	c.ctx = ctx
	return c
}

// DefaultID is the aggregate id a case's decision sees through
// es.RefFromContext unless WithID or WithContext names another.
const DefaultID = "test"

// WithID sets the id of the aggregate the case decides for, as
// Repository.Handle would pass it to the decision (es.RefFromContext).
// Call it before When.
func (c *Case[S, C, E]) WithID(id string) *Case[S, C, E] {
	c.id = id
	return c
}

// WithCmpOptions adds go-cmp options to the comparisons of events and
// states, e.g. cmp.AllowUnexported for types with unexported fields or
// cmpopts.EquateEmpty to treat nil and empty slices alike.
func (c *Case[S, C, E]) WithCmpOptions(opts ...cmp.Option) *Case[S, C, E] {
	c.opts = append(c.opts, opts...)
	return c
}
