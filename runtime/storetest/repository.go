package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
)

// Stores is what RunRepository runs on: an event store and a snapshot
// store (which may be the same value).
type Stores struct {
	Events    es.Store
	Snapshots es.SnapshotStore
}

// Window bounds the stored commands a store recognises wherever they are
// retried: by count or by time.
type Window struct {
	// Appends: the aggregate's newest Appends appends (the in-memory
	// store's es.DedupeAppends).
	Appends int
	// Duration: the commands stored within Duration (the JetStream
	// store's duplicate window). Checking it takes that long.
	Duration time.Duration
}

// RunRepository runs es.Repository on the stores newStores returns:
// command handling, idempotent commands (also retried after the state
// moved on), command ids refused before deciding, conflicts retried by racing handlers, time travel by version
// and by time, history, and snapshots (including a changed state schema).
// It checks that users see the same behaviour on every store. Its checks
// rely on the store recognising a command for as long as they run: give
// it a store with its usual window, and check the window with RunWindow.
func RunRepository(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Helper()
	token := newToken()
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s Stores, id string)
	}{
		{"HandleAndHistory", testHandleAndHistory},
		{"TimeTravel", testTimeTravel},
		{"IdempotentCommand", testIdempotentCommand},
		{"InvalidCommandID", testInvalidCommandID},
		{"RetryAfterStateMoved", testRetryAfterStateMoved},
		{"ConflictRetried", testConflictRetried},
		{"ConcurrentHandlers", testConcurrentHandlers},
		{"Snapshots", testSnapshots},
		{"NotFound", testRepositoryNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newStores(t), tc.name+"-"+token)
		})
	}
}

// RunWindow checks, as a subtest of t, that es.Repository on store s
// recognises a command retried with its id wherever the state moved while
// the command is within w, the window of s, and handles it as a new
// command past it. A window of time is waited out: give s a short one (a
// second), on a stream of its own, as RunRepository's checks could
// outlast it.
func RunWindow(t *testing.T, s es.Store, w Window) {
	t.Helper()
	if w.Appends == 0 && w.Duration == 0 {
		t.Fatal("storetest.RunWindow: the zero Window bounds nothing")
	}
	id := "RetryPastWindow-" + newToken()
	t.Run("RetryPastWindow", func(t *testing.T) { testRetryPastWindow(t, s, w, id) })
}

// stepClock returns a clock that starts at suiteTime and advances by one
// minute at each reading, and a function giving the time of reading n
// (0-based).
func stepClock() (func() time.Time, func(n int) time.Time) {
	var n atomic.Int64
	at := func(i int) time.Time { return suiteTime.Add(time.Duration(i) * time.Minute) }
	return func() time.Time { return at(int(n.Add(1) - 1)) }, at
}

type tallyRepo = es.Repository[Tally, TallyCommand, TallyEvent]

func mustHandle(t *testing.T, r *tallyRepo, id string, cmd TallyCommand, opts ...es.HandleOption) es.Result[Tally, TallyEvent] {
	t.Helper()
	res, err := r.Handle(t.Context(), id, cmd, opts...)
	if err != nil {
		t.Fatalf("Handle(%q, %#v): %v", id, cmd, err)
	}
	return res
}

func testHandleAndHistory(t *testing.T, s Stores, id string) {
	clock, at := stepClock()
	r := es.NewRepository(s.Events, TallyDefinition(0), es.WithClock(clock))
	opts := []es.HandleOption{es.WithCorrelationID("flow-1"), es.WithActor("alice"),
		es.WithTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")}
	steps := []struct {
		cmd     TallyCommand
		total   int64
		version uint64
		events  []TallyEvent
	}{
		{Add{N: 1}, 1, 1, []TallyEvent{Added{N: 1}}},
		{AddAll{Ns: []int64{2, 3}}, 6, 3, []TallyEvent{Added{N: 2}, Added{N: 3}}},
		{Add{N: 4}, 10, 4, []TallyEvent{Added{N: 4}}},
		{Close{}, 10, 5, []TallyEvent{Closed{}}},
	}
	var prevSeq uint64
	for i, st := range steps {
		res := mustHandle(t, r, id, st.cmd, append(opts, es.WithCommandID(fmt.Sprintf("cmd-%d", i)))...)
		if res.State.Total != st.total || res.Version != st.version {
			t.Errorf("after %#v: total %d version %d, want %d %d", st.cmd, res.State.Total, res.Version, st.total, st.version)
		}
		if res.Sequence <= prevSeq {
			t.Errorf("after %#v: sequence %d did not grow from %d", st.cmd, res.Sequence, prevSeq)
		}
		prevSeq = res.Sequence
		if diff := cmp.Diff(st.events, res.Events); diff != "" {
			t.Errorf("after %#v: events (-want +got):\n%s", st.cmd, diff)
		}
		recs := res.Records()
		if len(recs) != len(st.events) || recs[len(recs)-1].Version != st.version {
			t.Fatalf("after %#v: %d records, want %d ending at version %d", st.cmd, len(recs), len(st.events), st.version)
		}
		stored, _, err := r.History(t.Context(), id)
		if err != nil {
			t.Fatalf("History: %v", err)
		}
		if diff := cmp.Diff(stored[st.version-uint64(len(recs)):], recs); diff != "" {
			t.Errorf("after %#v: the result's records are not the stored ones (-stored +result):\n%s", st.cmd, diff)
		}
	}
	_, err := r.Handle(t.Context(), id, Add{N: 5})
	var ite *es.InvalidTransitionError
	if !errors.Is(err, es.ErrInvalidTransition) || !errors.As(err, &ite) || ite.State != "Closed" || ite.Command != "Add" {
		t.Errorf("Add on a closed tally = %v, want an InvalidTransitionError naming Closed and Add", err)
	}

	recs, events, err := r.History(t.Context(), id)
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	wantEvents := []TallyEvent{Added{N: 1}, Added{N: 2}, Added{N: 3}, Added{N: 4}, Closed{}}
	if diff := cmp.Diff(wantEvents, events); diff != "" {
		t.Errorf("History events (-want +got):\n%s", diff)
	}
	cmdOf := []int{0, 1, 1, 2, 3}
	for i, rec := range recs {
		c := cmdOf[i]
		want := es.Metadata{
			EventID:       es.EventID(fmt.Sprintf("cmd-%d", c), i-firstOf(cmdOf, c)),
			AggregateType: "Tally",
			AggregateID:   id,
			Version:       uint64(i + 1),
			Time:          at(c),
			CorrelationID: "flow-1",
			CausationID:   fmt.Sprintf("cmd-%d", c),
			Actor:         "alice",
			Traceparent:   "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
			EventType:     map[bool]string{true: "Closed", false: "Added"}[i == 4],
			SchemaVersion: map[bool]int{true: 1, false: 2}[i == 4],
			Sequence:      rec.Sequence,
		}
		if diff := cmp.Diff(want, rec.Metadata); diff != "" {
			t.Errorf("History record %d metadata (-want +got):\n%s", i, diff)
		}
	}
	if recs[1].Sequence != recs[2].Sequence || recs[0].Sequence == recs[1].Sequence {
		t.Errorf("sequences %d %d %d: the events of one command share one, commands differ",
			recs[0].Sequence, recs[1].Sequence, recs[2].Sequence)
	}
}

func firstOf(cmds []int, c int) int {
	for i, x := range cmds {
		if x == c {
			return i
		}
	}
	return -1
}

func testTimeTravel(t *testing.T, s Stores, id string) {
	clock, at := stepClock()
	r := es.NewRepository(s.Events, TallyDefinition(0), es.WithClock(clock))
	mustHandle(t, r, id, Add{N: 1})                    // v1 at(0)
	mustHandle(t, r, id, AddAll{Ns: []int64{10, 100}}) // v2, v3 at(1)
	mustHandle(t, r, id, Add{N: 1000})                 // v4 at(2)
	mustHandle(t, r, id, Close{})                      // v5 at(3)
	recs, _, err := r.History(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	totals := []int64{0, 1, 11, 111, 1111, 1111}
	for v, want := range totals {
		inst, err := r.LoadAt(t.Context(), id, uint64(v))
		if err != nil {
			t.Errorf("LoadAt(%d): %v", v, err)
			continue
		}
		var wantSeq uint64
		if v > 0 {
			wantSeq = recs[v-1].Sequence
		}
		if inst.State.Total != want || inst.Version != uint64(v) || inst.Sequence != wantSeq || inst.State.Closed != (v == 5) {
			t.Errorf("LoadAt(%d) = total %d version %d sequence %d closed %t, want %d %d %d %t",
				v, inst.State.Total, inst.Version, inst.Sequence, inst.State.Closed, want, v, wantSeq, v == 5)
		}
	}
	if inst, err := r.LoadAt(t.Context(), id, 6); !errors.Is(err, es.ErrNotFound) || inst != (es.Instance[Tally]{}) {
		t.Errorf("LoadAt(6) of a 5-event aggregate = %+v, %v; want the zero instance and es.ErrNotFound", inst, err)
	}
	asOf := []struct {
		when    time.Time
		version uint64
		total   int64
	}{
		{at(0), 1, 1},
		{at(1).Add(-time.Nanosecond), 1, 1},
		{at(1), 3, 111},
		{at(2).Add(30 * time.Second), 4, 1111},
		{at(100), 5, 1111},
	}
	for _, tc := range asOf {
		inst, err := r.LoadAsOf(t.Context(), id, tc.when)
		if err != nil {
			t.Errorf("LoadAsOf(%v): %v", tc.when, err)
			continue
		}
		if inst.Version != tc.version || inst.State.Total != tc.total {
			t.Errorf("LoadAsOf(%v) = version %d total %d, want %d %d", tc.when, inst.Version, inst.State.Total, tc.version, tc.total)
		}
	}
	if _, err := r.LoadAsOf(t.Context(), id, at(0).Add(-time.Nanosecond)); !errors.Is(err, es.ErrNotFound) {
		t.Errorf("LoadAsOf before the first event = %v, want es.ErrNotFound", err)
	}
	// Time travel does not disturb the current state.
	inst, err := r.Load(t.Context(), id)
	if err != nil || inst.Version != 5 || !inst.State.Closed {
		t.Errorf("Load after time travel = %+v, %v; want version 5, closed", inst, err)
	}
}

func testIdempotentCommand(t *testing.T, s Stores, id string) {
	a := es.NewRepository(s.Events, TallyDefinition(0))
	first := mustHandle(t, a, id, Add{N: 5}, es.WithCommandID("pay-1"))
	// Another process handles the same command again (its sender did not
	// get the reply): the store recognises it, nothing is stored twice.
	b := es.NewRepository(s.Events, TallyDefinition(0))
	again := mustHandle(t, b, id, Add{N: 5}, es.WithCommandID("pay-1"))
	if !again.Duplicate {
		t.Errorf("second Handle of command pay-1: Duplicate = false, want true")
	}
	if diff := cmp.Diff(first.Records(), again.Records()); diff != "" {
		t.Errorf("second Handle of command pay-1 returned other records (-first +again):\n%s", diff)
	}
	if again.State.Total != 5 || again.Version != 1 {
		t.Errorf("second Handle: total %d version %d, want 5 1", again.State.Total, again.Version)
	}
	// The same on the repository that handled it first, after a later command.
	mustHandle(t, a, id, Add{N: 7}, es.WithCommandID("pay-2"))
	third := mustHandle(t, a, id, Add{N: 5}, es.WithCommandID("pay-1"))
	if !third.Duplicate || third.State.Total != 12 || third.Version != 2 {
		t.Errorf("third Handle of pay-1: duplicate %t total %d version %d, want true 12 2", third.Duplicate, third.State.Total, third.Version)
	}
	_, events, err := a.History(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]TallyEvent{Added{N: 5}, Added{N: 7}}, events); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}

func testConflictRetried(t *testing.T, s Stores, id string) {
	a := es.NewRepository(s.Events, TallyDefinition(0))
	b := es.NewRepository(s.Events, TallyDefinition(0))
	mustHandle(t, a, id, Add{N: 1}) // a caches version 1
	mustHandle(t, b, id, Add{N: 2}) // b appends version 2 behind a's back
	res := mustHandle(t, a, id, Add{N: 4})
	if res.State.Total != 7 || res.Version != 3 {
		t.Errorf("after a conflict retried: total %d version %d, want 7 3", res.State.Total, res.Version)
	}
	// With no retries left the conflict reaches the caller.
	c := es.NewRepository(s.Events, TallyDefinition(0), es.WithMaxRetries(0))
	mustHandle(t, c, id, Add{N: 0})
	mustHandle(t, b, id, Add{N: 8})
	_, err := c.Handle(t.Context(), id, Add{N: 16})
	var ce *es.ConflictError
	if !errors.Is(err, es.ErrConflict) || !errors.As(err, &ce) || ce.Ref != (es.Ref{Type: "Tally", ID: id}) {
		t.Errorf("Handle with no retries after a concurrent append = %v, want an *es.ConflictError for Tally %q", err, id)
	}
	inst, err := c.Load(t.Context(), id)
	if err != nil || inst.State.Total != 15 || inst.Version != 5 {
		t.Errorf("Load = total %d version %d (%v), want 15 5", inst.State.Total, inst.Version, err)
	}
}

// testConcurrentHandlers: goroutines handling commands on one aggregate,
// through one shared repository and through repositories of their own:
// every accepted event is stored once, versions are contiguous, no update
// is lost.
func testConcurrentHandlers(t *testing.T, s Stores, id string) {
	const goroutines, perGoroutine = 8, 10
	shared := es.NewRepository(s.Events, TallyDefinition(0), es.WithMaxRetries(1000))
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*perGoroutine)
	for g := range goroutines {
		r := shared
		if g%2 == 1 {
			r = es.NewRepository(s.Events, TallyDefinition(0), es.WithMaxRetries(1000))
		}
		wg.Go(func() {
			for i := range perGoroutine {
				n := int64(g*perGoroutine + i + 1)
				var err error
				if i%3 == 2 {
					_, err = r.Handle(t.Context(), id, AddAll{Ns: []int64{n, 0}})
				} else {
					_, err = r.Handle(t.Context(), id, Add{N: n})
				}
				if err != nil {
					errs <- fmt.Errorf("goroutine %d command %d: %w", g, i, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	recs, events, err := shared.History(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	const n = goroutines * perGoroutine
	seen := map[int64]int{}
	for i, rec := range recs {
		if rec.Version != uint64(i+1) {
			t.Fatalf("event %d has version %d: versions not contiguous", i, rec.Version)
		}
		if a := events[i].(Added); a.N != 0 {
			seen[a.N]++
		}
	}
	for k := int64(1); k <= n; k++ {
		if seen[k] != 1 {
			t.Errorf("the command adding %d is stored %d times, want once", k, seen[k])
		}
	}
	inst, err := es.NewRepository(s.Events, TallyDefinition(0)).Load(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(n * (n + 1) / 2); inst.State.Total != want || inst.Version != uint64(len(recs)) {
		t.Errorf("final total %d version %d, want %d %d", inst.State.Total, inst.Version, want, len(recs))
	}
}

// countingSnapshots counts snapshot loads and saves.
type countingSnapshots struct {
	es.SnapshotStore
	loads, saves atomic.Int64
}

func (c *countingSnapshots) LoadSnapshot(ctx context.Context, ref es.Ref) (es.Snapshot, error) {
	c.loads.Add(1)
	return c.SnapshotStore.LoadSnapshot(ctx, ref)
}

func (c *countingSnapshots) SaveSnapshot(ctx context.Context, ref es.Ref, s es.Snapshot) error {
	c.saves.Add(1)
	return c.SnapshotStore.SaveSnapshot(ctx, ref, s)
}

func testSnapshots(t *testing.T, s Stores, id string) {
	snaps := &countingSnapshots{SnapshotStore: s.Snapshots}
	def := TallyDefinition(3)
	r := es.NewRepository(s.Events, def, es.WithSnapshots(snaps))
	mustHandle(t, r, id, Add{N: 1})                      // v1
	mustHandle(t, r, id, AddAll{Ns: []int64{2, 3, 4}})   // v4: crosses 3
	mustHandle(t, r, id, Add{N: 5})                      // v5
	last := mustHandle(t, r, id, AddAll{Ns: []int64{6}}) // v6: crosses 6
	mustHandle(t, r, id, Add{N: 7})                      // v7
	if got := snaps.saves.Load(); got != 2 {
		t.Errorf("%d snapshots saved over versions 1..7 every 3, want 2", got)
	}
	ref := es.Ref{Type: "Tally", ID: id}
	snap, err := s.Snapshots.LoadSnapshot(t.Context(), ref)
	if err != nil {
		t.Fatalf("LoadSnapshot: %v", err)
	}
	if snap.Position != last.Position || snap.SchemaVersion != "tally/1" || string(snap.Data) != "21 6 false" {
		t.Errorf("snapshot = %+v %q %q, want position %+v schema tally/1 data %q", snap.Position, snap.SchemaVersion, snap.Data, last.Position, "21 6 false")
	}

	// A repository without the state cached starts from the snapshot: a
	// snapshot that lies about the state shows through.
	mustSaveSnapshot(t, s.Snapshots, ref, es.Snapshot{Position: snap.Position, SchemaVersion: "tally/1", Data: []byte("1000 6 false")})
	fresh := es.NewRepository(s.Events, def, es.WithSnapshots(snaps))
	inst, err := fresh.Load(t.Context(), id)
	if err != nil || inst.State.Total != 1007 || inst.Version != 7 {
		t.Errorf("Load from snapshot = total %d version %d (%v), want 1007 7", inst.State.Total, inst.Version, err)
	}
	// Time travel replays from the start, never from a snapshot.
	at2, err := fresh.LoadAt(t.Context(), id, 2)
	if err != nil || at2.State.Total != 3 {
		t.Errorf("LoadAt(2) with a snapshot at 6 = total %d (%v), want 3", at2.State.Total, err)
	}
	// A snapshot in another state schema is ignored: full replay.
	mustSaveSnapshot(t, s.Snapshots, ref, es.Snapshot{Position: snap.Position, SchemaVersion: "tally/0", Data: []byte("garbage")})
	inst, err = es.NewRepository(s.Events, def, es.WithSnapshots(snaps)).Load(t.Context(), id)
	if err != nil || inst.State.Total != 28 || inst.Version != 7 {
		t.Errorf("Load with a stale snapshot schema = total %d version %d (%v), want 28 7", inst.State.Total, inst.Version, err)
	}
	// So is one that does not decode.
	mustSaveSnapshot(t, s.Snapshots, ref, es.Snapshot{Position: snap.Position, SchemaVersion: "tally/1", Data: []byte("garbage")})
	inst, err = es.NewRepository(s.Events, def, es.WithSnapshots(snaps)).Load(t.Context(), id)
	if err != nil || inst.State.Total != 28 {
		t.Errorf("Load with an undecodable snapshot = total %d (%v), want 28", inst.State.Total, err)
	}
	// Commands on a state loaded from a snapshot append after it.
	mustSaveSnapshot(t, s.Snapshots, ref, snap)
	next := es.NewRepository(s.Events, def, es.WithSnapshots(snaps))
	res := mustHandle(t, next, id, Add{N: 8})
	if res.State.Total != 36 || res.Version != 8 {
		t.Errorf("Handle after a snapshot load = total %d version %d, want 36 8", res.State.Total, res.Version)
	}
}

func mustSaveSnapshot(t *testing.T, s es.SnapshotStore, ref es.Ref, snap es.Snapshot) {
	t.Helper()
	if err := s.SaveSnapshot(t.Context(), ref, snap); err != nil {
		t.Fatal(err)
	}
}

func testRepositoryNotFound(t *testing.T, s Stores, id string) {
	r := es.NewRepository(s.Events, TallyDefinition(0))
	if _, err := r.Load(t.Context(), id); !errors.Is(err, es.ErrNotFound) {
		t.Errorf("Load of an aggregate with no events = %v, want es.ErrNotFound", err)
	}
	if _, err := r.LoadAt(t.Context(), id, 1); !errors.Is(err, es.ErrNotFound) {
		t.Errorf("LoadAt(1) of an aggregate with no events = %v, want es.ErrNotFound", err)
	}
	if _, err := r.LoadAsOf(t.Context(), id, suiteTime); !errors.Is(err, es.ErrNotFound) {
		t.Errorf("LoadAsOf of an aggregate with no events = %v, want es.ErrNotFound", err)
	}
	for _, bad := range []string{"", "a.b", "*", ">", "a b"} {
		if _, err := r.Handle(t.Context(), bad, Add{N: 1}); !errors.Is(err, es.ErrInvalidID) {
			t.Errorf("Handle(%q) = %v, want es.ErrInvalidID", bad, err)
		}
		if _, err := r.Load(t.Context(), bad); !errors.Is(err, es.ErrInvalidID) {
			t.Errorf("Load(%q) = %v, want es.ErrInvalidID", bad, err)
		}
	}
}
