package readmodel

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/runtime/es"
)

// rec is the record of event number version of order id.
func rec(id string, version uint64) es.Record {
	return es.Record{Metadata: es.Metadata{
		EventID: es.EventID(fmt.Sprintf("cmd-%s-%d", id, version), 0), AggregateType: "Order",
		AggregateID: id, Version: version, Time: time.Date(2026, 3, 2, 9, 0, int(version), 0, time.UTC),
	}}
}

// TestByStatusApply checks the status each event leads to, the counts and
// ids per status, that redelivered events are skipped, and Reset.
func TestByStatusApply(t *testing.T) {
	ctx := context.Background()
	m := New()
	steps := []struct {
		rec es.Record
		e   orders.OrderEvent
	}{
		{rec("o-1", 1), orders.OrderSubmitted{}},
		{rec("o-2", 1), orders.OrderSubmitted{}},
		{rec("o-3", 1), orders.OrderCancelled{Reason: "r"}},
		{rec("o-1", 2), orders.PaymentValidated{PaymentID: "p"}},
		{rec("o-2", 2), orders.PaymentRejected{Reason: "r"}},
		{rec("o-1", 1), orders.OrderSubmitted{}},              // redelivered: older than o-1's last
		{rec("o-1", 3), orders.OrderFulfilled{Tracking: "t"}}, // o-1 ships
		{rec("o-1", 3), orders.OrderFulfilled{Tracking: "t"}}, // redelivered: same event id
		{rec("o-4", 1), orders.OrderSubmitted{}},
	}
	for _, s := range steps {
		if err := m.Apply(ctx, s.rec, s.e); err != nil {
			t.Fatal(err)
		}
	}
	wantCounts := map[Status]int{Submitted: 1, Validated: 0, Fulfilled: 1, Cancelled: 2}
	if diff := cmp.Diff(wantCounts, m.Counts()); diff != "" {
		t.Errorf("Counts (-want +got):\n%s", diff)
	}
	wantIDs := map[Status][]string{Submitted: {"o-4"}, Validated: nil, Fulfilled: {"o-1"}, Cancelled: {"o-2", "o-3"}}
	for s, want := range wantIDs {
		if diff := cmp.Diff(want, m.IDs(s)); diff != "" {
			t.Errorf("IDs(%s) (-want +got):\n%s", s, diff)
		}
		if m.Count(s) != len(want) {
			t.Errorf("Count(%s) = %d, want %d", s, m.Count(s), len(want))
		}
	}
	if m.Skipped() != 2 || m.Len() != 4 {
		t.Errorf("Skipped = %d, Len = %d, want 2 and 4", m.Skipped(), m.Len())
	}
	o, ok := m.Order("o-1")
	want := Order{ID: "o-1", Status: Fulfilled, Version: 3, EventID: rec("o-1", 3).EventID, Updated: rec("o-1", 3).Time}
	if diff := cmp.Diff(want, o); !ok || diff != "" {
		t.Errorf("Order(o-1) (-want +got):\n%s", diff)
	}
	if _, ok := m.Order("o-9"); ok {
		t.Error("Order(o-9) found")
	}

	if err := m.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if m.Len() != 0 || m.Skipped() != 0 || m.Count(Fulfilled) != 0 || m.IDs(Cancelled) != nil {
		t.Errorf("after Reset: %d orders, %d skipped, counts %v", m.Len(), m.Skipped(), m.Counts())
	}
	// After a reset the same events apply again: a rebuild.
	if err := m.Apply(ctx, steps[0].rec, steps[0].e); err != nil || m.Count(Submitted) != 1 {
		t.Errorf("apply after Reset: %v, %d submitted", err, m.Count(Submitted))
	}
}
