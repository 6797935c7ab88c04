package yardstick

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// TestHandWrittenMatchesGenerated checks that the hand-written reference
// does the work esgen does: for the same commands it stores the same event
// types with the same payloads, byte for byte, reaches the same state, and
// rejects what Decider rejects.
func TestHandWrittenMatchesGenerated(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	repo := newOrderRepository(store)
	h := newHWHandler(func() time.Time { return clock })
	steps := []struct {
		cmd OrderCommand
		hw  any
	}{
		{workSubmit, hwSubmit{Items: hwWorkItems}},
		{workNote, hwAddNote{Author: workNote.Author, Text: workNote.Text}},
		{AddNote{Author: " ann ", Text: " call\tfirst "}, hwAddNote{Author: " ann ", Text: " call\tfirst "}},
		{workPayment, hwValidatePayment{PaymentID: workPayment.PaymentID}},
		{workFulfill, hwFulfill{Tracking: workFulfill.Tracking}},
	}
	for _, s := range steps {
		if _, err := repo.Handle(ctx, "o-1", s.cmd); err != nil {
			t.Fatal(err)
		}
		if _, err := h.handle("o-1", s.hw); err != nil {
			t.Fatal(err)
		}
	}
	var i int
	for rec, err := range store.Read(ctx, es.Ref{Type: "Order", ID: "o-1"}, es.Position{}) {
		if err != nil {
			t.Fatal(err)
		}
		if i >= len(h.events["o-1"]) {
			t.Fatalf("esgen stored more events than the hand-written handler's %d", len(h.events["o-1"]))
		}
		hw := h.events["o-1"][i]
		if rec.EventType != hw.Type || string(rec.Data) != string(hw.Data) {
			t.Errorf("event %d: esgen stored %s %s, hand-written %s %s", i+1, rec.EventType, rec.Data, hw.Type, hw.Data)
		}
		i++
	}
	if i != len(steps) || len(h.events["o-1"]) != len(steps) {
		t.Fatalf("esgen stored %d events, hand-written %d, want %d", i, len(h.events["o-1"]), len(steps))
	}
	if o := h.states["o-1"]; o.status != hwFulfilled || o.tracking != workFulfill.Tracking || o.notes != 2 || o.totalCents != workTotal {
		t.Errorf("hand-written state %+v, want Fulfilled %s after 2 notes, total %d", o, workFulfill.Tracking, workTotal)
	}
}

// TestHandWrittenRejects checks that the hand-written reference rejects
// what Decider rejects, storing nothing.
func TestHandWrittenRejects(t *testing.T) {
	h := newHWHandler(func() time.Time { return clock })
	reject := func(cmd any, want error) {
		t.Helper()
		before := len(h.events["o"])
		if _, err := h.handle("o", cmd); !errors.Is(err, want) {
			t.Errorf("%T%+v: err = %v, want %v", cmd, cmd, err, want)
		}
		if len(h.events["o"]) != before {
			t.Errorf("%T%+v: stored an event", cmd, cmd)
		}
	}
	accept := func(cmd any) {
		t.Helper()
		if _, err := h.handle("o", cmd); err != nil {
			t.Fatalf("%T: %v", cmd, err)
		}
	}
	reject(hwAddNote{Author: "a", Text: "b"}, errHWInvalid)
	reject(hwSubmit{}, errHWNoItems)
	reject(hwSubmit{Items: []hwLineItem{{SKU: " ", Qty: 1}}}, errHWBadItem)
	reject(hwSubmit{Items: []hwLineItem{{SKU: "a", Qty: 0}}}, errHWBadItem)
	reject(hwSubmit{Items: []hwLineItem{{SKU: "a", Qty: 1, PriceCents: -1}}}, errHWBadItem)
	accept(hwSubmit{Items: hwWorkItems})
	reject(hwFulfill{Tracking: "x"}, errHWInvalid)
	reject(hwAddNote{Author: " ", Text: "b"}, errHWNoNote)
	reject(hwAddNote{Author: "a"}, errHWNoNote)
	reject(hwValidatePayment{PaymentID: " "}, errHWNoPayment)
	accept(hwValidatePayment{PaymentID: "p"})
	reject(hwAddNote{Author: "a", Text: "b"}, errHWInvalid)
	reject(hwFulfill{}, errHWNoTrack)
	accept(hwFulfill{Tracking: "t"})
	reject(hwSubmit{Items: hwWorkItems}, errHWInvalid)
}
