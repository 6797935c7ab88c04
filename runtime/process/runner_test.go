package process_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/esgen/esgen/runtime/process"
	"github.com/esgen/esgen/runtime/timers"
)

// TestNewRunnerRefuses: a definition the runner cannot run fails
// NewRunner with ErrInvalidDefinition, naming what is wrong.
func TestNewRunnerRefuses(t *testing.T) {
	store := memstore.New()
	tm, err := timers.NewMemory(timers.NewManualClock(start))
	if err != nil {
		t.Fatal(err)
	}
	good := func() process.Definition[Fulfilment, FulfilmentInput] {
		return fulfilmentDefinition(newAggregates(store), perOrder)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*process.Definition[Fulfilment, FulfilmentInput])
		tm    timers.Timers
		opts  []process.Option
		wants string
	}{
		{"bad name", func(d *process.Definition[Fulfilment, FulfilmentInput]) { d.Machine.Type = "Ful.filment" }, tm, nil, "process name"},
		{"no Sent", func(d *process.Definition[Fulfilment, FulfilmentInput]) { d.Sent = nil }, tm, nil, "lacks Input, Dispatch or Sent"},
		{"no Decide", func(d *process.Definition[Fulfilment, FulfilmentInput]) { d.Machine.Decide = nil }, tm, nil, "lacks Initial, Decide"},
		{"no sources", func(d *process.Definition[Fulfilment, FulfilmentInput]) { d.Sources = nil }, tm, nil, "no sources"},
		{"bad source", func(d *process.Definition[Fulfilment, FulfilmentInput]) { d.Sources = []string{"Or der"} }, tm, nil, "source"},
		{"no timers", func(*process.Definition[Fulfilment, FulfilmentInput]) {}, nil, nil, "has timers and the runner none"},
		{"override of no timer", func(*process.Definition[Fulfilment, FulfilmentInput]) {}, tm,
			[]process.Option{process.WithTimerDuration("PaymentLate", time.Second)},
			"process: invalid definition: Fulfilment: WithTimerDuration of PaymentLate: the process has no such timer; its timers are PaymentOverdue"},
		{"override without timers", func(d *process.Definition[Fulfilment, FulfilmentInput]) { d.Timers = nil }, tm,
			[]process.Option{process.WithTimerDuration("PaymentLate", time.Second)},
			"process: invalid definition: Fulfilment: WithTimerDuration of PaymentLate: the process has no timers"},
		{"bad timer name", func(d *process.Definition[Fulfilment, FulfilmentInput]) { d.Timers["Paying"][0].Name = "a.b" }, tm, nil, "timer of state Paying"},
		{"no retries", func(*process.Definition[Fulfilment, FulfilmentInput]) {}, tm,
			[]process.Option{process.WithDispatchRetry(0, time.Millisecond, time.Second)}, "dispatch attempts"},
	} {
		def := good()
		def.Timers = map[string][]process.Timer[FulfilmentInput]{"Paying": {def.Timers["Paying"][0]}}
		tc.edit(&def)
		_, err := process.NewRunner(def, store, tc.tm, tc.opts...)
		if !errors.Is(err, process.ErrInvalidDefinition) || !strings.Contains(err.Error(), tc.wants) {
			t.Errorf("%s: NewRunner = %v, want ErrInvalidDefinition saying %q", tc.name, err, tc.wants)
		}
	}
	if _, err := process.NewRunner(good(), store, tm, process.WithTimerDuration("PaymentOverdue", time.Second)); err != nil {
		t.Errorf("a good definition: %v", err)
	}
}

// TestLongIDs: ids of events, processes and aggregates at their longest
// make command ids within es.MaxCommandIDLength, distinct, and the same
// each time: the chain works and a redelivery stores nothing.
func TestLongIDs(t *testing.T) {
	w := newWorld(t)
	// Order ids at the longest their ledger's ("l-<order>") allows.
	long := func(c byte) string { return strings.Repeat(string(c), es.MaxIDLength-2) }
	o1, o2 := long('a'), long('a')[:es.MaxIDLength-3]+"b"
	for _, id := range []string{o1, o2} {
		if _, err := w.agg.orders.Handle(w.ctx, id, Submit{Amount: 50}, es.WithCommandID(strings.Repeat("c", es.MaxCommandIDLength))); err != nil {
			t.Fatal(err)
		}
	}
	w.deliver()
	want(t, "o1", w.order(o1).Status, "Paid")
	want(t, "o2", w.order(o2).Status, "Paid")
	n := len(w.all())
	w.restart()
	w.feed.Rewind(0)
	w.deliver()
	want(t, "records after a redelivery", len(w.all()), n)
	ids := map[string]bool{}
	for _, rec := range w.all() {
		if len(rec.EventID) > es.MaxCommandIDLength+2 || ids[rec.AggregateType+rec.AggregateID+rec.EventID] {
			t.Errorf("event id %q: %d bytes, or twice", rec.EventID, len(rec.EventID))
		}
		ids[rec.AggregateType+rec.AggregateID+rec.EventID] = true
	}
}

// TestRunStops: Run needs a consumer, and Handle of nothing does
// nothing.
func TestRunStops(t *testing.T) {
	w := newWorld(t)
	r := w.runner.Load()
	if err := r.Run(context.Background(), nil); err == nil {
		t.Error("Run without a consumer succeeded")
	}
	if err := r.Handle(w.ctx, nil); err != nil {
		t.Error(err)
	}
	want(t, "name", r.Name(), "Fulfilment")
	want(t, "consumer", process.ConsumerName(r.Name()), "process-Fulfilment")
}

// TestRefusalDepth: a reaction to a refusal whose command is refused in
// turn, again and again, is handled up to WithMaxRefusalDepth refusals;
// the next is logged at ERROR as a stuck process. Delivered again to a
// new runner, the chain stores nothing more.
func TestRefusalDepth(t *testing.T) {
	store := memstore.New()
	agg := newAggregates(store)
	logs := newLogRecorder(t)
	newRunner := func() *process.Runner[Fulfilment, FulfilmentInput] {
		def := fulfilmentDefinition(agg, perOrder)
		decide := def.Machine.Decide
		// The reaction to a refused payment asks for it again.
		def.Machine.Decide = func(ctx context.Context, f Fulfilment, in FulfilmentInput, steps []process.Step[FulfilmentInput]) ([]process.Step[FulfilmentInput], error) {
			if _, ok := in.(PaymentRefused); ok && f.Status == "Paying" {
				ref, _ := es.RefFromContext(ctx)
				return append(steps, process.Step[FulfilmentInput]{Input: in, From: "Paying", To: "Paying",
					Sends: []process.Send{send("Payment", ref.ID, RequestPayment{Order: ref.ID, Amount: f.Amount})}}), nil
			}
			return decide(ctx, f, in, steps)
		}
		def.Timers = nil
		r, err := process.NewRunner(def, store, nil, process.WithMaxRefusalDepth(3), process.WithLogger(logs.logger()))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := newRunner()
	if _, err := agg.orders.Handle(t.Context(), "o1", Submit{Amount: 5000}); err != nil {
		t.Fatal(err)
	}
	if _, err := process.NewFeed(store, r, r.Sources()...).Deliver(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, steps, err := r.History(t.Context(), "o1")
	if err != nil || len(steps) != 4 {
		t.Fatalf("%d steps (%v), want the first and three reactions", len(steps), err)
	}
	stuck := logs.lines("past the bound of refusals")
	if len(stuck) != 1 || stuck[0].level != slog.LevelError || stuck[0].attrs["depth"] != "4" {
		t.Fatalf("logged %+v, want one ERROR at depth 4", stuck)
	}
	again := newRunner()
	if _, err := process.NewFeed(store, again, again.Sources()...).Deliver(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, steps, _ := again.History(t.Context(), "o1"); len(steps) != 4 {
		t.Errorf("%d steps after a redelivery, want 4", len(steps))
	}
}
