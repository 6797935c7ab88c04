package orders

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// TestHandWrittenMatchesGenerated checks that the hand-written
// implementation the benchmarks compare with does the same work as the
// generated one: for the same commands it stores the same events, byte for
// byte, with the same metadata, applies the same rules, replays its history
// and retries a conflict.
func TestHandWrittenMatchesGenerated(t *testing.T) {
	ctx := t.Context()
	fixed := func() time.Time { return clock }
	stored := memstore.New()
	contract.CheckStored(t, stored)
	gen := NewOrderRepository(stored, Decider{Now: fixed}, es.WithClock(fixed))
	store := newHWStore()
	hw := newHWHandler(store)
	hw.now = fixed

	lifecycles := []struct {
		id  string
		gen []OrderCommand
		hw  []any
	}{
		{"o-1",
			[]OrderCommand{Submit{Items: items}, ValidatePayment{PaymentID: "pay-1"}, Fulfill{Tracking: "1Z"}},
			[]any{hwSubmit{Items: hwItems}, hwValidatePayment{PaymentID: "pay-1"}, hwFulfill{Tracking: "1Z"}}},
		{"o-2",
			[]OrderCommand{Submit{Items: items}, ValidatePayment{PaymentID: " "}},
			[]any{hwSubmit{Items: hwItems}, hwValidatePayment{PaymentID: " "}}},
		{"o-3",
			[]OrderCommand{Submit{Items: items}, ValidatePayment{PaymentID: "p"}, Cancel{Reason: "late"}},
			[]any{hwSubmit{Items: hwItems}, hwValidatePayment{PaymentID: "p"}, hwCancel{Reason: "late"}}},
	}
	for _, lc := range lifecycles {
		var last hwOrder
		for i := range lc.gen {
			cmdID := lc.id + "-" + strconv.Itoa(i+1)
			if _, err := gen.Handle(ctx, lc.id, lc.gen[i], es.WithCommandID(cmdID), es.WithActor("tester")); err != nil {
				t.Fatalf("generated %s %T: %v", lc.id, lc.gen[i], err)
			}
			var err error
			if last, err = hw.handle(ctx, lc.id, lc.hw[i], hwMeta{CommandID: cmdID, Actor: "tester"}); err != nil {
				t.Fatalf("hand-written %s %T: %v", lc.id, lc.hw[i], err)
			}
		}
		recs, _, err := gen.History(ctx, lc.id)
		if err != nil {
			t.Fatal(err)
		}
		hwRecs := store.read(lc.id)
		if len(recs) != len(hwRecs) {
			t.Fatalf("%s: %d generated events, %d hand-written", lc.id, len(recs), len(hwRecs))
		}
		for i, r := range recs {
			h := hwRecs[i]
			if r.EventID != h.EventID || r.Version != h.Version || !r.Time.Equal(h.Time) || r.CorrelationID != h.CorrelationID ||
				r.CausationID != h.CausationID || r.Actor != h.Actor || r.EventType != h.Type || r.SchemaVersion != h.SchemaVersion {
				t.Errorf("%s event %d metadata: generated %+v, hand-written %+v", lc.id, i+1, r.Metadata, h)
			}
			if !bytes.Equal(r.Data, h.Data) {
				t.Errorf("%s event %d: generated %s, hand-written %s", lc.id, i+1, r.Data, h.Data)
			}
		}
		inst, err := gen.Load(ctx, lc.id)
		if err != nil {
			t.Fatal(err)
		}
		if got := inst.State.orderState(); got != last.status.String() || inst.Version != last.version {
			t.Errorf("%s: generated %s v%d, hand-written %s v%d", lc.id, got, inst.Version, last.status, last.version)
		}
		// A fresh handler replays the stored events to the same state.
		replayed, err := newHWHandler(store).load(lc.id)
		if err != nil || replayed.status != last.status || replayed.version != last.version || replayed.reason != last.reason {
			t.Errorf("%s replayed to %+v (%v), want %+v", lc.id, replayed, err, last)
		}
	}

	// The same rules.
	for _, tc := range []struct {
		cmd  any
		want error
	}{
		{hwSubmit{}, errHWNoItems},
		{hwSubmit{Items: []hwLineItem{{SKU: "a", Qty: 0}}}, errHWBadItem},
		{hwFulfill{Tracking: "t"}, errHWInvalid},
		{hwCancel{Reason: " "}, errHWNoReason},
	} {
		if _, err := hw.handle(ctx, "o-9", tc.cmd, hwMeta{}); !errors.Is(err, tc.want) {
			t.Errorf("%T: %v, want %v", tc.cmd, err, tc.want)
		}
	}
	if got := store.read("o-9"); len(got) != 0 {
		t.Errorf("rejected commands stored %d events", len(got))
	}

	// A second handler on the same store with a stale state retries.
	other := newHWHandler(store)
	if _, err := other.handle(ctx, "o-4", hwSubmit{Items: hwItems}, hwMeta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := hw.load("o-4"); err != nil {
		t.Fatal(err)
	}
	hw.cache["o-4"] = hwOrder{} // stale: Draft at version 0
	if o, err := hw.handle(ctx, "o-4", hwCancel{Reason: "r"}, hwMeta{}); err != nil || o.version != 2 || o.status != hwCancelled {
		t.Errorf("retry after a conflict: %+v, %v", o, err)
	}
}
