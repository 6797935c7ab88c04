package process_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/esgen/esgen/runtime/process"
	"github.com/esgen/esgen/runtime/timers"
)

// logRecorder keeps every log record, and passes them on to the test's
// output when ESGEN_TEST_LOG is set.
type logRecorder struct {
	mu   sync.Mutex
	recs []logLine
	out  slog.Handler
}

type logLine struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

func newLogRecorder(t testing.TB) *logRecorder {
	r := &logRecorder{}
	if os.Getenv("ESGEN_TEST_LOG") != "" {
		r.out = slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug})
	}
	return r
}

func (r *logRecorder) logger() *slog.Logger { return slog.New(&recordingHandler{r: r}) }

type recordingHandler struct {
	r     *logRecorder
	attrs []slog.Attr
}

func (h *recordingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordingHandler) Handle(ctx context.Context, rec slog.Record) error {
	line := logLine{level: rec.Level, msg: rec.Message, attrs: map[string]string{}}
	for _, a := range h.attrs {
		line.attrs[a.Key] = a.Value.String()
	}
	rec.Attrs(func(a slog.Attr) bool {
		line.attrs[a.Key] = a.Value.String()
		return true
	})
	h.r.mu.Lock()
	h.r.recs = append(h.r.recs, line)
	h.r.mu.Unlock()
	if h.r.out != nil {
		return h.r.out.WithAttrs(h.attrs).Handle(ctx, rec)
	}
	return nil
}
func (h *recordingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &recordingHandler{r: h.r, attrs: append(slices.Clone(h.attrs), as...)}
}
func (h *recordingHandler) WithGroup(string) slog.Handler { return h }

// lines returns the records whose message contains msg.
func (r *logRecorder) lines(msg string) []logLine {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []logLine
	for _, l := range r.recs {
		if strings.Contains(l.msg, msg) {
			out = append(out, l)
		}
	}
	return out
}

// atLeast returns the records at level or above.
func (r *logRecorder) atLeast(level slog.Level) []logLine {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []logLine
	for _, l := range r.recs {
		if l.level >= level {
			out = append(out, l)
		}
	}
	return out
}

var errNetwork = errors.New("network down")

// faults makes dispatches fail, as a network or a store would.
type faults struct {
	// before fails the next dispatches without sending them.
	before atomic.Int64
	// after sends the next dispatches and fails them with an unknown
	// outcome, as a lost reply would.
	after atomic.Int64
	// dispatches and sentCalls count calls.
	dispatches, sentCalls atomic.Int64
}

func (f *faults) wrap(def *process.Definition[Fulfilment, FulfilmentInput]) {
	dispatch, sent := def.Dispatch, def.Sent
	def.Dispatch = func(ctx context.Context, s process.Send, opts ...es.HandleOption) error {
		f.dispatches.Add(1)
		if take(&f.before) {
			return errNetwork
		}
		err := dispatch(ctx, s, opts...)
		if err == nil && take(&f.after) {
			return &es.OutcomeUnknownError{Ref: es.Ref{Type: s.Aggregate, ID: s.ID}, Err: context.DeadlineExceeded}
		}
		return err
	}
	def.Sent = func(ctx context.Context, s process.Send, id string) (bool, error) {
		f.sentCalls.Add(1)
		return sent(ctx, s, id)
	}
}

// take takes one from a positive n and reports whether it did.
func take(n *atomic.Int64) bool {
	for {
		v := n.Load()
		if v <= 0 {
			return false
		}
		if n.CompareAndSwap(v, v-1) {
			return true
		}
	}
}

// start is the manual clock's start: the steps' and timers' times.
var start = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// world is the order fulfilment in memory: the store, the aggregates'
// repositories, in-memory timers on a manual clock, the runner of the
// Fulfilment process and its feed.
type world struct {
	t      *testing.T
	ctx    context.Context
	store  *memstore.Store
	agg    *aggregates
	clock  *timers.ManualClock
	tm     *timers.Memory
	logs   *logRecorder
	faults *faults
	ledger ledgerOf
	opts   []process.Option

	runner atomic.Pointer[process.Runner[Fulfilment, FulfilmentInput]]
	feed   *process.Feed
}

func newWorld(t *testing.T, opts ...process.Option) *world {
	t.Helper()
	w := &world{t: t, ctx: t.Context(), store: memstore.New(memstore.WithStartSequence(1000)),
		clock: timers.NewManualClock(start), logs: newLogRecorder(t), faults: &faults{}, ledger: perOrder, opts: opts}
	w.agg = newAggregates(w.store, es.WithClock(w.clock.Now))
	tm, err := timers.NewMemory(w.clock, timers.WithLogger(w.logs.logger()))
	if err != nil {
		t.Fatal(err)
	}
	w.tm = tm
	w.restart()
	ctx, cancel := context.WithCancel(context.Background())
	done, running := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		_ = tm.Run(ctx, func(ctx context.Context, f timers.Firing) error {
			if f.Key.Type == "Probe" {
				close(running)
				return nil
			}
			return w.runner.Load().HandleFiring(ctx, f)
		})
	}()
	t.Cleanup(func() { cancel(); <-done })
	// The clock's Advance waits for the firings to be handled only once
	// the runner runs: wait for it to handle a probe.
	if err := tm.Schedule(w.ctx, timers.Timer{Key: timers.Key{Type: "Probe", ID: "p", Name: "p"}, Due: start}); err != nil {
		t.Fatal(err)
	}
	<-running
	return w
}

// restart replaces the runner by a new one, which knows nothing of what
// the one before did (a process restarted), and its feed by a new one
// at the checkpoint of the one before.
func (w *world) restart() {
	w.t.Helper()
	def := fulfilmentDefinition(w.agg, w.ledger)
	w.faults.wrap(&def)
	opts := append([]process.Option{process.WithClock(w.clock.Now), process.WithLogger(w.logs.logger())}, w.opts...)
	r, err := process.NewRunner(def, w.store, w.tm, opts...)
	if err != nil {
		w.t.Fatal(err)
	}
	w.runner.Store(r)
	var at uint64
	if w.feed != nil {
		at = w.feed.Checkpoint()
	}
	w.feed = process.NewFeed(w.store, r, r.Sources()...)
	w.feed.Rewind(at)
}

// submit submits order id for amount, with command id "submit-<id>".
func (w *world) submit(id string, amount int64) {
	w.t.Helper()
	if _, err := w.agg.orders.Handle(w.ctx, id, Submit{Amount: amount}, es.WithCommandID("submit-"+id)); err != nil {
		w.t.Fatalf("submit %s: %v", id, err)
	}
}

// deliver hands the process every event stored since the last delivery.
func (w *world) deliver() {
	w.t.Helper()
	if _, err := w.feed.Deliver(w.ctx); err != nil {
		w.t.Fatalf("deliver: %v", err)
	}
}

func (w *world) order(id string) Order {
	w.t.Helper()
	inst, err := w.agg.orders.Load(w.ctx, id)
	if err != nil {
		w.t.Fatalf("order %s: %v", id, err)
	}
	return inst.State
}

func (w *world) process(id string) (Fulfilment, uint64) {
	w.t.Helper()
	inst, err := w.runner.Load().Load(w.ctx, id)
	if err != nil {
		w.t.Fatalf("process %s: %v", id, err)
	}
	return inst.State, inst.Version
}

// events returns the event types of aggregate ref, in order.
func (w *world) events(typ, id string) []string {
	w.t.Helper()
	var out []string
	for rec, err := range w.store.Read(w.ctx, es.Ref{Type: typ, ID: id}, es.Position{}) {
		if err != nil {
			w.t.Fatal(err)
		}
		out = append(out, rec.EventType)
	}
	return out
}

// all returns every record of the store.
func (w *world) all() []es.Record {
	w.t.Helper()
	var out []es.Record
	for rec, err := range w.store.Scan(w.ctx, 0) {
		if err != nil {
			w.t.Fatal(err)
		}
		out = append(out, rec)
	}
	return out
}

func want[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func wantEvents(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: events %v, want %v", what, got, want)
	}
}

func describe(recs []es.Record) string {
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&b, "\n  %d %s %s %s id=%s corr=%s cause=%s", r.Sequence, r.AggregateType, r.AggregateID, r.EventType, r.EventID, r.CorrelationID, r.CausationID)
	}
	return b.String()
}
