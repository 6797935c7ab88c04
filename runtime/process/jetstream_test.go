package process_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/process"
	"github.com/esgen/esgen/runtime/projection"
	"github.com/esgen/esgen/runtime/timers"
)

// TestMain runs the test binary as a child process manager when a test
// started it so (see runChild).
func TestMain(m *testing.M) {
	if v := os.Getenv(childEnv); v != "" {
		os.Exit(runChild(v))
	}
	os.Exit(m.Run())
}

// startServer starts an embedded server on a temporary directory,
// listening on loopback when a child process must reach it.
func startServer(t testing.TB, listen bool) *natsserver.Server {
	t.Helper()
	o := natsserver.Options{DataDir: t.TempDir()}
	if listen {
		o.Listen = "127.0.0.1:0"
	}
	srv, err := natsserver.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return srv
}

// jsWorld is the order fulfilment on JetStream: its stores, aggregates
// and timers on streams named after the test, as a child process
// builds them too.
type jsWorld struct {
	ctx   context.Context
	js    jetstream.JetStream
	store *jsstore.Store
	agg   *aggregates
	tm    *timers.JetStream
	name  string
	// overdue is the payment timer's duration.
	overdue time.Duration
	logs    *logRecorder
}

// worldConfig names a world's streams and its timer's duration; a child
// gets it in its environment.
type worldConfig struct {
	URL     string
	Name    string
	Overdue time.Duration
	Window  time.Duration // the events stream's duplicate window
}

func openWorld(ctx context.Context, js jetstream.JetStream, c worldConfig) (*jsWorld, error) {
	store, err := jsstore.New(ctx, js, jsstore.WithStream("EV_"+c.Name), jsstore.WithSubjectPrefix("ev"+c.Name),
		jsstore.WithDuplicateWindow(c.Window))
	if err != nil {
		return nil, err
	}
	tm, err := timers.NewJetStream(ctx, js, timers.WithStream("TM_"+c.Name), timers.WithSubjectPrefix("tm"+c.Name),
		timers.WithRetryBackoff(50*time.Millisecond, time.Second))
	if err != nil {
		return nil, err
	}
	return &jsWorld{ctx: ctx, js: js, store: store, agg: newAggregates(store), tm: tm, name: c.Name, overdue: c.Overdue}, nil
}

func newJSWorld(t *testing.T, srv *natsserver.Server, c worldConfig) *jsWorld {
	t.Helper()
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	w, err := openWorld(t.Context(), js, c)
	if err != nil {
		t.Fatal(err)
	}
	w.logs = newLogRecorder(t)
	return w
}

// runner returns a runner of the Fulfilment process on w.
func (w *jsWorld) runner(tm timers.Timers, opts ...process.Option) (*process.Runner[Fulfilment, FulfilmentInput], error) {
	if tm == nil {
		tm = w.tm
	}
	opts = append([]process.Option{process.WithTimerDuration("PaymentOverdue", w.overdue)}, opts...)
	if w.logs != nil {
		opts = append(opts, process.WithLogger(w.logs.logger()))
	}
	return process.NewRunner(fulfilmentDefinition(w.agg, perOrder), w.store, tm, opts...)
}

// consumer returns the runner's consumer on w's stream.
func (w *jsWorld) consumer(r *process.Runner[Fulfilment, FulfilmentInput]) (*projection.Projection, error) {
	return r.Consumer(w.js, projection.WithStream("EV_"+w.name), projection.WithSubjectPrefix("ev"+w.name),
		projection.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond), projection.WithLagInterval(0))
}

// run runs a new runner until the test ends or stop is called; it
// returns the runner and its consumer.
func (w *jsWorld) run(t *testing.T) (*process.Runner[Fulfilment, FulfilmentInput], *projection.Projection, func()) {
	t.Helper()
	r, err := w.runner(nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.consumer(r)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, p) }()
	var stopped bool
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(stop)
	return r, p, stop
}

func (w *jsWorld) submit(t *testing.T, id string, amount int64) {
	t.Helper()
	if _, err := w.agg.orders.Handle(w.ctx, id, Submit{Amount: amount}, es.WithCommandID("submit-"+id)); err != nil {
		t.Fatalf("submit %s: %v", id, err)
	}
}

// records returns the records of an aggregate.
func (w *jsWorld) records(t *testing.T, typ, id string) []es.Record {
	t.Helper()
	var out []es.Record
	for rec, err := range w.store.Read(w.ctx, es.Ref{Type: typ, ID: id}, es.Position{}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
	return out
}

func eventTypes(recs []es.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.EventType
	}
	return out
}

// waitFor polls cond every 20 ms until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// streamState returns the events stream's message count and last
// sequence.
func (w *jsWorld) streamState(t *testing.T) (uint64, uint64) {
	t.Helper()
	s, err := w.js.Stream(w.ctx, "EV_"+w.name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs, info.State.LastSeq
}

// redeliverAll has a new runner (one that knows nothing) handle every
// event of the stream again, through its consumer reset to the start,
// and checks that the events stream did not change.
func (w *jsWorld) redeliverAll(t *testing.T) {
	t.Helper()
	msgs, last := w.streamState(t)
	r, p, stop := w.run(t)
	_ = r
	if err := p.Rebuild(w.ctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(w.ctx, time.Minute)
	defer cancel()
	if err := p.CaughtUp(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := p.Status(w.ctx)
	if err != nil || st.Pending != 0 {
		t.Fatalf("consumer after the redelivery: %+v, %v", st, err)
	}
	stop()
	if m, l := w.streamState(t); m != msgs || l != last {
		t.Errorf("after every event delivered again: %d messages, last sequence %d; want %d, %d (unchanged)", m, l, msgs, last)
	}
}

// TestDeadlineOnJetStream: on the embedded server, an order left
// unpaid past its deadline (1.5 s) is cancelled exactly once, within a
// second of the deadline; one paid before its deadline is never
// cancelled; every event delivered again to a new runner changes
// nothing.
func TestDeadlineOnJetStream(t *testing.T) {
	t.Parallel()
	srv := startServer(t, false)
	w := newJSWorld(t, srv, worldConfig{Name: "deadline", Overdue: 1500 * time.Millisecond, Window: 2 * time.Minute})
	_, _, stop := w.run(t)
	w.submit(t, "late", 500)
	w.submit(t, "early", 500)
	w.submit(t, "paid", 50)
	var steps []es.Record
	waitFor(t, 5*time.Second, "the processes start", func() bool {
		steps = w.records(t, "Fulfilment", "early")
		return len(steps) == 1
	})
	time.Sleep(100 * time.Millisecond)
	if _, err := w.agg.payments.Handle(w.ctx, "early", Approve{}); err != nil {
		t.Fatal(err)
	}
	late := w.records(t, "Fulfilment", "late")
	if len(late) == 0 {
		t.Fatal("no step of late")
	}
	deadline := late[0].Time.Add(1500 * time.Millisecond)
	var order []es.Record
	waitFor(t, 5*time.Second, "late cancelled", func() bool {
		order = w.records(t, "Order", "late")
		return len(order) == 2
	})
	cancelled := order[1]
	if cancelled.EventType != "OrderCancelled" || string(cancelled.Data) != `{"Reason":"payment overdue"}` {
		t.Fatalf("late's second event: %s %s", cancelled.EventType, cancelled.Data)
	}
	if d := cancelled.Time.Sub(deadline); d < 0 || d >= time.Second {
		t.Errorf("late cancelled %s after its deadline, want within [0, 1 s)", d)
	}
	// Past early's deadline, and a second more.
	time.Sleep(time.Until(steps[0].Time.Add(2500 * time.Millisecond)))
	if got := eventTypes(w.records(t, "Order", "early")); fmt.Sprint(got) != "[OrderSubmitted OrderPaid]" {
		t.Errorf("early: %v, want paid and never cancelled", got)
	}
	if got := eventTypes(w.records(t, "Order", "late")); fmt.Sprint(got) != "[OrderSubmitted OrderCancelled]" {
		t.Errorf("late: %v, want cancelled once", got)
	}
	if got := eventTypes(w.records(t, "Fulfilment", "late")); fmt.Sprint(got) != "[Submitted PaymentOverdue]" {
		t.Errorf("late's process: %v", got)
	}
	stop()
	w.redeliverAll(t)
	if got := eventTypes(w.records(t, "Order", "late")); fmt.Sprint(got) != "[OrderSubmitted OrderCancelled]" {
		t.Errorf("late after a redelivery: %v", got)
	}

	// The trail of late, read from the stream: the event, the step it
	// caused, the command's event, the step of the timer the first step
	// armed, the command's event.
	trail, err := process.Trail(w.ctx, w.store, "submit-late")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range trail {
		got = append(got, rec.AggregateType+"."+rec.EventType)
	}
	if want := "[Order.OrderSubmitted Fulfilment.Submitted Payment.PaymentRequested Fulfilment.PaymentOverdue Order.OrderCancelled]"; fmt.Sprint(got) != want {
		t.Fatalf("trail %v, want %s", got, want)
	}
	for i, cause := range []int{-1, 0, 1, 1, 3} {
		if cause >= 0 && trail[i].CausationID != trail[cause].EventID {
			t.Errorf("%s: caused by %s, want %s", got[i], trail[i].CausationID, trail[cause].EventID)
		}
	}
}
