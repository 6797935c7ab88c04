package graph

import (
	"context"

	"github.com/esgen/esgen/runtime/es"
)

// Stream and SubjectPrefix are the JetStream names graph.esm gives the
// bounded context of graphs; pass them to jsstore.WithStream and
// jsstore.WithSubjectPrefix (and to the projection options of the same
// names).
const (
	Stream        = "GRAPHS"
	SubjectPrefix = "graphs"
)

// Graphs handles the commands of Graph aggregates with Decider and Evolver: a
// GraphRepository whose Handle gives each decision the graph's id (see
// ContextWithGraphID). Load, LoadAt, LoadAsOf, History and Forget are the
// repository's. It is safe for concurrent use.
type Graphs struct {
	*GraphRepository
}

// NewGraphs binds Decider d and Evolver to store. Options are the
// repository's (snapshots, cache, retries, clock, logger).
func NewGraphs(store es.Store, d Decider, opts ...es.RepositoryOption) *Graphs {
	return &Graphs{GraphRepository: NewGraphRepository(store, d, Evolver{}, opts...)}
}

// Handle decides c on graph id and appends what it records, as
// GraphRepository.Handle does, with the graph's id in the decision's context.
func (g *Graphs) Handle(ctx context.Context, id string, c GraphCommand, opts ...es.HandleOption) (es.Result[GraphState, GraphEvent], error) {
	return g.GraphRepository.Handle(ContextWithGraphID(ctx, id), id, c, opts...)
}
