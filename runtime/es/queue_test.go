package es_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/esgen/esgen/runtime/storetest"
)

// sleeps records the waits of a backoff and returns at once, or with the
// context's error when it has ended.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration{}, s.d...)
}

// highest is a jitter source that always draws its highest number.
func highest(n int64) int64 { return n - 1 }

// conflictCounter counts the concurrency conflicts its store's Append
// returns. Each Append first lets other goroutines run, as a store on a
// network does, so that writers racing on one aggregate conflict.
type conflictCounter struct {
	es.Store
	conflicts atomic.Int64
}

func (c *conflictCounter) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	runtime.Gosched()
	ar, err := c.Store.Append(ctx, req)
	if errors.Is(err, es.ErrConflict) {
		c.conflicts.Add(1)
	}
	return ar, err
}

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestOneWriterPerAggregate: 8 goroutines handling 100 commands each on one
// aggregate through one Repository with default options never conflict:
// no error, no conflict from the store, no retry logged, every command
// stored once, in versions 1 to 800. Loads running meanwhile always see a
// state consistent with its version.
func TestOneWriterPerAggregate(t *testing.T) {
	const goroutines, perGoroutine = 8, 100
	store := &conflictCounter{Store: memstore.New()}
	var logged syncBuffer
	log := slogText(&logged)
	r := es.NewRepository(store, storetest.TallyDefinition(0), es.WithLogger(log))
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*perGoroutine+1)
	for g := range goroutines {
		wg.Go(func() {
			for i := range perGoroutine {
				// Each command adds a number of its own: every one is
				// stored once iff the total is the sum of them all.
				n := int64(g*perGoroutine + i + 1)
				if _, err := r.Handle(t.Context(), "hot", storetest.Add{N: n}); err != nil {
					errs <- fmt.Errorf("goroutine %d command %d: %w", g, i, err)
				}
			}
		})
	}
	loads := make(chan struct{})
	go func() {
		defer close(loads)
		var last uint64
		for range 200 {
			inst, err := r.Load(t.Context(), "hot")
			if errors.Is(err, es.ErrNotFound) {
				continue
			}
			if err != nil {
				errs <- fmt.Errorf("Load: %w", err)
				return
			}
			if inst.Version < last || int(inst.Version) != inst.State.Adds {
				errs <- fmt.Errorf("Load after version %d: version %d with %d adds", last, inst.Version, inst.State.Adds)
				return
			}
			last = inst.Version
		}
	}()
	wg.Wait()
	<-loads
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := store.conflicts.Load(); n != 0 {
		t.Errorf("%d conflicts between commands of one Repository, want 0", n)
	}
	if strings.Contains(logged.String(), "concurrency conflict") {
		t.Errorf("retries logged:\n%s", logged.String())
	}
	const n = goroutines * perGoroutine
	inst, err := es.NewRepository(store, storetest.TallyDefinition(0)).Load(t.Context(), "hot")
	if err != nil {
		t.Fatal(err)
	}
	if inst.Version != n || inst.State.Total != n*(n+1)/2 {
		t.Errorf("stored: version %d total %d, want %d %d", inst.Version, inst.State.Total, n, n*(n+1)/2)
	}
}

// TestLogOneWriterPerAggregate: the same for a Log's appends.
func TestLogOneWriterPerAggregate(t *testing.T) {
	const goroutines, perGoroutine = 8, 100
	store := &conflictCounter{Store: memstore.New()}
	l := es.NewLog(store, es.LogDefinition[metric]{Type: "Metrics", Events: metricCodec{}})
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range goroutines {
		wg.Go(func() {
			for range perGoroutine {
				if _, err := l.Append(t.Context(), "m", []metric{{Name: "x", Value: 1}}); err != nil {
					t.Error(err)
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := store.conflicts.Load(); n != 0 || failed.Load() != 0 {
		t.Errorf("%d conflicts, %d failed appends; want 0 0", n, failed.Load())
	}
	recs, _, err := l.History(t.Context(), "m")
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs {
		if rec.Version != uint64(i+1) {
			t.Fatalf("record %d at version %d", i, rec.Version)
		}
	}
	if len(recs) != goroutines*perGoroutine {
		t.Errorf("%d records, want %d", len(recs), goroutines*perGoroutine)
	}
}

// gatedTally is the Tally whose decisions for aggregate "blocked" signal
// entered and wait for gate to close.
func gatedTally(entered chan<- struct{}, gate <-chan struct{}) es.Definition[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent] {
	def := storetest.TallyDefinition(0)
	decide := def.Decide
	def.Decide = func(ctx context.Context, s storetest.Tally, c storetest.TallyCommand, events []storetest.TallyEvent) ([]storetest.TallyEvent, error) {
		if ref, _ := es.RefFromContext(ctx); ref.ID == "blocked" {
			entered <- struct{}{}
			<-gate
		}
		return decide(ctx, s, c, events)
	}
	return def
}

// TestOtherAggregatesDoNotWait: while a command on one aggregate is being
// decided, commands on other aggregates of the same Repository complete.
func TestOtherAggregatesDoNotWait(t *testing.T) {
	entered, gate := make(chan struct{}, 1), make(chan struct{})
	r := es.NewRepository(memstore.New(), gatedTally(entered, gate))
	done := make(chan error, 1)
	go func() {
		_, err := r.Handle(t.Context(), "blocked", storetest.Add{N: 1})
		done <- err
	}()
	<-entered
	for i := range 10 {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		res, err := r.Handle(ctx, fmt.Sprintf("free-%d", i%3), storetest.Add{N: 1})
		cancel()
		if err != nil || res.Version != uint64(i/3+1) {
			t.Fatalf("Handle on another aggregate while one is busy = version %d, %v", res.Version, err)
		}
	}
	close(gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestCancelledWhileQueued: a command whose context ends while it waits
// for the aggregate's command before it returns the context's error, and
// nothing is stored for it; the commands queued around it are handled.
func TestCancelledWhileQueued(t *testing.T) {
	for _, tc := range []struct {
		name    string
		timeout time.Duration // 0: cancelled
		want    error
	}{
		{"cancelled", 0, context.Canceled},
		{"deadline", 20 * time.Millisecond, context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entered, gate := make(chan struct{}, 3), make(chan struct{})
			store := memstore.New()
			r := es.NewRepository(store, gatedTally(entered, gate))
			results := make(chan error, 1)
			go func() {
				_, err := r.Handle(t.Context(), "blocked", storetest.Add{N: 1})
				results <- err
			}()
			<-entered // the first command holds the aggregate
			ctx, end := context.WithCancel(t.Context())
			if tc.timeout > 0 {
				ctx, end = context.WithTimeout(t.Context(), tc.timeout)
			}
			defer end()
			queued := make(chan error, 1)
			go func() {
				_, err := r.Handle(ctx, "blocked", storetest.Add{N: 10})
				queued <- err
			}()
			after := make(chan error, 1)
			go func() {
				_, err := r.Handle(t.Context(), "blocked", storetest.Add{N: 100})
				after <- err
			}()
			time.Sleep(10 * time.Millisecond) // let both queue
			if tc.timeout == 0 {
				end()
			}
			err := <-queued
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), `Tally "blocked": waiting for the commands before: `) {
				t.Errorf("queued command whose context ended = %v, want %v", err, tc.want)
			}
			close(gate)
			if err := <-results; err != nil {
				t.Errorf("first command: %v", err)
			}
			if err := <-after; err != nil {
				t.Errorf("command queued after the cancelled one: %v", err)
			}
			_, events, err := r.History(t.Context(), "blocked")
			if err != nil {
				t.Fatal(err)
			}
			want := []storetest.TallyEvent{storetest.Added{N: 1}, storetest.Added{N: 100}}
			if diff := cmp.Diff(want, events); diff != "" {
				t.Errorf("stored events (-want +got):\n%s", diff)
			}
		})
	}
}

// slogText returns a logger writing text lines without times to w.
func slogText(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
}

// scripted is a jitter source drawing the given fractions of its range in
// turn.
func scripted(fractions ...float64) func(n int64) int64 {
	var mu sync.Mutex
	i := 0
	return func(n int64) int64 {
		mu.Lock()
		defer mu.Unlock()
		f := fractions[i%len(fractions)]
		i++
		return int64(f * float64(n-1))
	}
}

// conflicted returns a Repository of the Tally on a store where another
// Repository appends to the aggregate right before each of the next races
// appends (set by the caller), so that each of them conflicts; and the
// other Repository.
func conflicted(t *testing.T, opts ...es.RepositoryOption) (*es.Repository[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent], *racingStore, *es.Repository[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent]) {
	mem := memstore.New()
	other := es.NewRepository(mem, storetest.TallyDefinition(0), es.WithCacheSize(0))
	racer := &racingStore{Store: mem}
	racer.race = func() {
		if _, err := other.Handle(t.Context(), "t", storetest.Add{N: 1000}); err != nil {
			t.Errorf("the other writer: %v", err)
		}
	}
	return es.NewRepository(racer, storetest.TallyDefinition(0), opts...), racer, other
}

// TestRetryBackoff: each retry after a conflict with another writer waits
// first, as long as the backoff says: growing, jittered, bounded.
func TestRetryBackoff(t *testing.T) {
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	for _, tc := range []struct {
		name      string
		opts      []es.RepositoryOption
		jitter    func(int64) int64
		conflicts int
		want      []time.Duration
	}{
		// Before retry n, between half of and all of 2^(n-1) ms.
		{"default", nil, scripted(0, 1, 0.5, 0.25, 0.75), 5,
			[]time.Duration{ms(0.5), ms(2), ms(3), ms(5), ms(14)}},
		{"lowest", nil, scripted(0), 5,
			[]time.Duration{ms(0.5), ms(1), ms(2), ms(4), ms(8)}},
		{"bounded", []es.RepositoryOption{es.WithRetryBackoff(10*time.Millisecond, 25*time.Millisecond)}, highest, 4,
			[]time.Duration{ms(10), ms(20), ms(25), ms(25)}},
		{"limit below base", []es.RepositoryOption{es.WithRetryBackoff(10*time.Millisecond, time.Millisecond)}, highest, 2,
			[]time.Duration{ms(10), ms(10)}},
		{"no backoff", []es.RepositoryOption{es.WithRetryBackoff(0, time.Second)}, highest, 3, []time.Duration{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &sleeps{}
			opts := append([]es.RepositoryOption{es.WithMaxRetries(5), es.WithBackoffSource(tc.jitter, s.sleep)}, tc.opts...)
			r, racer, _ := conflicted(t, opts...)
			racer.races = tc.conflicts
			res, err := r.Handle(t.Context(), "t", storetest.Add{N: 1})
			if err != nil {
				t.Fatal(err)
			}
			if want := uint64(tc.conflicts + 1); res.Version != want || res.State.Total != int64(tc.conflicts*1000+1) {
				t.Errorf("after %d conflicts: version %d total %d, want %d %d", tc.conflicts, res.Version, res.State.Total, want, tc.conflicts*1000+1)
			}
			if diff := cmp.Diff(tc.want, s.waits()); diff != "" {
				t.Errorf("waits before retries (-want +got):\n%s", diff)
			}
		})
	}

	// With the real random source: every wait within its bounds, never
	// shorter than the one before, and different runs wait differently.
	seen := map[time.Duration]bool{}
	for range 20 {
		s := &sleeps{}
		r, racer, _ := conflicted(t, es.WithMaxRetries(4), es.WithBackoffSource(nil, s.sleep))
		racer.races = 4
		if _, err := r.Handle(t.Context(), "t", storetest.Add{N: 1}); err != nil {
			t.Fatal(err)
		}
		waits := s.waits()
		if len(waits) != 4 {
			t.Fatalf("%d waits, want 4", len(waits))
		}
		for i, d := range waits {
			bound := time.Millisecond << i
			if d < bound/2 || d > bound || (i > 0 && d < waits[i-1]) {
				t.Errorf("waits %v: wait %d not within [%v, %v] or shorter than the one before", waits, i+1, bound/2, bound)
			}
			seen[d] = true
		}
	}
	if len(seen) < 20 {
		t.Errorf("80 random waits took only %d values: not jittered", len(seen))
	}
}

// TestBackoffEndsWithContext: a command whose context ends while it waits
// to retry returns an error matching both the conflict and the context's
// error, and stores nothing.
func TestBackoffEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	r, racer, other := conflicted(t, es.WithBackoffSource(nil, func(ctx context.Context, d time.Duration) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}))
	racer.races = 1
	_, err := r.Handle(ctx, "t", storetest.Add{N: 1})
	if !errors.Is(err, es.ErrConflict) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Handle cancelled during the backoff = %v, want es.ErrConflict and context.Canceled", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, `Tally "t": concurrency conflict: expected last sequence 0`) || !strings.HasSuffix(msg, " (waiting to retry: context canceled)") {
		t.Errorf("error %q, want the conflict's and then (waiting to retry: context canceled)", msg)
	}
	inst, err := other.Load(t.Context(), "t")
	if err != nil || inst.Version != 1 || inst.State.Total != 1000 {
		t.Errorf("stored: version %d total %d (%v), want only the other writer's command", inst.Version, inst.State.Total, err)
	}
}

// TestRepositoriesConverge: two Repositories on one store, as two
// processes, each handling commands of 4 goroutines on one aggregate:
// their first decisions are made on the same state, so at least one
// conflict is certain; with the default backoff every command is stored
// once, and no command fails.
func TestRepositoriesConverge(t *testing.T) {
	const repos, goroutines, perGoroutine = 2, 4, 50
	mem := memstore.New()
	var decisions atomic.Int64
	both := make(chan struct{})
	def := storetest.TallyDefinition(0)
	decide := def.Decide
	def.Decide = func(ctx context.Context, s storetest.Tally, c storetest.TallyCommand, events []storetest.TallyEvent) ([]storetest.TallyEvent, error) {
		// A Repository decides one command at a time on an aggregate: the
		// second decision ever made is the other Repository's.
		switch decisions.Add(1) {
		case 1:
			<-both
		case 2:
			close(both)
		}
		return decide(ctx, s, c, events)
	}
	var wg sync.WaitGroup
	var failed atomic.Int64
	counters := make([]*conflictCounter, repos)
	for p := range repos {
		counters[p] = &conflictCounter{Store: mem}
		r := es.NewRepository(counters[p], def, es.WithMaxRetries(100))
		for g := range goroutines {
			wg.Go(func() {
				for i := range perGoroutine {
					n := int64((p*goroutines+g)*perGoroutine + i + 1)
					if _, err := r.Handle(t.Context(), "shared", storetest.Add{N: n}); err != nil {
						t.Error(err)
						failed.Add(1)
					}
				}
			})
		}
	}
	wg.Wait()
	conflicts := counters[0].conflicts.Load() + counters[1].conflicts.Load()
	t.Logf("%d and %d conflicts retried", counters[0].conflicts.Load(), counters[1].conflicts.Load())
	if conflicts == 0 || failed.Load() != 0 {
		t.Errorf("%d conflicts, %d failed commands; want some conflicts, no failure", conflicts, failed.Load())
	}
	const n = repos * goroutines * perGoroutine
	recs, events, err := es.NewRepository(mem, storetest.TallyDefinition(0)).History(t.Context(), "shared")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]int{}
	for i, rec := range recs {
		if rec.Version != uint64(i+1) {
			t.Fatalf("record %d at version %d", i, rec.Version)
		}
		seen[events[i].(storetest.Added).N]++
	}
	for k := int64(1); k <= n; k++ {
		if seen[k] != 1 {
			t.Errorf("command adding %d stored %d times", k, seen[k])
		}
	}
}

// TestFailedAppendDropsCache: after an append that fails although the
// store kept it (a lost reply), the next command of the same Repository
// or Log reloads instead of conflicting.
func TestFailedAppendDropsCache(t *testing.T) {
	lossy := &lossyStore{Store: memstore.New()}
	store := &conflictCounter{Store: lossy}
	r := es.NewRepository(store, storetest.TallyDefinition(0))
	l := es.NewLog(store, es.LogDefinition[metric]{Type: "Metrics", Events: metricCodec{}})
	if _, err := r.Handle(t.Context(), "t", storetest.Add{N: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(t.Context(), "m", []metric{{"x", 1}}); err != nil {
		t.Fatal(err)
	}
	lossy.loseNext = true
	if _, err := r.Handle(t.Context(), "t", storetest.Add{N: 2}); !errors.Is(err, errLostReply) {
		t.Fatalf("Handle = %v, want the lost reply", err)
	}
	lossy.loseNext = true
	if _, err := l.Append(t.Context(), "m", []metric{{"y", 2}}); !errors.Is(err, errLostReply) {
		t.Fatalf("Append = %v, want the lost reply", err)
	}
	res, err := r.Handle(t.Context(), "t", storetest.Add{N: 4})
	if err != nil || res.Version != 3 || res.State.Total != 7 {
		t.Errorf("the command after a lost reply: version %d total %d (%v), want 3 7", res.Version, res.State.Total, err)
	}
	recs, err := l.Append(t.Context(), "m", []metric{{"z", 3}})
	if err != nil || recs[0].Version != 3 {
		t.Errorf("the append after a lost reply = %+v, %v; want version 3", recs, err)
	}
	if n := store.conflicts.Load(); n != 0 {
		t.Errorf("%d conflicts after lost replies, want 0", n)
	}
}
