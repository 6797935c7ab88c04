package es

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// queued returns how many commands wait for id's lane.
func (t *lanes) queued(id string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	if l := t.byID[id]; l != nil {
		for w := l.first; w != nil; w = w.next {
			n++
		}
	}
	return n
}

// waitQueued waits until n commands wait for id's lane.
func waitQueued(t *testing.T, ls *lanes, id string, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ls.queued(id) != n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d commands queued for %s, want %d", ls.queued(id), id, n)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// TestLanesOrder: a lane is handed to the commands waiting for it in the
// order they came; one whose context ends leaves the queue, and one whose
// context ends as the lane is handed to it passes it on.
func TestLanesOrder(t *testing.T) {
	ls := newLanes()
	ctx := t.Context()
	first, err := ls.acquire(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	type turn struct {
		n int
		l *lane
	}
	turns := make(chan turn, 5)
	cancelled, cancel := context.WithCancel(ctx)
	errs := make(chan error, 5)
	for i := range 5 {
		c := ctx
		if i == 2 {
			c = cancelled
		}
		go func() {
			l, err := ls.acquire(c, "a")
			if err != nil {
				errs <- err
				return
			}
			turns <- turn{i, l}
		}()
		waitQueued(t, ls, "a", i+1)
	}
	// Another id is not held: it is acquired at once.
	other, err := ls.acquire(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	ls.release(other)
	cancel()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled waiter: %v", err)
	}
	waitQueued(t, ls, "a", 4)
	ls.release(first)
	var order []int
	for range 4 {
		tn := <-turns
		select {
		case other := <-turns:
			t.Fatalf("commands %d and %d hold the lane at once", tn.n, other.n)
		case <-time.After(time.Millisecond):
		}
		order = append(order, tn.n)
		ls.release(tn.l)
	}
	if want := []int{0, 1, 3, 4}; !equalInts(order, want) {
		t.Errorf("lane handed in the order %v, want %v", order, want)
	}
	if l := ls.byID["a"]; l.state.Load() != laneFree || l.first != nil || l.last != nil {
		t.Errorf("lane after the last release: %+v", l)
	}

	// A waiter handed the lane as its context ends passes it on.
	held, _ := ls.acquire(ctx, "c")
	late := &laneWaiter{ready: make(chan struct{})}
	ls.mu.Lock()
	l := ls.byID["c"]
	l.first, l.last = late, late
	l.state.Store(laneQueued)
	ls.mu.Unlock()
	ls.release(held) // hands "c" to late
	if !late.granted || l.first != nil {
		t.Fatalf("release did not hand the lane to the waiter: %+v", l)
	}
	// late's owner gives up: as acquire does when ctx ends after the grant.
	ls.release(l)
	if again, err := ls.acquire(ctx, "c"); err != nil || again != l {
		t.Errorf("lane not free after the waiter passed it on: %v", err)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLanesBounded: lanes of aggregates no command holds are removed once
// idleLanes are kept, so the table does not grow with the ids seen; a held
// lane stays, with its queue.
func TestLanesBounded(t *testing.T) {
	ls := newLanes()
	ctx := t.Context()
	held, _ := ls.acquire(ctx, "held")
	got := make(chan *lane)
	go func() {
		l, err := ls.acquire(ctx, "held")
		if err != nil {
			t.Error(err)
		}
		got <- l
	}()
	waitQueued(t, ls, "held", 1)
	most := 0
	for i := range 10 * idleLanes {
		l, err := ls.acquire(ctx, "id-"+strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		ls.release(l)
		most = max(most, len(ls.byID))
	}
	if most > idleLanes {
		t.Errorf("the table held %d lanes, want at most %d", most, idleLanes)
	}
	if ls.queued("held") != 1 {
		t.Fatalf("the held lane lost its waiter")
	}
	ls.release(held)
	if l := <-got; l != held {
		t.Errorf("the waiter got another lane")
	}

	// Many lanes held at once: the table grows with them, and shrinks
	// back when they are released and new ids come.
	var busy []*lane
	for i := range 3 * idleLanes {
		l, _ := ls.acquire(ctx, "busy-"+strconv.Itoa(i))
		busy = append(busy, l)
	}
	for _, l := range busy {
		ls.release(l)
	}
	for i := range 8 * idleLanes {
		l, _ := ls.acquire(ctx, "after-"+strconv.Itoa(i))
		ls.release(l)
	}
	if n := len(ls.byID); n > idleLanes || ls.limit != idleLanes || len(ls.free) > idleLanes {
		t.Errorf("after the busy lanes were released: %d lanes, limit %d, %d free; want at most %d", n, ls.limit, len(ls.free), idleLanes)
	}
}

// TestLanesExclusive: goroutines taking the lanes of a few aggregates, some
// giving up as their contexts end, among commands on ever new aggregates
// (so that idle lanes are removed meanwhile): a lane never has two
// holders, and every command that did not give up got its turn.
func TestLanesExclusive(t *testing.T) {
	ls := newLanes()
	var holders [3]atomic.Int32
	var turns, gaveUp atomic.Int64
	var wg sync.WaitGroup
	const goroutines, each = 8, 2000
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				ctx, cancel := context.Background(), context.CancelFunc(func() {})
				if i%7 == 0 {
					ctx, cancel = context.WithTimeout(ctx, time.Duration(i%3)*time.Microsecond)
				}
				if i%5 == 0 {
					// Nobody else asks for it: it is free.
					l, err := ls.acquire(ctx, "new-"+strconv.Itoa(g)+"-"+strconv.Itoa(i))
					if err != nil {
						t.Errorf("a new aggregate's lane: %v", err)
					} else {
						ls.release(l)
					}
					cancel()
					continue
				}
				k := (g + i) % len(holders)
				l, err := ls.acquire(ctx, "hot-"+strconv.Itoa(k))
				cancel()
				if err != nil {
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Error(err)
					}
					gaveUp.Add(1)
					continue
				}
				if n := holders[k].Add(1); n != 1 {
					t.Errorf("lane hot-%d has %d holders", k, n)
				}
				if i%11 == 0 {
					time.Sleep(time.Microsecond)
				}
				holders[k].Add(-1)
				turns.Add(1)
				ls.release(l)
			}
		})
	}
	wg.Wait()
	if hot := int64(goroutines * (each - each/5)); turns.Load()+gaveUp.Load() != hot {
		t.Errorf("%d turns and %d gave up of %d commands", turns.Load(), gaveUp.Load(), hot)
	}
	for k := range holders {
		l := ls.byID["hot-"+strconv.Itoa(k)]
		if l != nil && (l.state.Load() != laneFree || l.first != nil) {
			t.Errorf("lane hot-%d left in state %d", k, l.state.Load())
		}
	}
	t.Logf("%d turns, %d gave up", turns.Load(), gaveUp.Load())
}

// TestLanesAllocations: taking and releasing the lane of an aggregate the
// table holds allocates nothing; for new ids, once lanes are reused, it
// allocates only the copy of the id the table keeps as its key.
func TestLanesAllocations(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters allocate")
	}
	ls := newLanes()
	ctx := context.Background()
	if n := testing.AllocsPerRun(1000, func() {
		l, _ := ls.acquire(ctx, "a")
		ls.release(l)
	}); n != 0 {
		t.Errorf("acquire and release of a known id: %v allocations, want 0", n)
	}
	ids := make([]string, 4*idleLanes)
	for i := range ids {
		ids[i] = "id-" + strconv.Itoa(i)
	}
	next := 0
	cycle := func() {
		l, _ := ls.acquire(ctx, ids[next%len(ids)])
		ls.release(l)
		next++
	}
	for range 2 * len(ids) {
		cycle() // the table and its free lanes reach their size
	}
	if n := testing.AllocsPerRun(len(ids), cycle); n != 1 {
		t.Errorf("acquire and release of new ids: %v allocations, want 1 (the key's copy)", n)
	}
}

// TestBackoffDelay: the wait before retry n is between half of and all of
// base·2^(n-1), bounded, for any retry number.
func TestBackoffDelay(t *testing.T) {
	var draws []int64
	b := backoff{base: 3 * time.Millisecond, max: 20 * time.Millisecond, jitter: func(n int64) int64 {
		draws = append(draws, n)
		return n - 1
	}}
	for retry, want := range map[int]time.Duration{
		1: 3 * time.Millisecond, 2: 6 * time.Millisecond, 3: 12 * time.Millisecond,
		4: 20 * time.Millisecond, 5: 20 * time.Millisecond, 1000: 20 * time.Millisecond,
	} {
		if got := b.delay(retry); got != want {
			t.Errorf("delay(%d) = %v, want %v", retry, got, want)
		}
	}
	b.jitter = func(int64) int64 { return 0 }
	if got := b.delay(2); got != 3*time.Millisecond {
		t.Errorf("delay(2) with the lowest jitter = %v, want 3ms", got)
	}
	b.max = time.Duration(1<<63 - 1)
	if got := b.delay(200); got < b.max/4 {
		t.Errorf("delay(200) with no bound = %v: overflowed", got)
	}
	if got := (&backoff{max: time.Second}).delay(3); got != 0 {
		t.Errorf("delay with no base = %v, want 0", got)
	}
}

// TestSleep: the backoff's sleep waits, and ends early with its context.
func TestSleep(t *testing.T) {
	start := time.Now()
	if err := sleep(t.Context(), 5*time.Millisecond); err != nil || time.Since(start) < 5*time.Millisecond {
		t.Errorf("sleep(5ms) = %v after %v", err, time.Since(start))
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Millisecond)
	defer cancel()
	start = time.Now()
	if err := sleep(ctx, time.Minute); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 30*time.Second {
		t.Errorf("sleep(1m) with a 5ms deadline = %v after %v", err, time.Since(start))
	}
	cancel()
	b := defaultBackoff()
	if err := b.wait(ctx, 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait(0) after the context ended = %v", err)
	}
}

// BenchmarkLanes: what taking and releasing a lane costs a command on an
// aggregate the table holds: always the same one, and 1,024 in turn (as
// the orders benchmarks do); and, for comparison, a mutex.
func BenchmarkLanes(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1, idleLanes} {
		b.Run("ids="+strconv.Itoa(n), func(b *testing.B) {
			ls := newLanes()
			ids := make([]string, n)
			for i := range ids {
				ids[i] = "o-" + strconv.Itoa(i)
				l, _ := ls.acquire(ctx, ids[i])
				ls.release(l)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				l, _ := ls.acquire(ctx, ids[i])
				ls.release(l)
				if i++; i == n {
					i = 0
				}
			}
		})
	}
	b.Run("mutex", func(b *testing.B) {
		var mu sync.Mutex
		b.ReportAllocs()
		for b.Loop() {
			mu.Lock()
			//lint:ignore SA2001 the cost of an empty critical section is what is measured
			mu.Unlock()
		}
	})
}
