package process_test

import (
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/esgen/esgen/runtime/process"
	"github.com/esgen/esgen/runtime/timers"
)

// TestHappyPath: an order paid at once ends Paid, its payment Succeeded,
// its amount credited, its process Done after two steps; nothing is
// logged at WARN or above.
func TestHappyPath(t *testing.T) {
	w := newWorld(t)
	w.submit("o1", 50)
	w.deliver()
	want(t, "order", w.order("o1").Status, "Paid")
	wantEvents(t, "payment", w.events("Payment", "o1"), "PaymentSucceeded")
	wantEvents(t, "ledger", w.events("Ledger", "l-o1"), "Credited")
	f, v := w.process("o1")
	want(t, "process", f, Fulfilment{Status: "Done", Amount: 50})
	want(t, "process version", v, uint64(2))
	if _, ok, _ := w.tm.Armed(w.ctx, timers.Key{Type: "Fulfilment", ID: "o1", Name: "PaymentOverdue"}); ok {
		t.Error("the payment timer is still armed after the process left Paying")
	}
	if l := w.logs.atLeast(slog.LevelWarn); len(l) != 0 {
		t.Errorf("logged %+v", l)
	}
}

// TestTimeout: an order left unpaid in Paying is cancelled when its
// timer fires, at the step's time plus 30 minutes, once; time moving on
// changes nothing more.
func TestTimeout(t *testing.T) {
	w := newWorld(t)
	w.submit("o1", 500) // waits for an approval that never comes
	w.deliver()
	key := timers.Key{Type: "Fulfilment", ID: "o1", Name: "PaymentOverdue"}
	armed, ok, err := w.tm.Armed(w.ctx, key)
	if err != nil || !ok || !armed.Due.Equal(start.Add(30*time.Minute)) || armed.Version != 1 {
		t.Fatalf("Armed = %+v %t %v, want due %s, version 1", armed, ok, err, start.Add(30*time.Minute))
	}
	w.clock.Advance(30*time.Minute - time.Nanosecond)
	w.deliver()
	want(t, "order before the deadline", w.order("o1").Status, "Submitted")
	w.clock.Advance(time.Nanosecond)
	w.deliver()
	o := w.order("o1")
	want(t, "order at the deadline", o, Order{Status: "Cancelled", Amount: 500, Reason: "payment overdue"})
	f, v := w.process("o1")
	want(t, "process", f.Status, "Abandoned")
	want(t, "process version", v, uint64(2))
	n := len(w.all())
	w.clock.Advance(24 * time.Hour)
	w.deliver()
	want(t, "records a day later", len(w.all()), n)
	wantEvents(t, "order", w.events("Order", "o1"), "OrderSubmitted", "OrderCancelled")
	// The step of the timer records its due time and its cause.
	recs, steps, err := w.runner.Load().History(w.ctx, "o1")
	if err != nil || len(steps) != 2 {
		t.Fatalf("history: %d steps, %v", len(steps), err)
	}
	want[FulfilmentInput](t, "timer input", steps[1].Input, PaymentOverdue{Due: start.Add(30 * time.Minute)})
	want(t, "timer step command", recs[1].EventID, "tm:PaymentOverdue.1-1")
	want(t, "timer step causation", recs[1].CausationID, recs[0].EventID)
	want(t, "timer step correlation", recs[1].CorrelationID, "submit-o1")
}

// TestLeaveBeforeDeadline: an order paid before its deadline is never
// cancelled: its timer is cancelled when the process leaves Paying, and
// a firing of it that comes all the same (armed at the version the
// process has left) does nothing.
func TestLeaveBeforeDeadline(t *testing.T) {
	w := newWorld(t)
	w.submit("o1", 500)
	w.deliver()
	w.clock.Advance(29 * time.Minute)
	if _, err := w.agg.payments.Handle(w.ctx, "o1", Approve{}); err != nil {
		t.Fatal(err)
	}
	w.deliver()
	want(t, "order", w.order("o1").Status, "Paid")
	if _, ok, _ := w.tm.Armed(w.ctx, timers.Key{Type: "Fulfilment", ID: "o1", Name: "PaymentOverdue"}); ok {
		t.Error("the payment timer is still armed after the process left Paying")
	}
	w.clock.Advance(2 * time.Hour)
	w.deliver()
	n := len(w.all())
	// A stale firing: armed at version 1, the process is at version 2.
	if err := w.runner.Load().HandleFiring(w.ctx, timers.Firing{
		Key: timers.Key{Type: "Fulfilment", ID: "o1", Name: "PaymentOverdue"}, Version: 1,
		Due: start.Add(30 * time.Minute), Fired: start.Add(30 * time.Minute), Delivery: 1,
	}); err != nil {
		t.Fatal(err)
	}
	w.deliver()
	want(t, "records after a stale firing", len(w.all()), n)
	want(t, "order", w.order("o1").Status, "Paid")
	wantEvents(t, "order", w.events("Order", "o1"), "OrderSubmitted", "OrderPaid")
	// A firing of another type's timer is refused, not dropped.
	if err := w.runner.Load().HandleFiring(w.ctx, timers.Firing{Key: timers.Key{Type: "Order", ID: "o1", Name: "x"}, Version: 1}); !errors.Is(err, process.ErrForeignTimer) {
		t.Errorf("foreign firing = %v, want ErrForeignTimer", err)
	}
}

// TestRefusalCompensates: a payment the Payment aggregate refuses
// becomes the process's PaymentRefused input, whose step cancels the
// order; the refusal's step is caused by the refused command.
func TestRefusalCompensates(t *testing.T) {
	w := newWorld(t)
	w.submit("o1", 5000)
	w.deliver()
	want(t, "order", w.order("o1"), Order{Status: "Cancelled", Amount: 5000, Reason: "payment refused"})
	wantEvents(t, "payment", w.events("Payment", "o1"))
	recs, steps, err := w.runner.Load().History(w.ctx, "o1")
	if err != nil || len(steps) != 2 {
		t.Fatalf("history: %d steps, %v", len(steps), err)
	}
	want[FulfilmentInput](t, "refusal input", steps[1].Input, PaymentRefused{Reason: "payment over the limit: 5000"})
	sent := "Fulfilment.o1." + recs[0].EventID + ".0"
	want(t, "refusal step command", recs[1].EventID, "rej:"+recs[0].EventID+".0-1")
	want(t, "refusal step causation", recs[1].CausationID, sent)
	if l := w.logs.lines("command refused: the process reacts"); len(l) != 1 || l[0].attrs["command"] != "Payment.RequestPayment" || l[0].attrs["command_id"] != sent {
		t.Errorf("refusal logged %+v", l)
	}
	f, _ := w.process("o1")
	want(t, "process", f.Status, "Abandoned")
}

// TestUnhandledRefusal: a command refused that the process has no
// reaction to is logged at ERROR as a stuck process, naming the process,
// its id, the command and the refusal; the step's other commands are
// sent all the same.
func TestUnhandledRefusal(t *testing.T) {
	w := newWorld(t)
	w.submit("o1", 500)
	w.deliver()
	// The customer cancels before the payment is approved.
	if _, err := w.agg.orders.Handle(w.ctx, "o1", Cancel{Reason: "customer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.agg.payments.Handle(w.ctx, "o1", Approve{}); err != nil {
		t.Fatal(err)
	}
	w.deliver() // Succeeded: MarkPaid is refused, Credit is applied
	want(t, "order", w.order("o1").Reason, "customer")
	wantEvents(t, "ledger", w.events("Ledger", "l-o1"), "Credited")
	stuck := w.logs.lines("the process is stuck")
	if len(stuck) != 1 {
		t.Fatalf("stuck logged %d times, want once: %+v", len(stuck), w.logs.atLeast(slog.LevelWarn))
	}
	l := stuck[0]
	if l.level != slog.LevelError || l.attrs["process"] != "Fulfilment" || l.attrs["id"] != "o1" ||
		l.attrs["command"] != "Order.MarkPaid" || l.attrs["to"] != "o1" ||
		l.attrs["error"] != "Order: command MarkPaid is not allowed in state Cancelled" {
		t.Errorf("stuck logged %+v", l)
	}
}

// TestInvalidInputSkipped: an input the process's state does not accept
// is logged at WARN, naming the state and the input, and skipped.
func TestInvalidInputSkipped(t *testing.T) {
	w := newWorld(t)
	w.submit("o1", 50)
	w.deliver()
	n := len(w.all())
	// A payment succeeding again for a process that is Done.
	if _, err := w.agg.payments.Handle(w.ctx, "o1b", RequestPayment{Order: "o1", Amount: 10}); err != nil {
		t.Fatal(err)
	}
	w.deliver()
	want(t, "records", len(w.all()), n+1)
	l := w.logs.lines("input not accepted")
	if len(l) != 1 || l[0].level != slog.LevelWarn || l[0].attrs["state"] != "Done" || l[0].attrs["input"] != "Succeeded" || l[0].attrs["id"] != "o1" {
		t.Errorf("logged %+v", l)
	}
}

// TestDispatchFailures: a command whose dispatch fails is retried with
// backoff; a failure past the attempts fails the delivery, and the
// delivery again sends what was not sent, once, also after a restart
// (the runner then asks the aggregate whether it holds the command); a
// command stored whose reply was lost is not applied twice.
func TestDispatchFailures(t *testing.T) {
	w := newWorld(t, process.WithDispatchRetry(2, time.Millisecond, time.Millisecond))
	w.faults.before.Store(1)
	w.submit("o1", 50)
	w.deliver() // one failure, retried
	want(t, "order o1", w.order("o1").Status, "Paid")
	if l := w.logs.lines("command not sent, retrying"); len(l) != 1 || l[0].level != slog.LevelWarn {
		t.Errorf("retry logged %+v", l)
	}

	w.faults.before.Store(2) // both attempts of RequestPayment fail
	w.submit("o2", 50)
	if _, err := w.feed.Deliver(w.ctx); !errors.Is(err, errNetwork) {
		t.Fatalf("deliver = %v, want the dispatch's error", err)
	}
	_, v := w.process("o2")
	want(t, "o2's process version: its step is stored", v, uint64(1))
	wantEvents(t, "o2's payment", w.events("Payment", "o2"))
	w.restart() // and the runner forgets everything
	sentBefore := w.faults.sentCalls.Load()
	w.deliver()
	want(t, "order o2", w.order("o2").Status, "Paid")
	wantEvents(t, "o2's payment", w.events("Payment", "o2"), "PaymentSucceeded")
	want(t, "Sent calls for the step stored before", w.faults.sentCalls.Load()-sentBefore, int64(1))
	if l := w.logs.lines("command of a step stored earlier sent"); len(l) != 1 || l[0].attrs["command"] != "Payment.RequestPayment" {
		t.Errorf("re-sent logged %+v", l)
	}

	// A lost reply: the command is stored, the runner is told the
	// outcome is unknown, and sends it again with the same id, which the
	// aggregate recognises.
	w.faults.after.Store(1)
	w.submit("o3", 50)
	w.deliver()
	want(t, "order o3", w.order("o3").Status, "Paid")
	wantEvents(t, "o3's payment", w.events("Payment", "o3"), "PaymentSucceeded")
	wantEvents(t, "o3's ledger", w.events("Ledger", "l-o3"), "Credited")
	wantEvents(t, "o3's order", w.events("Order", "o3"), "OrderSubmitted", "OrderPaid")

	// Every attempt's reply lost: the delivery fails, and the next one
	// finds the command held.
	w.faults.after.Store(2)
	w.submit("o4", 50)
	if _, err := w.feed.Deliver(w.ctx); !errors.Is(err, es.ErrOutcomeUnknown) {
		t.Fatalf("deliver = %v, want an unknown outcome", err)
	}
	sentBefore = w.faults.sentCalls.Load()
	dispatches := w.faults.dispatches.Load()
	w.deliver()
	want(t, "Sent calls", w.faults.sentCalls.Load()-sentBefore, int64(1))
	want(t, "dispatches: MarkPaid and Credit", w.faults.dispatches.Load()-dispatches, int64(2))
	wantEvents(t, "o4's payment", w.events("Payment", "o4"), "PaymentSucceeded")
	want(t, "order o4", w.order("o4").Status, "Paid")
}

// TestRedelivery: every event delivered again, to the runner that
// handled them and to a new one that knows nothing (a restart), stores
// nothing and sends nothing: orders paid, refused, overdue and waiting.
// The new runner reads each instance once and asks each aggregate once
// per command whether it holds it; the old one asks nothing.
func TestRedelivery(t *testing.T) {
	w := newWorld(t)
	w.submit("paid", 50)
	w.submit("refused", 5000)
	w.submit("overdue", 500)
	w.deliver()
	w.clock.Advance(31 * time.Minute)
	w.submit("waiting", 500)
	w.deliver()
	want(t, "overdue", w.order("overdue").Status, "Cancelled")
	before := w.all()
	// The commands a new runner asks about: those of the steps of the
	// events delivered again. Paid's three; refused's Cancel (its
	// RequestPayment was refused: the step that reacted to the refusal
	// says so); overdue's RequestPayment (its Cancel is the step of a
	// timer, which no event delivers again); waiting's RequestPayment.
	sends := 3 + 1 + 1 + 1

	sentCalls := w.faults.sentCalls.Load()
	w.feed.Rewind(0)
	w.deliver()
	want(t, "records after a redelivery", len(w.all()), len(before))
	want(t, "Sent calls of the runner that sent them", w.faults.sentCalls.Load()-sentCalls, int64(0))

	w.restart()
	w.feed.Rewind(0)
	w.deliver()
	if after := w.all(); len(after) != len(before) {
		t.Fatalf("records after a redelivery to a new runner: %d, want %d:%s", len(after), len(before), describe(after[len(before):]))
	}
	want(t, "Sent calls of a new runner", w.faults.sentCalls.Load()-sentCalls, int64(sends))
	// The timer of the waiting order is armed again, the same.
	armed, ok, _ := w.tm.Armed(w.ctx, timers.Key{Type: "Fulfilment", ID: "waiting", Name: "PaymentOverdue"})
	if !ok || !armed.Due.Equal(start.Add(61*time.Minute)) || armed.Version != 1 {
		t.Errorf("waiting's timer %+v %t, want due %s version 1", armed, ok, start.Add(61*time.Minute))
	}
	w.clock.Advance(31 * time.Minute)
	w.deliver()
	wantEvents(t, "waiting", w.events("Order", "waiting"), "OrderSubmitted", "OrderCancelled")
	wantEvents(t, "overdue", w.events("Order", "overdue"), "OrderSubmitted", "OrderCancelled")
}

// TestRedeliveryPastDedupeWindow: an instance of the Audit process
// handles 1,100 inputs, each accepted in any state and sending a credit
// to one ledger: more than the in-memory store's dedupe window
// (es.DedupeAppends appends of an aggregate) on both. Every event
// delivered again to a new runner stores nothing and credits nothing,
// although the store itself no longer recognises the first commands.
func TestRedeliveryPastDedupeWindow(t *testing.T) {
	const orders = es.DedupeAppends + 76
	store := memstore.New()
	agg := newAggregates(store)
	logs := newLogRecorder(t)
	newRunner := func() *process.Runner[Audit, AuditInput] {
		r, err := process.NewRunner(auditDefinition(agg), store, nil, process.WithLogger(logs.logger()))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := newRunner()
	feed := process.NewFeed(store, r, r.Sources()...)
	for i := range orders {
		if _, err := agg.orders.Handle(t.Context(), "o"+strconv.Itoa(i), Submit{Amount: 1}); err != nil {
			t.Fatal(err)
		}
		if i%100 == 99 {
			if _, err := feed.Deliver(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := feed.Deliver(t.Context()); err != nil {
		t.Fatal(err)
	}
	ledger, err := agg.ledgers.Load(t.Context(), "audit")
	if err != nil || ledger.State.Credits != orders || ledger.Version != orders {
		t.Fatalf("ledger %+v, %v; want %d credits", ledger, err, orders)
	}
	count := func() int {
		n := 0
		for _, err := range store.Scan(t.Context(), 0) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	before := count()

	// The window is exceeded: the store takes the first step's command
	// id, handled again on the instance's state, for a new command.
	recs, _, err := r.History(t.Context(), "all")
	if err != nil || len(recs) != orders {
		t.Fatalf("audit history: %d steps, %v", len(recs), err)
	}
	for _, ref := range []struct {
		es.Ref
		command string
	}{
		{es.Ref{Type: "Audit", ID: "all"}, strings.TrimSuffix(recs[0].EventID, "-1")},
		{es.Ref{Type: "Ledger", ID: "audit"}, "Audit.all." + recs[0].EventID + ".0"},
	} {
		if _, found, err := store.FindCommand(t.Context(), ref.Ref, ref.command); err != nil || found {
			t.Fatalf("the store still recognises %s %s's first command %s (%t, %v): the test does not exceed its window", ref.Type, ref.ID, ref.command, found, err)
		}
	}

	again := newRunner()
	refeed := process.NewFeed(store, again, again.Sources()...)
	if _, err := refeed.Deliver(t.Context()); err != nil {
		t.Fatal(err)
	}
	if after := count(); after != before {
		t.Errorf("records after a redelivery past the window: %d, want %d", after, before)
	}
	ledger, _ = agg.ledgers.Load(t.Context(), "audit")
	want(t, "credits after a redelivery", ledger.State.Credits, orders)
	if l := logs.atLeast(slog.LevelWarn); len(l) != 0 {
		t.Errorf("logged %+v", l)
	}
}
