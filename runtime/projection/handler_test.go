package projection_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/projection"
)

// A tiny typed event set and codec, shaped like generated code.
type orderEvent interface{ isOrderEvent() }

type orderSubmitted struct{ N int }
type orderCancelled struct{ N int }

func (orderSubmitted) isOrderEvent() {}
func (orderCancelled) isOrderEvent() {}

type orderCodec struct{}

func (orderCodec) Encode(_ []byte, e orderEvent) (es.RawEvent, error) {
	return es.RawEvent{}, errors.New("not used")
}

func (orderCodec) Decode(eventType string, version int, data []byte) (orderEvent, error) {
	var n struct{ N int }
	if err := json.Unmarshal(data, &n); err != nil {
		return nil, fmt.Errorf("%w: %v", es.ErrCorruptEvent, err)
	}
	switch eventType {
	case "OrderSubmitted":
		return orderSubmitted(n), nil
	case "OrderCancelled":
		return orderCancelled(n), nil
	}
	return nil, &es.DecodeError{EventType: eventType, SchemaVersion: version, Err: es.ErrUnknownEventType}
}

// byStatus is the kind of read model Typed is for: orders by status.
type byStatus struct {
	mu     sync.Mutex
	status map[string]string
	resets int
}

func (m *byStatus) Apply(_ context.Context, rec es.Record, e orderEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch e.(type) {
	case orderSubmitted:
		m.status[rec.AggregateID] = "submitted"
	case orderCancelled:
		m.status[rec.AggregateID] = "cancelled"
	}
	return nil
}

func (m *byStatus) Reset(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.status)
	m.resets++
	return nil
}

func (m *byStatus) snapshot() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.status)
}

// applyOnly has no Reset.
type applyOnly struct{}

func (applyOnly) Apply(context.Context, es.Record, orderEvent) error { return nil }

func TestTypedReadModel(t *testing.T) {
	e := newEnv(t)
	e.command("Order", "o-1", "OrderSubmitted")
	e.command("Order", "o-2", "OrderSubmitted")
	e.command("Order", "o-1", "OrderCancelled")
	e.command("Customer", "c-1", "CustomerRegistered") // not an order event: filtered out

	m := &byStatus{status: map[string]string{}}
	p := newProjection(t, e, "orders-by-status", projection.Typed(orderCodec{}, m), projection.WithAggregateTypes("Order"))
	start(t, p)
	caughtUp(t, p)
	want := map[string]string{"o-1": "cancelled", "o-2": "submitted"}
	if diff := cmp.Diff(want, m.snapshot()); diff != "" {
		t.Errorf("read model (-want +got):\n%s", diff)
	}
	if err := p.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	caughtUp(t, p)
	if diff := cmp.Diff(want, m.snapshot()); diff != "" || m.resets != 2 { // the new consumer's, the rebuild's
		t.Errorf("after rebuild, %d resets, read model (-want +got):\n%s", m.resets, diff)
	}
	noTrouble(t, e)
}

func TestTyped(t *testing.T) {
	if _, ok := projection.Typed(orderCodec{}, applyOnly{}).(projection.Resetter); ok {
		t.Error("Typed of a read model without Reset is a Resetter")
	}
	if _, ok := projection.Typed(orderCodec{}, &byStatus{}).(projection.Resetter); !ok {
		t.Error("Typed of a read model with Reset is not a Resetter")
	}

	h := projection.Typed(orderCodec{}, &byStatus{status: map[string]string{}})
	rec := es.Record{
		Metadata: es.Metadata{EventID: "cmd-1-1", AggregateType: "Order", AggregateID: "o-1", Version: 3, EventType: "OrderShipped", SchemaVersion: 2},
		Data:     []byte(`{"N":1}`),
	}
	err := h.Handle(context.Background(), []es.Record{rec})
	const want = `event cmd-1-1 (Order "o-1" version 3): decode OrderShipped v2: es: unknown event type`
	if err == nil || err.Error() != want || !errors.Is(err, es.ErrUnknownEventType) {
		t.Errorf("Handle: %v\nwant %s, matching es.ErrUnknownEventType", err, want)
	}

	failing := projection.Typed(orderCodec{}, failOn{})
	rec.EventType = "OrderSubmitted"
	err = failing.Handle(context.Background(), []es.Record{rec})
	const wantFail = `event cmd-1-1 (Order OrderSubmitted): read model down`
	if err == nil || err.Error() != wantFail {
		t.Errorf("Handle: %v\nwant %s", err, wantFail)
	}
}

type failOn struct{}

func (failOn) Apply(context.Context, es.Record, orderEvent) error {
	return errors.New("read model down")
}

func TestHandlerFunc(t *testing.T) {
	var got []es.Record
	h := projection.HandlerFunc(func(_ context.Context, recs []es.Record) error {
		got = append(got, recs...)
		return nil
	})
	recs := []es.Record{{Metadata: es.Metadata{EventID: "a"}}, {Metadata: es.Metadata{EventID: "b"}}}
	if err := h.Handle(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(recs, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
