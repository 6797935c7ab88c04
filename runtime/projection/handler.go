package projection

import (
	"context"
	"fmt"

	"github.com/esgen/esgen/runtime/es"
)

// Handler applies records to a read model. Handle receives the records of
// one batch, in stream order, and returns nil once they are applied; the
// batch is then acknowledged. An error leaves it unacknowledged: the same
// records come again after a backoff. A Projection calls Handle from one
// goroutine at a time; the records slice is the handler's to keep.
type Handler interface {
	Handle(ctx context.Context, records []es.Record) error
}

// Resetter is implemented by read models that Rebuild can empty before it
// replays the stream into them.
type Resetter interface {
	Reset(ctx context.Context) error
}

// HandlerFunc adapts a function to a Handler.
type HandlerFunc func(ctx context.Context, records []es.Record) error

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, records []es.Record) error { return f(ctx, records) }

// EventHandler is a read model of typed events: Apply is called once per
// record with the event decoded and upcast to its newest version.
type EventHandler[E any] interface {
	Apply(ctx context.Context, rec es.Record, event E) error
}

// Typed makes a Handler of a typed read model: every record is decoded with
// codec (an aggregate's generated event codec) and passed to h.Apply, in
// order. A record that does not decode fails the batch. If h implements
// Resetter, so does the Handler.
//
//	type byStatus struct{ status map[string]string }
//
//	func (m *byStatus) Apply(_ context.Context, rec es.Record, e orders.OrderEvent) error {
//		switch e.(type) {
//		case orders.OrderSubmitted:
//			m.status[rec.AggregateID] = "submitted"
//		case orders.OrderFulfilled:
//			m.status[rec.AggregateID] = "fulfilled"
//		}
//		return nil
//	}
//
//	p, err := projection.New(js, "orders-by-status",
//		projection.Typed(orders.OrderEventCodec{}, &byStatus{status: map[string]string{}}),
//		projection.WithAggregateTypes("Order"))
func Typed[E any](codec es.EventCodec[E], h EventHandler[E]) Handler {
	t := typed[E]{codec: codec, h: h}
	if r, ok := h.(Resetter); ok {
		return typedResetter[E]{typed: t, r: r}
	}
	return t
}

type typed[E any] struct {
	codec es.EventCodec[E]
	h     EventHandler[E]
}

func (t typed[E]) Handle(ctx context.Context, records []es.Record) error {
	for _, rec := range records {
		e, err := t.codec.Decode(rec.EventType, rec.SchemaVersion, rec.Data)
		if err != nil {
			return fmt.Errorf("event %s (%s %q version %d): %w", rec.EventID, rec.AggregateType, rec.AggregateID, rec.Version, err)
		}
		if err := t.h.Apply(ctx, rec, e); err != nil {
			return fmt.Errorf("event %s (%s %s): %w", rec.EventID, rec.AggregateType, rec.EventType, err)
		}
	}
	return nil
}

type typedResetter[E any] struct {
	typed[E]
	r Resetter
}

func (t typedResetter[E]) Reset(ctx context.Context) error { return t.r.Reset(ctx) }
