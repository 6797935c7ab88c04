package es_test

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// spyStore counts calls and can make the next appends fail with a
// conflict, as if another writer got there first.
type spyStore struct {
	es.Store
	mu        sync.Mutex
	reads     int
	appends   int
	conflicts int               // appends still to fail with a conflict
	appendErr error             // returned by every append when set
	lastReq   *es.AppendRequest // a copy of the last request
}

func (s *spyStore) Read(ctx context.Context, ref es.Ref, from es.Position) iter.Seq2[es.Record, error] {
	s.mu.Lock()
	s.reads++
	s.mu.Unlock()
	return s.Store.Read(ctx, ref, from)
}

func (s *spyStore) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	s.mu.Lock()
	s.appends++
	// A store keeps nothing of a request (the repository reuses it): copy.
	last := *req
	last.Events = slices.Clone(req.Events)
	s.lastReq = &last
	fail := s.conflicts > 0
	if fail {
		s.conflicts--
	}
	err := s.appendErr
	s.mu.Unlock()
	if err != nil {
		return es.AppendResult{}, err
	}
	if fail {
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence}
	}
	return s.Store.Append(ctx, req)
}

func (s *spyStore) counts() (reads, appends int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads, s.appends
}

// logs returns a logger writing text lines without times into the buffer.
func logs() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	h := slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}})
	return slog.New(h), &buf
}

type doorRepo = es.Repository[door, doorCmd, doorEvent]

func handle(t *testing.T, r *doorRepo, id string, cmd doorCmd, opts ...es.HandleOption) es.Result[door, doorEvent] {
	t.Helper()
	res, err := r.Handle(t.Context(), id, cmd, opts...)
	if err != nil {
		t.Fatalf("Handle(%q, %T): %v", id, cmd, err)
	}
	return res
}

func TestHandle(t *testing.T) {
	r := es.NewRepository(memstore.New(), doorDefinition(0))
	res := handle(t, r, "d1", openDoor{})
	if !res.State.Open || res.Version != 1 || len(res.Records()) != 1 || res.Duplicate {
		t.Errorf("after Open: %+v", res)
	}
	res = handle(t, r, "d1", lockDoor{Code: 42})
	if diff := cmp.Diff([]doorEvent{closed{}, locked{Code: 42}}, res.Events); diff != "" {
		t.Errorf("Lock on an open door emitted (-want +got):\n%s", diff)
	}
	if want := (door{Locked: true, Code: 42, Moves: 3}); res.State != want || res.Version != 3 {
		t.Errorf("after Lock: state %+v version %d, want %+v 3", res.State, res.Version, want)
	}
	// A decision with no events appends nothing and returns the state.
	before := res
	res = handle(t, r, "d1", closeDoor{})
	if res.Position != before.Position || len(res.Events) != 0 || len(res.Records()) != 0 {
		t.Errorf("Close on a closed door: %+v, want nothing appended at %+v", res, before.Position)
	}
	// Decision errors come back as they are; nothing is stored.
	_, err := r.Handle(t.Context(), "d1", unlockDoor{Code: 1})
	if !errors.Is(err, errWrongCode) {
		t.Errorf("Unlock with a wrong code = %v, want errWrongCode", err)
	}
	_, err = r.Handle(t.Context(), "d1", openDoor{})
	var ite *es.InvalidTransitionError
	if !errors.As(err, &ite) || !errors.Is(err, es.ErrInvalidTransition) {
		t.Fatalf("Open on a locked door = %v, want an *es.InvalidTransitionError", err)
	}
	if want := "Door: command Open is not allowed in state Locked"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	inst, err := r.Load(t.Context(), "d1")
	if err != nil || inst.Version != 3 {
		t.Errorf("Load = %+v, %v; want version 3", inst, err)
	}
}

// TestHandleMetadata: options reach the stored events; the defaults are a
// fresh command id that is also correlation and causation.
func TestHandleMetadata(t *testing.T) {
	spy := &spyStore{Store: memstore.New()}
	at := time.Date(2026, 3, 4, 5, 6, 7, 8, time.FixedZone("X", 3600))
	r := es.NewRepository(spy, doorDefinition(0), es.WithClock(func() time.Time { return at }))
	first := handle(t, r, "d", openDoor{}, es.WithCommandID("cmd-7"), es.WithCorrelationID("flow"),
		es.WithCausationID("cause"), es.WithActor("bob"), es.WithTraceparent("tp"))
	req := spy.lastReq
	got := [...]string{req.CommandID, req.CorrelationID, req.CausationID, req.Actor, req.Traceparent}
	if got != [...]string{"cmd-7", "flow", "cause", "bob", "tp"} || !req.Time.Equal(at) || req.Time.Location() != time.UTC {
		t.Errorf("request metadata %v at %v, want cmd-7 flow cause bob tp at %v in UTC", got, req.Time, at)
	}
	if recs := first.Records(); len(recs) != 1 || recs[0].EventID != "cmd-7-1" {
		t.Errorf("records %+v, want one with event id cmd-7-1", recs)
	}
	// A command of two events, without options: the defaults, and no
	// leftover of the request the previous command used.
	res := handle(t, r, "d", lockDoor{Code: 3})
	req = spy.lastReq
	recs := res.Records()
	if len(req.Events) != 2 || req.Actor != "" || req.Traceparent != "" || req.CorrelationID != req.CommandID ||
		len(recs) != 2 || recs[0].EventID != es.EventID(req.CommandID, 0) || recs[1].EventID != es.EventID(req.CommandID, 1) {
		t.Errorf("second request: command %q, %d events, %d records, correlation %q, actor %q, traceparent %q",
			req.CommandID, len(req.Events), len(recs), req.CorrelationID, req.Actor, req.Traceparent)
	}
	res = handle(t, r, "d", unlockDoor{Code: 3})
	req = spy.lastReq
	if req.CommandID == "" || req.CommandID == "cmd-7" || req.CorrelationID != req.CommandID || req.CausationID != req.CommandID {
		t.Errorf("default ids: command %q correlation %q causation %q", req.CommandID, req.CorrelationID, req.CausationID)
	}
	// CausedBy chains a command to the event that triggered it.
	trigger := res.Records()[0].Metadata
	trigger.Traceparent = "tp-2"
	handle(t, r, "other", openDoor{}, es.CausedBy(trigger))
	req = spy.lastReq
	if req.CorrelationID != trigger.CorrelationID || req.CausationID != trigger.EventID || req.Traceparent != "tp-2" {
		t.Errorf("CausedBy: correlation %q causation %q traceparent %q, want %q %q tp-2",
			req.CorrelationID, req.CausationID, req.Traceparent, trigger.CorrelationID, trigger.EventID)
	}
	// Default command ids are unique.
	seen := map[string]bool{}
	for range 1000 {
		handle(t, r, "spin", openDoor{})
		handle(t, r, "spin", closeDoor{})
		for _, id := range []string{spy.lastReq.CommandID} {
			if seen[id] {
				t.Fatalf("command id %q handed out twice", id)
			}
			seen[id] = true
		}
	}
}

func TestHandleRetriesConflicts(t *testing.T) {
	for _, tc := range []struct {
		name       string
		maxRetries int
		conflicts  int
		wantErr    bool
		wantLogs   int
	}{
		{"none", 3, 0, false, 0},
		{"within the limit", 3, 3, false, 3},
		{"beyond the limit", 3, 4, true, 3},
		{"no retries", 0, 1, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spy := &spyStore{Store: memstore.New()}
			log, buf := logs()
			sleeper := &sleeps{}
			r := es.NewRepository(spy, doorDefinition(0), es.WithMaxRetries(tc.maxRetries), es.WithLogger(log),
				es.WithBackoffSource(highest, sleeper.sleep))
			spy.conflicts = tc.conflicts
			_, err := r.Handle(t.Context(), "d", openDoor{}, es.WithCommandID("c"))
			if tc.wantErr != errors.Is(err, es.ErrConflict) {
				t.Fatalf("Handle = %v, want conflict %t", err, tc.wantErr)
			}
			if _, appends := spy.counts(); appends != min(tc.conflicts, tc.maxRetries)+1 {
				t.Errorf("%d appends, want %d", appends, min(tc.conflicts, tc.maxRetries)+1)
			}
			if n := strings.Count(buf.String(), "msg=\"concurrency conflict, retrying\" aggregate=Door id=d"); n != tc.wantLogs {
				t.Errorf("%d retry log lines, want %d:\n%s", n, tc.wantLogs, buf)
			}
			if tc.wantLogs > 0 && !strings.Contains(buf.String(), "level=INFO msg=\"concurrency conflict, retrying\" aggregate=Door id=d attempt=1 command_id=c backoff=1ms\n") {
				t.Errorf("log lines:\n%s", buf)
			}
			// Each retry waited, as logged: the default backoff of 1, 2,
			// 4 ms, with the highest jitter.
			want := []time.Duration{time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond}[:tc.wantLogs]
			if diff := cmp.Diff(want, sleeper.waits()); diff != "" {
				t.Errorf("waits before retries (-want +got):\n%s", diff)
			}
		})
	}
}

// racingStore lets another writer move the aggregate right before each of
// the next races appends, so that every one of them conflicts for real.
type racingStore struct {
	es.Store
	races int
	race  func()
}

func (s *racingStore) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	if s.races > 0 {
		s.races--
		s.race()
	}
	return s.Store.Append(ctx, req)
}

// TestConflictDropsCache: when Handle returns ErrConflict, with no retries
// or after the last one, the stale state leaves the cache, so the next
// command decides on the stored state at its first attempt.
func TestConflictDropsCache(t *testing.T) {
	for _, tc := range []struct {
		name       string
		maxRetries int
	}{
		{"no retries", 0},
		{"after the last retry", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memstore.New()
			other := es.NewRepository(mem, doorDefinition(0), es.WithCacheSize(0))
			toggles := 0
			racer := &racingStore{Store: mem, race: func() {
				cmd := doorCmd(closeDoor{})
				if toggles%2 == 1 {
					cmd = openDoor{}
				}
				toggles++
				handle(t, other, "d", cmd)
			}}
			spy := &spyStore{Store: racer}
			log, buf := logs()
			r := es.NewRepository(spy, doorDefinition(0), es.WithMaxRetries(tc.maxRetries), es.WithLogger(log))
			handle(t, r, "d", openDoor{})

			racer.races = tc.maxRetries + 1
			if _, err := r.Handle(t.Context(), "d", lockDoor{Code: 1}); !errors.Is(err, es.ErrConflict) {
				t.Fatalf("Handle against a writer that always gets there first = %v, want es.ErrConflict", err)
			}
			_, before := spy.counts()
			buf.Reset()
			res := handle(t, r, "d", lockDoor{Code: 1})
			if _, after := spy.counts(); after != before+1 || buf.Len() != 0 {
				t.Errorf("the command after the conflict took %d appends, logged %q; want 1 append, no retry", after-before, buf)
			}
			stored, err := other.Load(t.Context(), "d")
			if err != nil {
				t.Fatal(err)
			}
			if !res.State.Locked || res.Version != stored.Version || res.State != stored.State {
				t.Errorf("after the conflict: %+v at version %d, store has %+v at %d", res.State, res.Version, stored.State, stored.Version)
			}
		})
	}
}

// TestCache: the cached state is used without reading the store; a
// conflict, Forget or eviction makes the next command read it again.
func TestCache(t *testing.T) {
	mem := memstore.New()
	spy := &spyStore{Store: mem}
	r := es.NewRepository(spy, doorDefinition(0), es.WithCacheSize(2))
	handle(t, r, "a", openDoor{})
	handle(t, r, "a", closeDoor{})
	handle(t, r, "a", openDoor{})
	if reads, _ := spy.counts(); reads != 1 {
		t.Errorf("%d reads for three commands on one aggregate, want 1 (the first load)", reads)
	}
	// Another writer appends behind the cache's back: the next command
	// conflicts, reloads and succeeds on the real state.
	other := es.NewRepository(mem, doorDefinition(0))
	handle(t, other, "a", closeDoor{})
	res := handle(t, r, "a", lockDoor{Code: 1})
	if res.Version != 5 || !res.State.Locked || len(res.Events) != 1 {
		t.Errorf("after a stale cache: version %d state %+v events %v, want 5, locked by one event", res.Version, res.State, res.Events)
	}
	if reads, _ := spy.counts(); reads != 2 {
		t.Errorf("%d reads, want 2", reads)
	}
	r.Forget("a")
	handle(t, r, "a", unlockDoor{Code: 1})
	if reads, _ := spy.counts(); reads != 3 {
		t.Errorf("%d reads after Forget, want 3", reads)
	}
	// Least recently used goes first: a is evicted by b and c.
	handle(t, r, "b", openDoor{})
	handle(t, r, "c", openDoor{})
	handle(t, r, "c", closeDoor{})
	handle(t, r, "b", closeDoor{})
	if reads, _ := spy.counts(); reads != 5 {
		t.Errorf("%d reads, want 5", reads)
	}
	handle(t, r, "a", openDoor{})
	if reads, _ := spy.counts(); reads != 6 {
		t.Errorf("%d reads after a was evicted, want 6", reads)
	}
	// Load always brings the state up to date.
	handle(t, other, "c", openDoor{})
	inst, err := r.Load(t.Context(), "c")
	if err != nil || !inst.State.Open || inst.Version != 3 {
		t.Errorf("Load after another writer: %+v, %v; want open at version 3", inst, err)
	}
	// Without a cache every command reads.
	spy2 := &spyStore{Store: mem}
	nocache := es.NewRepository(spy2, doorDefinition(0), es.WithCacheSize(0))
	handle(t, nocache, "z", openDoor{})
	handle(t, nocache, "z", closeDoor{})
	if reads, _ := spy2.counts(); reads != 2 {
		t.Errorf("%d reads without a cache, want 2", reads)
	}
}

// TestEvolveRejects: a decision whose events do not apply stores nothing.
func TestEvolveRejects(t *testing.T) {
	mem := memstore.New()
	def := doorDefinition(0)
	def.Decide = func(_ context.Context, _ door, _ doorCmd, events []doorEvent) ([]doorEvent, error) {
		return append(events, closed{}), nil
	}
	r := es.NewRepository(mem, def)
	_, err := r.Handle(t.Context(), "d", openDoor{})
	var iee *es.InvalidEvolutionError
	if !errors.Is(err, es.ErrInvalidEvolution) || !errors.As(err, &iee) || iee.State != "Closed" {
		t.Fatalf("Handle = %v, want an InvalidEvolutionError in state Closed", err)
	}
	if want := `Door "d": evolve: Door: event es_test.closed does not apply to state Closed`; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if _, err := r.Load(t.Context(), "d"); !errors.Is(err, es.ErrNotFound) {
		t.Errorf("Load = %v, want es.ErrNotFound: nothing stored", err)
	}
}

// TestStoreErrorsPassThrough: a store failure that is not a conflict is
// returned at once, without retry.
func TestStoreErrorsPassThrough(t *testing.T) {
	boom := errors.New("disk on fire")
	spy := &spyStore{Store: memstore.New(), appendErr: boom}
	r := es.NewRepository(spy, doorDefinition(0))
	if _, err := r.Handle(t.Context(), "d", openDoor{}); !errors.Is(err, boom) {
		t.Errorf("Handle = %v, want the store's error", err)
	}
	if _, appends := spy.counts(); appends != 1 {
		t.Errorf("%d appends, want 1", appends)
	}
}

// failingSnapshots fails every call.
type failingSnapshots struct{ saves int }

func (f *failingSnapshots) LoadSnapshot(context.Context, es.Ref) (es.Snapshot, error) {
	return es.Snapshot{}, errors.New("bucket unreachable")
}

func (f *failingSnapshots) SaveSnapshot(context.Context, es.Ref, es.Snapshot) error {
	f.saves++
	return errors.New("bucket full")
}

func TestSnapshotPolicy(t *testing.T) {
	cmds := []doorCmd{openDoor{}, closeDoor{}, openDoor{}, lockDoor{Code: 3}, unlockDoor{Code: 3}} // versions 1, 2, 3, 5, 6
	for _, tc := range []struct {
		name      string
		every     uint64
		noCodec   bool
		wantSaves []uint64 // versions snapshotted
	}{
		{"every 2", 2, false, []uint64{2, 5, 6}},
		{"every 4", 4, false, []uint64{5}},
		{"never", 0, false, nil},
		{"no state codec", 2, true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memstore.New()
			spy := &recordingSnapshots{SnapshotStore: mem}
			def := doorDefinition(tc.every)
			if tc.noCodec {
				def.States = nil
			}
			r := es.NewRepository(mem, def, es.WithSnapshots(spy))
			for _, c := range cmds {
				handle(t, r, "d", c)
			}
			if diff := cmp.Diff(tc.wantSaves, spy.versions); diff != "" {
				t.Errorf("snapshot versions (-want +got):\n%s", diff)
			}
		})
	}
	// A failing snapshot store costs a log line, never a command.
	log, buf := logs()
	bad := &failingSnapshots{}
	r := es.NewRepository(memstore.New(), doorDefinition(1), es.WithSnapshots(bad), es.WithLogger(log))
	handle(t, r, "d", openDoor{})
	r.Forget("d")
	inst, err := r.Load(t.Context(), "d")
	if err != nil || !inst.State.Open {
		t.Errorf("Load with a failing snapshot store = %+v, %v", inst, err)
	}
	want := "level=WARN msg=\"snapshot unreadable, replaying\" aggregate=Door id=d error=\"bucket unreachable\"\n" +
		"level=WARN msg=\"snapshot not saved\" aggregate=Door id=d version=1 error=\"bucket full\"\n" +
		"level=WARN msg=\"snapshot unreadable, replaying\" aggregate=Door id=d error=\"bucket unreachable\"\n"
	if buf.String() != want || bad.saves != 1 {
		t.Errorf("logs:\n%s\nwant:\n%s", buf, want)
	}
}

type recordingSnapshots struct {
	es.SnapshotStore
	versions []uint64
}

func (r *recordingSnapshots) SaveSnapshot(ctx context.Context, ref es.Ref, s es.Snapshot) error {
	r.versions = append(r.versions, s.Version)
	return r.SnapshotStore.SaveSnapshot(ctx, ref, s)
}

// TestSnapshotSchemaChange: a snapshot of another state schema is ignored
// with a log line, and the state replayed.
func TestSnapshotSchemaChange(t *testing.T) {
	mem := memstore.New()
	old := doorDefinition(1)
	r := es.NewRepository(mem, old, es.WithSnapshots(mem))
	handle(t, r, "d", openDoor{})
	handle(t, r, "d", lockDoor{Code: 9})
	changed := doorDefinition(1)
	changed.States = doorStates{schema: "door/2"}
	log, buf := logs()
	inst, err := es.NewRepository(mem, changed, es.WithSnapshots(mem), es.WithLogger(log)).Load(t.Context(), "d")
	if err != nil || inst.State != (door{Locked: true, Code: 9, Moves: 3}) {
		t.Errorf("Load = %+v, %v", inst, err)
	}
	want := "level=INFO msg=\"snapshot schema changed, replaying\" aggregate=Door id=d snapshot_schema=door/1 state_schema=door/2\n"
	if buf.String() != want {
		t.Errorf("logs:\n%s\nwant:\n%s", buf, want)
	}
}

func TestTimeTravel(t *testing.T) {
	mem := memstore.New(memstore.WithStartSequence(500))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	r := es.NewRepository(mem, doorDefinition(0), es.WithClock(func() time.Time { return now }))
	for i, c := range []doorCmd{openDoor{}, lockDoor{Code: 5}, unlockDoor{Code: 5}} { // v1 at t0, v2-3 at t0+1h, v4 at t0+2h
		now = t0.Add(time.Duration(i) * time.Hour)
		handle(t, r, "d", c)
	}
	for _, tc := range []struct {
		version uint64
		want    door
	}{
		{0, door{}},
		{1, door{Open: true, Moves: 1}},
		{2, door{Moves: 2}},
		{3, door{Locked: true, Code: 5, Moves: 3}},
		{4, door{Moves: 4}},
	} {
		inst, err := r.LoadAt(t.Context(), "d", tc.version)
		if err != nil || inst.State != tc.want || inst.Version != tc.version {
			t.Errorf("LoadAt(%d) = %+v, %v; want %+v", tc.version, inst, err, tc.want)
		}
	}
	if inst, err := r.LoadAt(t.Context(), "d", 5); !errors.Is(err, es.ErrNotFound) || inst != (es.Instance[door]{}) {
		t.Errorf("LoadAt(5) = %+v, %v; want the zero instance and es.ErrNotFound", inst, err)
	} else if want := `Door "d": version 5: es: aggregate not found (newest is 4)`; err.Error() != want {
		t.Errorf("LoadAt(5) error %q, want %q", err, want)
	}
	inst, err := r.LoadAsOf(t.Context(), "d", t0.Add(90*time.Minute))
	if err != nil || inst.Version != 3 || !inst.State.Locked {
		t.Errorf("LoadAsOf(t0+90m) = %+v, %v; want version 3, locked", inst, err)
	}
	if inst, err := r.LoadAsOf(t.Context(), "d", t0.Add(-time.Second)); !errors.Is(err, es.ErrNotFound) || inst != (es.Instance[door]{}) {
		t.Errorf("LoadAsOf before the first event = %+v, %v; want the zero instance and es.ErrNotFound", inst, err)
	}
	if inst, err := r.Load(t.Context(), "none"); !errors.Is(err, es.ErrNotFound) || inst != (es.Instance[door]{}) {
		t.Errorf("Load of an aggregate with no events = %+v, %v; want the zero instance and es.ErrNotFound", inst, err)
	}
	recs, events, err := r.History(t.Context(), "d")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]doorEvent{opened{}, closed{}, locked{Code: 5}, unlocked{}}, events); diff != "" {
		t.Errorf("History (-want +got):\n%s", diff)
	}
	if recs[0].Sequence != 501 || recs[1].Sequence != 502 || recs[2].Sequence != 502 || recs[3].Sequence != 503 {
		t.Errorf("sequences %d %d %d %d, want 501 502 502 503", recs[0].Sequence, recs[1].Sequence, recs[2].Sequence, recs[3].Sequence)
	}
}

// TestDecodeFailures: a stored event the codec cannot read fails loads
// with the codec's typed error, naming aggregate and version.
func TestDecodeFailures(t *testing.T) {
	mem := memstore.New()
	ref := es.Ref{Type: "Door", ID: "d"}
	_, err := mem.Append(t.Context(), &es.AppendRequest{Ref: ref, CommandID: "c", Events: []es.RawEvent{
		{Type: "Opened", SchemaVersion: 1, Data: []byte(`{}`)},
		{Type: "Closed", SchemaVersion: 2, Data: []byte(`{}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	r := es.NewRepository(mem, doorDefinition(0))
	_, err = r.Load(t.Context(), "d")
	var de *es.DecodeError
	if !errors.Is(err, es.ErrUnknownSchemaVersion) || !errors.As(err, &de) {
		t.Fatalf("Load = %v, want an *es.DecodeError matching es.ErrUnknownSchemaVersion", err)
	}
	if want := `Door "d" version 2: decode Closed v2: es: unknown schema version`; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if _, _, err := r.History(t.Context(), "d"); !errors.Is(err, es.ErrUnknownSchemaVersion) {
		t.Errorf("History = %v, want es.ErrUnknownSchemaVersion", err)
	}
}
