package projection_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
)

// env is an embedded JetStream with the real event store on it.
type env struct {
	t     testing.TB
	srv   *natsserver.Server
	js    jetstream.JetStream
	store *jsstore.Store
	logs  *logs

	mu  sync.Mutex
	pos map[es.Ref]es.Position
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	})
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	store, err := jsstore.New(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, js: js, store: store, logs: &logs{}, pos: map[es.Ref]es.Position{}}
}

// otherClient returns JetStream on a connection of its own, as another
// process would see the server.
func (e *env) otherClient() jetstream.JetStream {
	e.t.Helper()
	nc, err := e.srv.Connect()
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		e.t.Fatal(err)
	}
	return js
}

// command appends one command of the given event types to aggregate typ/id
// and returns its stored records.
func (e *env) command(typ, id string, eventTypes ...string) []es.Record {
	e.t.Helper()
	ref := es.Ref{Type: typ, ID: id}
	e.mu.Lock()
	defer e.mu.Unlock()
	at := e.pos[ref]
	raw := make([]es.RawEvent, len(eventTypes))
	for i, et := range eventTypes {
		raw[i] = es.RawEvent{Type: et, SchemaVersion: 1, Data: fmt.Appendf(nil, `{"n":%d}`, at.Version+uint64(i)+1)}
	}
	cmdID := fmt.Sprintf("%s-%s-%d", typ, id, at.Version)
	req := &es.AppendRequest{
		Ref: ref, ExpectedVersion: at.Version, ExpectedSequence: at.Sequence,
		CommandID: cmdID, Time: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		CorrelationID: cmdID, CausationID: cmdID, Actor: "tester",
		Traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		Events:      raw,
	}
	ar, err := e.store.Append(context.Background(), req)
	if err != nil {
		e.t.Fatalf("append %s: %v", cmdID, err)
	}
	e.pos[ref] = es.Position{Version: ar.Version, Sequence: ar.Sequence}
	return req.Records(ar.Sequence)
}

// commands appends n single-event commands to Order o-1 .. o-k round robin.
func (e *env) commands(n, k int) []es.Record {
	e.t.Helper()
	var recs []es.Record
	for i := range n {
		recs = append(recs, e.command("Order", fmt.Sprintf("o-%d", i%k+1), "OrderSubmitted")...)
	}
	return recs
}

// running is a projection running in the background of a test.
type running struct {
	cancel context.CancelFunc
	done   chan error
}

// start runs p until stop or the end of the test.
func start(t testing.TB, p interface{ Run(context.Context) error }) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- p.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels the run and waits for Run to return; a second stop is a
// no-op.
func (r *running) stop(t testing.TB) {
	t.Helper()
	if r.done == nil {
		return
	}
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return 10 s after its context ended")
	}
	r.done = nil
}

// caughtUp waits for p to catch up, failing the test after 10 s.
func caughtUp(t testing.TB, p interface{ CaughtUp(context.Context) error }) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.CaughtUp(ctx); err != nil {
		t.Fatal(err)
	}
}

// model is a read model that records every delivery.
type model struct {
	mu      sync.Mutex
	batches [][]es.Record
	resets  int
	// fail, when set, may fail a batch (before it is recorded as applied).
	fail func(batch []es.Record) error
	// applied are the batches the handler accepted.
	applied [][]es.Record
}

func (m *model) Handle(ctx context.Context, recs []es.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.batches = append(m.batches, recs)
	if m.fail != nil {
		if err := m.fail(recs); err != nil {
			return err
		}
	}
	m.applied = append(m.applied, recs)
	return nil
}

func (m *model) Reset(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.resets++
	m.applied = nil
	return nil
}

// ids returns the event ids of the applied records, in order.
func (m *model) ids() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []string
	for _, b := range m.applied {
		for _, r := range b {
			ids = append(ids, r.EventID)
		}
	}
	return ids
}

// deliveries counts how often each event id was handed to the handler.
func (m *model) deliveries() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := map[string]int{}
	for _, b := range m.batches {
		for _, r := range b {
			n[r.EventID]++
		}
	}
	return n
}

func (m *model) batchSizes() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	var sizes []int
	for _, b := range m.applied {
		sizes = append(sizes, len(b))
	}
	return sizes
}

func eventIDs(recs []es.Record) []string {
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.EventID
	}
	return ids
}

// logs captures log records.
type logs struct {
	mu   sync.Mutex
	recs []logRecord
}

type logRecord struct {
	Level slog.Level
	Msg   string
	Attrs map[string]any
}

func (l *logs) logger() *slog.Logger { return slog.New(&captureHandler{l: l}) }

// find returns the records with message msg.
func (l *logs) find(msg string) []logRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []logRecord
	for _, r := range l.recs {
		if r.Msg == msg {
			out = append(out, r)
		}
	}
	return out
}

// atLeast returns the messages of records at level min or above.
func (l *logs) atLeast(min slog.Level) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.recs {
		if r.Level >= min {
			out = append(out, fmt.Sprintf("%s %s %v", r.Level, r.Msg, r.Attrs))
		}
	}
	return out
}

type captureHandler struct {
	l     *logs
	attrs []slog.Attr
}

func (h *captureHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *captureHandler) Handle(_ context.Context, r slog.Record) error {
	attrs := map[string]any{}
	for _, a := range h.attrs {
		attrs[a.Key] = a.Value.Any()
	}
	r.Attrs(func(a slog.Attr) bool {
		attrs[a.Key] = a.Value.Any()
		return true
	})
	h.l.mu.Lock()
	h.l.recs = append(h.l.recs, logRecord{Level: r.Level, Msg: r.Message, Attrs: attrs})
	h.l.mu.Unlock()
	return nil
}

func (h *captureHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &captureHandler{l: h.l, attrs: append(slices.Clip(h.attrs), as...)}
}

func (h *captureHandler) WithGroup(string) slog.Handler { return h }

// eventually polls cond every 5 ms for up to 10 s.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
