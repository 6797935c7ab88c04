package readmodel

import (
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/examples/graph"
	"github.com/esgen/esgen/runtime/projection"
)

// Name is the projection's name: the durable consumer that keeps its
// checkpoint on the server.
const Name = "graph-view"

// NewProjection returns the projection that feeds v from the Graph events of
// the graphs' event store on js (stream graph.GraphStream, subjects under
// graph.GraphSubjectPrefix, as graph.esm names them; the Metrics events on the
// same stream are not read). opts come after these: a stream or subject
// prefix given there replaces graph.esm's.
func NewProjection(js jetstream.JetStream, v *View, opts ...projection.Option) (*projection.Projection, error) {
	opts = append([]projection.Option{
		projection.WithStream(graph.GraphStream),
		projection.WithSubjectPrefix(graph.GraphSubjectPrefix),
		projection.WithAggregateTypes("Graph"),
	}, opts...)
	return projection.New(js, Name, projection.Typed[graph.GraphEvent](graph.GraphEventCodec{}, v), opts...)
}
