package process_test

import (
	"strings"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/process"
)

// TestTrail: the trail of one order, read back by its correlation id
// (the command id of its Submit), holds every record of every aggregate
// and process it touched, in the order stored, and each record's
// causation id names its cause: the event a step handled, the step that
// sent a command. The other order's records are not in it.
func TestTrail(t *testing.T) {
	w := newWorld(t)
	w.submit("o1", 500)
	w.submit("o2", 50)
	w.deliver()
	w.clock.Advance(10 * time.Minute)
	if _, err := w.agg.payments.Handle(w.ctx, "o1", Approve{}, es.WithCommandID("approve-o1"), es.WithCorrelationID("submit-o1")); err != nil {
		t.Fatal(err)
	}
	w.deliver()

	trail, err := process.Trail(w.ctx, w.store, "submit-o1")
	if err != nil {
		t.Fatal(err)
	}
	type hop struct{ typ, id, event, eventID, cause, actor string }
	step1 := "in:Order.o1.submit-o1-1-1"
	send1 := "Fulfilment.o1." + step1 + ".0"
	step2 := "in:Payment.o1.approve-o1-1-1"
	wantTrail := []hop{
		{"Order", "o1", "OrderSubmitted", "submit-o1-1", "submit-o1", ""},
		{"Fulfilment", "o1", "Submitted", step1, "submit-o1-1", "Fulfilment"},
		{"Payment", "o1", "PaymentRequested", send1 + "-1", step1, "Fulfilment"},
		{"Payment", "o1", "PaymentSucceeded", "approve-o1-1", "approve-o1", ""},
		{"Fulfilment", "o1", "Succeeded", step2, "approve-o1-1", "Fulfilment"},
		{"Order", "o1", "OrderPaid", "Fulfilment.o1." + step2 + ".0-1", step2, "Fulfilment"},
		{"Ledger", "l-o1", "Credited", "Fulfilment.o1." + step2 + ".1-1", step2, "Fulfilment"},
	}
	var got []hop
	for i, rec := range trail {
		got = append(got, hop{rec.AggregateType, rec.AggregateID, rec.EventType, rec.EventID, rec.CausationID, rec.Actor})
		if i > 0 && rec.Sequence <= trail[i-1].Sequence {
			t.Errorf("record %d stored at %d, after %d: not in the order stored", i, rec.Sequence, trail[i-1].Sequence)
		}
	}
	if len(got) != len(wantTrail) {
		t.Fatalf("trail of %d records, want %d:%s", len(got), len(wantTrail), describe(trail))
	}
	for i := range got {
		if got[i] != wantTrail[i] {
			t.Errorf("trail[%d] = %+v\n          want %+v", i, got[i], wantTrail[i])
		}
	}
	// Every cause is in the trail before what it caused (the external
	// commands, Submit and Approve, are not events).
	seen := map[string]bool{"submit-o1": true, "approve-o1": true}
	for _, rec := range trail {
		if !seen[rec.CausationID] {
			t.Errorf("%s %s: cause %s is not earlier in the trail", rec.AggregateType, rec.EventID, rec.CausationID)
		}
		seen[rec.EventID] = true
	}

	other, err := process.Trail(w.ctx, w.store, "submit-o2")
	if err != nil || len(other) != 6 {
		t.Fatalf("trail of o2: %d records, %v; want 6:%s", len(other), err, describe(other))
	}
	for _, rec := range other {
		if strings.Contains(rec.AggregateID, "o1") {
			t.Errorf("o2's trail holds %s %s", rec.AggregateType, rec.AggregateID)
		}
	}
}
