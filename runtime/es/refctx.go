package es

import (
	"context"
	"strconv"
)

// refKey is the context key of the aggregate a decision is made for.
type refKey struct{}

// refContext carries a Ref without the two allocations of
// context.WithValue (the value context and the boxed Ref): Handle makes one
// per command.
type refContext struct {
	context.Context
	ref *Ref
}

// Value returns a *Ref for refKey and asks the parent for any other key.
func (c *refContext) Value(key any) any {
	if _, ok := key.(refKey); ok {
		return c.ref
	}
	return c.Context.Value(key)
}

// String describes the context as the context package's own contexts do.
func (c *refContext) String() string {
	parent := "context"
	if s, ok := c.Context.(interface{ String() string }); ok {
		parent = s.String()
	}
	return parent + ".WithRef(" + c.ref.Type + ", " + strconv.Quote(c.ref.ID) + ")"
}

// ContextWithRef returns a context that tells a decision which aggregate it
// decides for. Repository.Handle calls it for every command; a test harness
// that calls a Definition's Decide directly calls it to give the decision
// the same context.
func ContextWithRef(ctx context.Context, ref Ref) context.Context {
	c := &struct {
		refContext
		ref Ref
	}{ref: ref}
	c.refContext = refContext{Context: ctx, ref: &c.ref}
	return &c.refContext
}

// RefFromContext returns the aggregate a decision is made for: inside
// Definition.Decide called by Repository.Handle, the type and id of the
// aggregate the command was handled on. It reports false when ctx carries
// none (see ContextWithRef).
func RefFromContext(ctx context.Context) (Ref, bool) {
	if c, ok := ctx.(*refContext); ok {
		return *c.ref, true
	}
	if p, ok := ctx.Value(refKey{}).(*Ref); ok {
		return *p, true
	}
	return Ref{}, false
}
