package projection_test

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/projection"
)

func newProjection(t testing.TB, e *env, name string, h projection.Handler, opts ...projection.Option) *projection.Projection {
	t.Helper()
	opts = append([]projection.Option{
		projection.WithLogger(e.logs.logger()),
		projection.WithRetryBackoff(5*time.Millisecond, 20*time.Millisecond),
	}, opts...)
	p, err := projection.New(e.js, name, h, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// noTrouble fails the test if anything was logged at warning level or above.
func noTrouble(t *testing.T, e *env) {
	t.Helper()
	if bad := e.logs.atLeast(slog.LevelWarn); len(bad) > 0 {
		t.Errorf("unexpected warnings or errors logged:\n%v", bad)
	}
}

func TestEveryEventOnceInOrder(t *testing.T) {
	e := newEnv(t)
	var want []es.Record
	want = append(want, e.command("Order", "o-1", "OrderSubmitted")...)
	e.command("Customer", "c-1", "CustomerRegistered") // another type: filtered out
	want = append(want, e.command("Order", "o-2", "OrderSubmitted", "PaymentValidated")...)
	want = append(want, e.command("Order", "o-1", "PaymentValidated", "OrderFulfilled", "InvoiceSent")...)

	m := &model{}
	p := newProjection(t, e, "orders", m, projection.WithAggregateTypes("Order"))
	r := start(t, p)
	caughtUp(t, p)

	// Appended while running, last message of the stream outside the filter.
	want = append(want, e.command("Order", "o-2", "OrderCancelled")...)
	e.command("Customer", "c-1", "CustomerMoved")
	caughtUp(t, p)
	r.stop(t)

	var got []es.Record
	for _, b := range m.applied {
		got = append(got, b...)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	for id, n := range m.deliveries() {
		if n != 1 {
			t.Errorf("event %s delivered %d times", id, n)
		}
	}
	if got[0].Traceparent != "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" {
		t.Errorf("traceparent %q", got[0].Traceparent)
	}
	if p.Checkpoint() != want[len(want)-1].Sequence {
		t.Errorf("checkpoint %d, want %d", p.Checkpoint(), want[len(want)-1].Sequence)
	}
	noTrouble(t, e)
}

func TestHandlerErrorRedelivers(t *testing.T) {
	e := newEnv(t)
	want := e.commands(6, 2)
	poison := want[2]
	attempts := 0
	m := &model{fail: func(batch []es.Record) error {
		for _, r := range batch {
			if r.EventID == poison.EventID && attempts < 2 {
				attempts++
				return errors.New("read model database unavailable")
			}
		}
		return nil
	}}
	p := newProjection(t, e, "orders", m, projection.WithBatch(2))
	start(t, p)
	caughtUp(t, p)

	if diff := cmp.Diff(eventIDs(want), m.ids()); diff != "" {
		t.Errorf("applied records, in order (-want +got):\n%s", diff)
	}
	// The failed batch [2 3], then 2 alone until it passes, then 3 alone.
	wantDeliveries := map[string]int{
		want[0].EventID: 1, want[1].EventID: 1,
		want[2].EventID: 3, want[3].EventID: 2,
		want[4].EventID: 1, want[5].EventID: 1,
	}
	if diff := cmp.Diff(wantDeliveries, m.deliveries()); diff != "" {
		t.Errorf("deliveries per event id (-want +got):\n%s", diff)
	}
	failed := e.logs.find("batch failed")
	if len(failed) != 2 {
		t.Fatalf("%d batch failures logged, want 2", len(failed))
	}
	for i, w := range []struct{ first, last uint64 }{{want[2].Sequence, want[3].Sequence}, {want[2].Sequence, want[2].Sequence}} {
		var be *projection.BatchError
		if err, _ := failed[i].Attrs["error"].(error); !errors.As(err, &be) || be.First != w.first || be.Last != w.last || be.Sequence != 0 {
			t.Errorf("failure %d: logged %v, want a handler BatchError of %d..%d", i, failed[i].Attrs["error"], w.first, w.last)
		}
		if failed[i].Attrs["attempt"] != int64(i+1) {
			t.Errorf("failure %d: attempt %v", i, failed[i].Attrs["attempt"])
		}
	}
	if f := e.logs.find("fetch failed"); len(f) > 0 {
		t.Errorf("deliveries lost: %v", f)
	}
}

func TestMaxAttemptsAbandonsOnlyTheFailingMessage(t *testing.T) {
	e := newEnv(t)
	want := e.commands(7, 3)
	poison := want[4]
	m := &model{fail: func(batch []es.Record) error {
		for _, r := range batch {
			if r.EventID == poison.EventID {
				return errors.New("cannot apply")
			}
		}
		return nil
	}}
	p := newProjection(t, e, "orders", m, projection.WithBatch(3), projection.WithMaxAttempts(2))
	start(t, p)
	caughtUp(t, p)

	wantIDs := eventIDs(append(want[:4:4], want[5:]...))
	if diff := cmp.Diff(wantIDs, m.ids()); diff != "" {
		t.Errorf("applied records, in order (-want +got):\n%s", diff)
	}
	// Batches [0 1 2] [3 4 5], then 3, 4, 4 (given up), 5 alone, then [6].
	wantDeliveries := map[string]int{
		want[0].EventID: 1, want[1].EventID: 1, want[2].EventID: 1,
		want[3].EventID: 2, want[4].EventID: 3, want[5].EventID: 2,
		want[6].EventID: 1,
	}
	if diff := cmp.Diff(wantDeliveries, m.deliveries()); diff != "" {
		t.Errorf("deliveries per event id (-want +got):\n%s", diff)
	}
	ab := e.logs.find("message abandoned")
	if len(ab) != 1 || ab[0].Attrs["sequence"] != poison.Sequence || ab[0].Attrs["subject"] != "events.Order.o-2" {
		t.Errorf("abandoned: %v, want message %d on events.Order.o-2", ab, poison.Sequence)
	}
	if st, err := p.Status(context.Background()); err != nil || st.Checkpoint != want[6].Sequence || st.Unacknowledged != 0 {
		t.Errorf("status %+v, %v", st, err)
	}
}

func TestRebuildOfAFailingProjection(t *testing.T) {
	e := newEnv(t)
	want := e.commands(4, 1)
	var broken atomic.Bool
	broken.Store(true)
	m := &model{fail: func(batch []es.Record) error {
		if broken.Load() && batch[len(batch)-1].EventID == want[3].EventID {
			return errors.New("bug in the read model")
		}
		return nil
	}}
	p := newProjection(t, e, "orders", m, projection.WithRetryBackoff(time.Hour, time.Hour))
	start(t, p)
	eventually(t, "the failure", func() bool { return len(e.logs.find("batch failed")) > 0 })

	// Waiting out the hour-long backoff would fail the test.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	broken.Store(false)
	if err := p.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	caughtUp(t, p)
	if diff := cmp.Diff(eventIDs(want), m.ids()); diff != "" {
		t.Errorf("after the rebuild (-want +got):\n%s", diff)
	}
	if m.resets != 2 { // the new consumer's, the rebuild's
		t.Errorf("%d resets, want 2", m.resets)
	}
}

func TestRestartResumesFromCheckpoint(t *testing.T) {
	e := newEnv(t)
	first := e.commands(5, 2)
	m1 := &model{}
	p1 := newProjection(t, e, "orders", m1, projection.WithBatch(2))
	r := start(t, p1)
	caughtUp(t, p1)
	r.stop(t)

	second := e.commands(3, 2)
	m2 := &model{}
	p2 := newProjection(t, e, "orders", m2, projection.WithBatch(2))
	start(t, p2)
	caughtUp(t, p2)

	if diff := cmp.Diff(eventIDs(first), m1.ids()); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(eventIDs(second), m2.ids()); diff != "" {
		t.Errorf("second run: only what came after the checkpoint (-want +got):\n%s", diff)
	}
	noTrouble(t, e)
}

func TestStopMidBatchRedeliversAtOnce(t *testing.T) {
	e := newEnv(t)
	want := e.commands(4, 1)
	blocked := make(chan struct{})
	m1 := &model{fail: func(batch []es.Record) error {
		if batch[0].EventID == want[2].EventID {
			close(blocked)
			time.Sleep(50 * time.Millisecond) // still handling when the stop comes
			return context.Canceled
		}
		return nil
	}}
	p1 := newProjection(t, e, "orders", m1, projection.WithBatch(2))
	r := start(t, p1)
	<-blocked
	r.stop(t)

	// The default ack wait is 30 s: catching up within 10 s shows the
	// interrupted batch was given back, not left to time out.
	m2 := &model{}
	p2 := newProjection(t, e, "orders", m2, projection.WithBatch(2))
	start(t, p2)
	caughtUp(t, p2)
	if diff := cmp.Diff(eventIDs(want[2:]), m2.ids()); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
}

func TestUnacknowledgedDeliveryOfDeadProcess(t *testing.T) {
	e := newEnv(t)
	want := e.commands(3, 1)
	m1 := &model{}
	p1 := newProjection(t, e, "orders", m1, projection.WithBatch(1))
	r := start(t, p1)
	caughtUp(t, p1)
	r.stop(t)
	more := e.commands(2, 1)

	// A process that took a message and died before acknowledging it.
	ctx := context.Background()
	cons, err := e.js.Consumer(ctx, "EVENTS", "orders")
	if err != nil {
		t.Fatal(err)
	}
	// Well within the ack wait: a pull left by p1 taking the message
	// would hold it for 30 s.
	msg, err := cons.Next(jetstream.FetchMaxWait(10 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if md, _ := msg.Metadata(); md.Sequence.Stream != more[0].Sequence {
		t.Fatalf("took message %d, want %d", md.Sequence.Stream, more[0].Sequence)
	}

	m2 := &model{}
	p2 := newProjection(t, e, "orders", m2, projection.WithBatch(1))
	start(t, p2)
	caughtUp(t, p2) // well within the 30 s ack wait
	if w := e.logs.find("delivering unacknowledged messages again from the checkpoint"); len(w) != 1 || w[0].Attrs["messages"] != int64(1) {
		t.Errorf("redelivery logged as %v", w)
	}
	if diff := cmp.Diff(eventIDs(more), m2.ids()); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(eventIDs(want), m1.ids()); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
}

// TestStopWithdrawsPullRequest: once Run returns, the server holds no pull
// request of it, so that a message published afterwards cannot be
// delivered to a pull nobody reads, to wait out the ack wait there (30 s)
// before another process gets it. Stopping a Fetch leaves its request on
// the server until the server sees its reply subject unsubscribed: Run
// must not return before. The race is narrow, so the test stops many
// times, each time in the idle pull, and asks from another connection, as
// another process would (without the fix, under -race, a pull outlived
// Run within the 150 stops in every run tried).
func TestStopWithdrawsPullRequest(t *testing.T) {
	e := newEnv(t)
	e.commands(1, 1)
	p := newProjection(t, e, "orders", &model{}, projection.WithBatch(1))
	other := e.otherClient()
	ctx := context.Background()
	waiting := func() int {
		t.Helper()
		cons, err := other.Consumer(ctx, "EVENTS", "orders")
		if err != nil {
			t.Fatal(err)
		}
		return cons.CachedInfo().NumWaiting
	}
	const rounds = 150
	for i := range rounds {
		r := start(t, p)
		caughtUp(t, p)
		eventually(t, "the idle pull", func() bool { return waiting() == 1 })
		r.stop(t)
		if n := waiting(); n != 0 {
			t.Fatalf("stop %d of %d: %d pull requests still waiting after Run returned", i+1, rounds, n)
		}
	}
	noTrouble(t, e)
}

func TestRebuildReplaysFromZero(t *testing.T) {
	e := newEnv(t)
	want := e.commands(5, 2)
	m := &model{}
	p := newProjection(t, e, "orders", m, projection.WithBatch(2))
	r := start(t, p)
	caughtUp(t, p)

	ctx := context.Background()
	if err := p.Rebuild(ctx); err != nil { // while running, idle
		t.Fatal(err)
	}
	caughtUp(t, p)
	if m.resets != 2 { // the new consumer's, the rebuild's
		t.Errorf("%d resets, want 2", m.resets)
	}
	if diff := cmp.Diff(eventIDs(want), m.ids()); diff != "" {
		t.Errorf("after rebuild while running (-want +got):\n%s", diff)
	}
	if n := m.deliveries()[want[0].EventID]; n != 2 {
		t.Errorf("first event delivered %d times, want 2", n)
	}

	r.stop(t)
	want = append(want, e.commands(2, 2)...)
	if err := p.Rebuild(ctx); err != nil { // while stopped
		t.Fatal(err)
	}
	if p.Checkpoint() != 0 {
		t.Errorf("checkpoint %d after rebuild, want 0", p.Checkpoint())
	}
	start(t, p)
	caughtUp(t, p)
	if m.resets != 3 {
		t.Errorf("%d resets, want 3", m.resets)
	}
	if diff := cmp.Diff(eventIDs(want), m.ids()); diff != "" {
		t.Errorf("after rebuild while stopped (-want +got):\n%s", diff)
	}
	noTrouble(t, e)
}

func TestBatches(t *testing.T) {
	tests := []struct {
		name     string
		batch    int
		commands [][]string
		want     []int // records per batch
	}{
		{"ten single events by three", 3, repeat([]string{"A"}, 10), []int{3, 3, 3, 1}},
		{"one by one", 1, repeat([]string{"A"}, 3), []int{1, 1, 1}},
		{"commands never split", 2, [][]string{{"A", "B"}, {"C"}, {"D", "E", "F"}, {"G"}, {"H"}}, []int{3, 4, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			var want []es.Record
			for _, c := range tt.commands {
				want = append(want, e.command("Order", "o-1", c...)...)
			}
			m := &model{}
			p := newProjection(t, e, "orders", m, projection.WithBatch(tt.batch))
			start(t, p)
			caughtUp(t, p)
			if diff := cmp.Diff(tt.want, m.batchSizes()); diff != "" {
				t.Errorf("batch sizes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(eventIDs(want), m.ids()); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			noTrouble(t, e)
		})
	}
}

func repeat(c []string, n int) [][]string {
	out := make([][]string, n)
	for i := range out {
		out[i] = c
	}
	return out
}

func TestLagReported(t *testing.T) {
	e := newEnv(t)
	e.commands(10, 3)
	release := make(chan struct{})
	m := &model{fail: func([]es.Record) error {
		<-release
		return nil
	}}
	p := newProjection(t, e, "orders", m, projection.WithBatch(1), projection.WithLagInterval(10*time.Millisecond))
	start(t, p)
	eventually(t, "a lag report", func() bool { return len(e.logs.find("projection lag")) > 0 })
	lag := e.logs.find("projection lag")[0].Attrs
	if lag["pending"] != uint64(9) || lag["unacknowledged"] != int64(1) || lag["checkpoint"] != uint64(0) {
		t.Errorf("lag report %v, want 9 pending, 1 unacknowledged, checkpoint 0", lag)
	}
	st, err := p.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (projection.Status{Checkpoint: 0, Delivered: 1, Pending: 9, Unacknowledged: 1}); st != want {
		t.Errorf("status %+v, want %+v", st, want)
	}
	close(release)
	caughtUp(t, p)
	if st, _ := p.Status(context.Background()); st.Pending != 0 || st.Checkpoint != 10 {
		t.Errorf("status after catching up %+v", st)
	}
}

func TestShutdownLeavesNoGoroutines(t *testing.T) {
	e := newEnv(t)
	e.commands(20, 4)
	m := &model{}
	opts := []projection.Option{projection.WithBatch(3), projection.WithLagInterval(5 * time.Millisecond), projection.WithAckWait(20 * time.Millisecond)}
	p := newProjection(t, e, "orders", m, opts...)
	r := start(t, p)
	caughtUp(t, p)
	if n := leftovers(); n == 0 {
		t.Fatal("no goroutine of the projection seen while it runs: the check below would be blind")
	}
	r.stop(t)
	eventually(t, "goroutines of the first run to end", func() bool { return leftovers() == 0 })

	// Again, this time stopped while idle in a fetch, with the lag
	// reporter running and a handler slower than the ack wait.
	m.fail = func([]es.Record) error { time.Sleep(30 * time.Millisecond); return nil }
	r = start(t, p)
	e.commands(4, 4)
	caughtUp(t, p)
	time.Sleep(20 * time.Millisecond)
	r.stop(t)
	eventually(t, "goroutines of the second run to end", func() bool { return leftovers() == 0 })
	if got := m.deliveries(); len(got) != 24 {
		t.Errorf("%d events delivered, want 24", len(got))
	}
	for id, n := range m.deliveries() {
		if n != 1 {
			t.Errorf("event %s delivered %d times: a slow handler got its batch again", id, n)
		}
	}
}

// leftovers counts the goroutines running code of the projection package
// or a pull of the jetstream client, other than the test's own.
func leftovers() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if strings.Contains(g, "esgen/runtime/projection.") || strings.Contains(g, "jetstream.(*pullConsumer)") {
			n++
		}
	}
	return n
}

func TestRunTwice(t *testing.T) {
	e := newEnv(t)
	p := newProjection(t, e, "orders", &model{})
	start(t, p)
	eventually(t, "the consumer", func() bool { _, err := p.Status(context.Background()); return err == nil })
	if err := p.Run(context.Background()); !errors.Is(err, projection.ErrRunning) {
		t.Errorf("second Run: %v, want ErrRunning", err)
	}
}

func TestCorruptMessageStopsTheProjection(t *testing.T) {
	e := newEnv(t)
	good := e.commands(2, 1)
	ack, err := e.js.Publish(context.Background(), "events.Order.o-9", []byte("not an envelope"))
	if err != nil {
		t.Fatal(err)
	}
	m := &model{}
	p := newProjection(t, e, "orders", m)
	start(t, p)
	eventually(t, "two failures", func() bool { return len(e.logs.find("batch failed")) >= 2 })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := p.CaughtUp(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("CaughtUp past a corrupt message: %v", err)
	}
	if diff := cmp.Diff(eventIDs(good), m.ids()); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if p.Checkpoint() != good[1].Sequence {
		t.Errorf("checkpoint %d, want %d, right before the corrupt message", p.Checkpoint(), good[1].Sequence)
	}
	err, _ = e.logs.find("batch failed")[0].Attrs["error"].(error)
	var be *projection.BatchError
	if !errors.As(err, &be) || be.Sequence != ack.Sequence || !errors.Is(err, es.ErrCorruptEvent) {
		t.Errorf("logged %v, want a BatchError at %d matching es.ErrCorruptEvent", err, ack.Sequence)
	}
}

func TestCorruptMessageAbandoned(t *testing.T) {
	e := newEnv(t)
	want := e.commands(2, 1)
	ack, err := e.js.Publish(context.Background(), "events.Order.o-9", []byte("not an envelope"))
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, e.commands(2, 1)...)
	m := &model{}
	p := newProjection(t, e, "orders", m, projection.WithMaxAttempts(1))
	start(t, p)
	caughtUp(t, p)
	if diff := cmp.Diff(eventIDs(want), m.ids()); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	ab := e.logs.find("message abandoned")
	if len(ab) != 1 || ab[0].Attrs["sequence"] != ack.Sequence {
		t.Fatalf("abandoned: %v, want message %d", ab, ack.Sequence)
	}
	if err, _ := ab[0].Attrs["error"].(error); !errors.Is(err, es.ErrCorruptEvent) {
		t.Errorf("abandoned for %v, want es.ErrCorruptEvent", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name  string
		pname string
		h     projection.Handler
		opts  []projection.Option
		want  string
	}{
		{"empty name", "", &model{}, nil, `projection: invalid configuration: name "": must be non-empty, without '.', '*', '>', slashes or spaces`},
		{"dotted name", "a.b", &model{}, nil, `projection: invalid configuration: name "a.b": must be non-empty, without '.', '*', '>', slashes or spaces`},
		{"no handler", "p", nil, nil, "projection: invalid configuration: p: no handler"},
		{"zero batch", "p", &model{}, []projection.Option{projection.WithBatch(0)}, "projection: invalid configuration: p: batch size 0, want at least 1"},
		{"bad type", "p", &model{}, []projection.Option{projection.WithAggregateTypes("Or*der")}, `projection: invalid configuration: p: aggregate type: es: invalid aggregate id: aggregate id "Or*der" has '*' at byte 2`},
		{"max attempts", "p", &model{}, []projection.Option{projection.WithMaxAttempts(-1)}, "projection: invalid configuration: p: max attempts -1, want 0 (no limit) or more"},
		{"backoff", "p", &model{}, []projection.Option{projection.WithRetryBackoff(time.Second, time.Millisecond)}, "projection: invalid configuration: p: retry backoff 1s..1ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := projection.New(e.js, tt.pname, tt.h, tt.opts...)
			if !errors.Is(err, projection.ErrInvalidConfig) || err.Error() != tt.want {
				t.Errorf("New: %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestStatusBeforeFirstRun: no consumer yet.
func TestStatusBeforeFirstRun(t *testing.T) {
	e := newEnv(t)
	p := newProjection(t, e, "orders", &model{})
	if _, err := p.Status(context.Background()); !errors.Is(err, jetstream.ErrConsumerNotFound) {
		t.Errorf("Status: %v, want ErrConsumerNotFound", err)
	}
	if err := p.CaughtUp(context.Background()); err != nil { // empty stream
		t.Errorf("CaughtUp on an empty stream: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := p.Rebuild(ctx); err != nil {
		t.Errorf("Rebuild before the first run: %v", err)
	}
}

func TestConsumerDeletedWhileRunning(t *testing.T) {
	e := newEnv(t)
	want := e.commands(3, 1)
	m := &model{}
	p := newProjection(t, e, "orders", m)
	start(t, p)
	caughtUp(t, p)
	if err := e.js.DeleteConsumer(context.Background(), "EVENTS", "orders"); err != nil {
		t.Fatal(err)
	}
	want = append(want, e.commands(2, 1)...)
	caughtUp(t, p)
	// The checkpoint went with the consumer: the model is rebuilt.
	if diff := cmp.Diff(eventIDs(want), m.ids()); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if m.resets != 2 {
		t.Errorf("%d resets, want 2", m.resets)
	}
	if len(e.logs.find("new consumer: the read model is reset and fed from the start of the stream")) != 2 {
		t.Errorf("consumer creations logged: %v", e.logs.atLeast(slog.LevelDebug))
	}
}
