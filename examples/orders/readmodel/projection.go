package readmodel

import (
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/runtime/projection"
)

// Name is the projection's name: the durable consumer that keeps its
// checkpoint on the server.
const Name = "orders-by-status"

// NewProjection returns the projection that feeds m from the Order events of
// the event store on js: a durable consumer named Name, reading the subjects
// of Order aggregates, decoding (and upcasting) each event with the
// generated codec. opts come after the read model's own; give it the
// store's stream and subject prefix (projection.WithStream,
// projection.WithSubjectPrefix) when they are not the defaults. Run it with
// Run; CaughtUp waits until it has applied every event stored so far.
func NewProjection(js jetstream.JetStream, m *ByStatus, opts ...projection.Option) (*projection.Projection, error) {
	opts = append([]projection.Option{projection.WithAggregateTypes("Order")}, opts...)
	return projection.New(js, Name, projection.Typed[orders.OrderEvent](orders.OrderEventCodec{}, m), opts...)
}
