package graph

import "context"

// graphIDKey is the context key of the id of the graph a command is decided
// on.
type graphIDKey struct{}

// ContextWithGraphID returns a context that tells the decisions the id of the
// graph they decide on. NodeAdded records it; the decider has no other way to
// learn it, since a decision sees only the state and the command. Graphs.Handle
// does this for every command.
func ContextWithGraphID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, graphIDKey{}, id)
}

// GraphIDFromContext returns the graph id ContextWithGraphID stored in ctx.
func GraphIDFromContext(ctx context.Context) (string, bool) {
	id, ok := ctx.Value(graphIDKey{}).(string)
	return id, ok && id != ""
}
