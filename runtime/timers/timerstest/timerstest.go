// Package timerstest is the conformance suite every timers.Timers must
// pass. Run it from the implementation's tests:
//
//	func TestConformance(t *testing.T) {
//		timerstest.Run(t, func(t *testing.T) timerstest.Harness {
//			clock := timers.NewManualClock(start)
//			tm, _ := timers.NewMemory(clock, timers.WithRetryBackoff(time.Second, time.Minute))
//			return timerstest.Harness{Timers: tm, Now: clock.Now, Sleep: clock.Advance,
//				Unit: time.Minute, Backoff: time.Second}
//		})
//	}
//
// The suite fixes the semantics aggregates and process managers rely on:
// a timer fires once, at or after its due time and no later than the
// implementation's Late; its firing carries its key, due time, version
// and payload exactly; scheduling a key again replaces its timer
// (whichever is due first); Cancel disarms; scheduling the armed timer
// again changes nothing, while scheduling a fired one arms it again; a
// due time already past fires at once; a handler's error has the firing
// delivered again, intact, after the backoff; timers a Unit apart fire in
// the order of their due times; 1,000 timers all fire, each once; a
// handler may schedule; invalid timers and ended contexts are refused with
// nothing armed.
//
// Subtests run in parallel, each on a Harness of its own. On a real clock
// they mostly wait: a test binary may raise -test.parallel (see
// RaiseParallel).
package timerstest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/timers"
)

// Harness is one timers.Timers under test and the means to let time pass
// on its clock.
type Harness struct {
	// Timers has no timer, firing or runner of another subtest.
	Timers timers.Timers
	// Now reads the implementation's clock.
	Now func() time.Time
	// Sleep lets d pass on the implementation's clock: a ManualClock's
	// Advance, or time.Sleep on a real clock.
	Sleep func(d time.Duration)
	// Unit is the suite's base duration: timers are due a few Units
	// ahead, and timers due a Unit apart must fire in order.
	Unit time.Duration
	// Late is how long after its due time a timer may fire (Firing.Fired)
	// and reach the handler, in real time on a real clock; 0 on a
	// ManualClock, where a timer fires at its due time exactly.
	Late time.Duration
	// Backoff is the wait before the first redelivery of a firing whose
	// handler failed (timers.WithRetryBackoff's min).
	Backoff time.Duration
}

// Run runs the conformance suite as parallel subtests of t.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(x *fixture)
	}{
		{"Fires", testFires},
		{"ReArmReplaces", testReArm},
		{"Cancel", testCancel},
		{"IdempotentSchedule", testIdempotent},
		{"PastDue", testPastDue},
		{"Redelivery", testRedelivery},
		{"Order", testOrder},
		{"Many", testMany},
		{"ScheduleInHandler", testScheduleInHandler},
		{"Invalid", testInvalid},
		{"CanceledContext", testCanceledContext},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(&fixture{t: t, h: newHarness(t)})
		})
	}
}

// probe is the key of the timer that tells a runner is up.
var probe = timers.Key{Type: "probe", ID: "runner", Name: "up"}

// fixture is one subtest's harness, runner and the firings it saw.
type fixture struct {
	t       *testing.T
	h       Harness
	firings chan timers.Firing
	// handle, when set, runs in the handler before the firing is
	// recorded; its error is the handler's.
	handle func(ctx context.Context, f timers.Firing) error
}

// start runs the timers' runner until the test ends, and waits until it
// delivers.
func (x *fixture) start() {
	x.t.Helper()
	x.firings = make(chan timers.Firing, 4096)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	up := make(chan struct{})
	var once sync.Once
	go func() {
		done <- x.h.Timers.Run(ctx, func(ctx context.Context, f timers.Firing) error {
			if f.Key == probe {
				once.Do(func() { close(up) })
				return nil
			}
			if x.handle != nil {
				if err := x.handle(ctx, f); err != nil {
					x.firings <- f
					return err
				}
			}
			x.firings <- f
			return nil
		})
	}()
	x.t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				x.t.Errorf("Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			x.t.Errorf("Run did not return 30 s after its context ended")
		}
	})
	x.schedule(timers.Timer{Key: probe, Due: x.h.Now()})
	select {
	case <-up:
	case err := <-done:
		x.t.Fatalf("Run returned before delivering: %v", err)
	case <-time.After(x.wait()):
		x.t.Fatalf("the runner delivered no timer due now within %s", x.wait())
	}
}

// wait is how long, in real time, the suite waits for a firing it
// expects: the harness's Late and a margin for a loaded machine.
func (x *fixture) wait() time.Duration { return x.h.Late + 10*time.Second }

// quiet is how long, in real time, the suite waits for a firing that must
// not come: one that would come would be due a Unit away at most, or come
// right after another.
func (x *fixture) quiet() time.Duration { return max(min(x.h.Late, x.h.Unit), 50*time.Millisecond) }

func (x *fixture) key(id, name string) timers.Key {
	return timers.Key{Type: "Order", ID: id, Name: name}
}

func (x *fixture) schedule(tm timers.Timer) {
	x.t.Helper()
	if err := x.h.Timers.Schedule(context.Background(), tm); err != nil {
		x.t.Fatalf("Schedule(%s): %v", tm.Key, err)
	}
}

func (x *fixture) cancel(k timers.Key) {
	x.t.Helper()
	if err := x.h.Timers.Cancel(context.Background(), k); err != nil {
		x.t.Fatalf("Cancel(%s): %v", k, err)
	}
}

// next returns the next firing, failing the test when none comes.
func (x *fixture) next() timers.Firing {
	x.t.Helper()
	select {
	case f := <-x.firings:
		return f
	case <-time.After(x.wait()):
		x.t.Fatalf("no firing within %s", x.wait())
		return timers.Firing{}
	}
}

// none fails the test if a firing comes within quiet.
func (x *fixture) none() {
	x.t.Helper()
	select {
	case f := <-x.firings:
		x.t.Fatalf("unexpected firing of %s (version %d, due %s, delivery %d)", f.Key, f.Version, f.Due, f.Delivery)
	case <-time.After(x.quiet()):
	}
}

// expect checks that f is the first delivery of tm, fired in time.
func (x *fixture) expect(f timers.Firing, tm timers.Timer) {
	x.t.Helper()
	want := timers.Firing{Key: tm.Key, Due: tm.Due.UTC(), Version: tm.Version, Payload: tm.Payload, Delivery: 1}
	got := f
	got.Fired = time.Time{}
	if diff := cmp.Diff(want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
		x.t.Errorf("firing (-want +got):\n%s", diff)
	}
	if f.Due.Location() != time.UTC {
		x.t.Errorf("firing of %s: due time in %s, want UTC", f.Key, f.Due.Location())
	}
	x.inTime(f)
}

// inTime checks that f fired at or after its due time and within Late.
func (x *fixture) inTime(f timers.Firing) {
	x.t.Helper()
	if f.Fired.Before(f.Due) {
		x.t.Errorf("%s fired at %s, before it was due (%s)", f.Key, f.Fired.Format(time.RFC3339Nano), f.Due.Format(time.RFC3339Nano))
	}
	if late := f.Fired.Sub(f.Due); late > x.h.Late {
		x.t.Errorf("%s fired %s after it was due, at most %s allowed", f.Key, late, x.h.Late)
	}
}

func (x *fixture) armed(k timers.Key) (timers.Timer, bool) {
	x.t.Helper()
	tm, ok, err := x.h.Timers.Armed(context.Background(), k)
	if err != nil {
		x.t.Fatalf("Armed(%s): %v", k, err)
	}
	return tm, ok
}

// testFires: a timer fires once, at its due time, with everything it was
// scheduled with, from a private copy of its payload.
func testFires(x *fixture) {
	x.start()
	u := x.h.Unit
	payload := []byte{0, 1, 2, 0xfe, 0xff, '"', '\n'}
	tm := timers.Timer{Key: x.key("o-1", "payment"), Due: x.h.Now().Add(u), Version: 3, Payload: slices.Clone(payload)}
	x.schedule(tm)
	tm.Payload[0] = 'X' // the caller's slice is not the timer's
	tm.Payload = payload
	got, ok := x.armed(tm.Key)
	if !ok {
		x.t.Fatalf("Armed(%s) after Schedule: not armed", tm.Key)
	}
	if !got.Due.Equal(tm.Due) || got.Version != 3 || string(got.Payload) != string(payload) || got.Key != tm.Key {
		x.t.Errorf("Armed(%s) = %+v, want %+v", tm.Key, got, tm)
	}
	if _, ok := x.armed(x.key("o-1", "other")); ok {
		x.t.Errorf("Armed reports a timer never scheduled")
	}
	// Any id an aggregate may have is a key part, as it is.
	odd := timers.Timer{Key: timers.Key{Type: "Bestellung", ID: "ö-42/x:y#z", Name: "frist"}, Due: tm.Due.Add(u / 2), Version: 1}
	x.schedule(odd)
	x.h.Sleep(u)
	x.expect(x.next(), tm)
	x.h.Sleep(u / 2)
	x.expect(x.next(), odd)
	x.none()
	if _, ok := x.armed(tm.Key); ok {
		x.t.Errorf("Armed(%s) after its firing: still armed", tm.Key)
	}
}

// testReArm: scheduling a key again replaces its timer, whether the new
// one is due earlier or later; keys differing in one part are apart.
func testReArm(x *fixture) {
	x.start()
	u, now := x.h.Unit, x.h.Now()
	earlier := timers.Timer{Key: x.key("o-1", "t"), Due: now.Add(2 * u), Version: 1, Payload: []byte("a")}
	earlier2 := timers.Timer{Key: earlier.Key, Due: now.Add(u), Version: 2, Payload: []byte("b")}
	later := timers.Timer{Key: x.key("o-2", "t"), Due: now.Add(u), Version: 1}
	later2 := timers.Timer{Key: later.Key, Due: now.Add(2 * u), Version: 2}
	sibling := timers.Timer{Key: x.key("o-1", "u"), Due: now.Add(u), Version: 1}
	cousin := timers.Timer{Key: timers.Key{Type: "Payment", ID: "o-1", Name: "t"}, Due: now.Add(u), Version: 1}
	for _, tm := range []timers.Timer{earlier, later, earlier2, later2, sibling, cousin} {
		x.schedule(tm)
	}
	if got, _ := x.armed(earlier.Key); got.Version != 2 {
		x.t.Errorf("Armed(%s) = version %d, want the replacement's 2", earlier.Key, got.Version)
	}
	x.h.Sleep(u)
	want := map[timers.Key]timers.Timer{earlier2.Key: earlier2, sibling.Key: sibling, cousin.Key: cousin}
	for range 3 {
		f := x.next()
		tm, ok := want[f.Key]
		if !ok {
			x.t.Fatalf("firing of %s version %d, want one of %v", f.Key, f.Version, want)
		}
		x.expect(f, tm)
		delete(want, f.Key)
	}
	// A replaced timer would fire now, ahead of its replacement or with
	// it.
	x.h.Sleep(u)
	x.expect(x.next(), later2)
	x.none()
}

// testCancel: a cancelled timer never fires; cancelling a key with no
// timer is no error; a key cancelled can be armed again.
func testCancel(x *fixture) {
	x.start()
	u, now := x.h.Unit, x.h.Now()
	gone := timers.Timer{Key: x.key("o-1", "t"), Due: now.Add(u), Version: 1}
	again := timers.Timer{Key: x.key("o-2", "t"), Due: now.Add(u), Version: 1}
	x.schedule(gone)
	x.schedule(again)
	x.cancel(gone.Key)
	x.cancel(again.Key)
	x.cancel(x.key("o-3", "never-armed"))
	if _, ok := x.armed(gone.Key); ok {
		x.t.Errorf("Armed(%s) after Cancel: armed", gone.Key)
	}
	again.Version = 2
	x.schedule(again)
	x.h.Sleep(u)
	x.expect(x.next(), again)
	x.none()
	x.h.Sleep(u)
	x.none()
}

// testIdempotent: the armed timer scheduled again fires once; a timer
// scheduled again after it fired fires again.
func testIdempotent(x *fixture) {
	x.start()
	u := x.h.Unit
	tm := timers.Timer{Key: x.key("o-1", "t"), Due: x.h.Now().Add(u), Version: 7, Payload: []byte("p")}
	for range 3 {
		x.schedule(tm)
	}
	x.h.Sleep(u)
	x.expect(x.next(), tm)
	x.none()
	x.schedule(tm) // fired: armed again, and due
	f := x.next()
	if f.Key != tm.Key || f.Version != 7 || f.Delivery != 1 {
		x.t.Errorf("timer scheduled again after it fired: firing %s version %d delivery %d, want %s version 7 delivery 1",
			f.Key, f.Version, f.Delivery, tm.Key)
	}
	x.none()
}

// testPastDue: a timer due in the past fires at once; the extremes of
// version and payload round-trip.
func testPastDue(x *fixture) {
	x.start()
	tm := timers.Timer{Key: x.key("o-1", "t"), Due: x.h.Now().Add(-time.Hour), Version: math.MaxUint64}
	x.schedule(tm)
	f := x.next()
	want := timers.Firing{Key: tm.Key, Due: tm.Due, Version: math.MaxUint64, Delivery: 1}
	got := f
	got.Fired = time.Time{}
	if diff := cmp.Diff(want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
		x.t.Errorf("firing (-want +got):\n%s", diff)
	}
	if f.Fired.Before(tm.Due) {
		x.t.Errorf("fired at %s, before its due time %s", f.Fired, f.Due)
	}
	big := timers.Timer{Key: x.key("o-2", "t"), Due: x.h.Now(), Version: 0, Payload: []byte(strings.Repeat("x", timers.MaxPayload))}
	x.schedule(big)
	f = x.next()
	if f.Key != big.Key || f.Version != 0 || string(f.Payload) != string(big.Payload) {
		x.t.Errorf("firing of a %d-byte payload: %s version %d, %d bytes", timers.MaxPayload, f.Key, f.Version, len(f.Payload))
	}
	x.none()
}

// testRedelivery: a firing whose handler fails is delivered again, intact,
// after the backoff, and no more once the handler succeeds.
func testRedelivery(x *fixture) {
	var mu sync.Mutex
	calls := 0
	x.handle = func(_ context.Context, f timers.Firing) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			f.Payload[0] = 'X' // the next delivery has its own copy
			return errors.New("first delivery fails")
		}
		return nil
	}
	x.start()
	u := x.h.Unit
	tm := timers.Timer{Key: x.key("o-1", "t"), Due: x.h.Now().Add(u), Version: 4, Payload: []byte("pay")}
	x.schedule(tm)
	x.h.Sleep(u)
	first := x.next()
	if first.Delivery != 1 {
		x.t.Errorf("first delivery: Delivery = %d, want 1", first.Delivery)
	}
	x.h.Sleep(x.h.Backoff)
	second := x.next()
	if second.Key != tm.Key || second.Version != 4 || string(second.Payload) != "pay" || !second.Due.Equal(tm.Due) || !second.Fired.Equal(first.Fired) {
		x.t.Errorf("redelivery = %+v, want the first delivery's firing %+v with payload %q", second, first, "pay")
	}
	if second.Delivery != 2 {
		x.t.Errorf("redelivery: Delivery = %d, want 2", second.Delivery)
	}
	x.h.Sleep(4 * x.h.Backoff)
	x.none()
}

// testOrder: timers a Unit apart fire in the order of their due times,
// not in the order they were scheduled.
func testOrder(x *fixture) {
	x.start()
	u, now := x.h.Unit, x.h.Now()
	var want []timers.Key
	for i := 4; i >= 1; i-- {
		k := x.key(fmt.Sprintf("o-%d", i), "t")
		x.schedule(timers.Timer{Key: k, Due: now.Add(time.Duration(i) * u), Version: uint64(i)})
		want = slices.Insert(want, 0, k)
	}
	x.h.Sleep(4 * u)
	var got []timers.Key
	for range want {
		f := x.next()
		x.inTime(f)
		got = append(got, f.Key)
	}
	if !slices.Equal(got, want) {
		x.t.Errorf("firings in order %v, want %v", got, want)
	}
	x.none()
}

// testMany: 1,000 timers due within one Unit all fire, each once.
func testMany(x *fixture) {
	x.start()
	const n = 1000
	u, now := x.h.Unit, x.h.Now()
	for i := range n {
		x.schedule(timers.Timer{Key: x.key(fmt.Sprintf("o-%d", i), "t"), Due: now.Add(u + time.Duration(i%10)*u/10), Version: uint64(i)})
	}
	x.h.Sleep(2 * u)
	seen := make(map[timers.Key]int, n)
	for range n {
		f := x.next()
		seen[f.Key]++
		if want := fmt.Sprintf("o-%d", f.Version); f.Key.ID != want {
			x.t.Fatalf("firing of %s carries version %d", f.Key, f.Version)
		}
		x.inTime(f)
	}
	x.none()
	if len(seen) != n {
		x.t.Errorf("%d distinct timers fired, want %d", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			x.t.Errorf("%s fired %d times", k, c)
		}
	}
}

// testScheduleInHandler: a handler arms the next timer of its key (a
// reminder that repeats), which fires in turn.
func testScheduleInHandler(x *fixture) {
	x.handle = func(ctx context.Context, f timers.Firing) error {
		if f.Version == 1 {
			return x.h.Timers.Schedule(ctx, timers.Timer{Key: f.Key, Due: f.Due.Add(x.h.Unit), Version: 2})
		}
		return nil
	}
	x.start()
	u := x.h.Unit
	tm := timers.Timer{Key: x.key("o-1", "reminder"), Due: x.h.Now().Add(u), Version: 1}
	x.schedule(tm)
	x.h.Sleep(u)
	x.expect(x.next(), tm)
	x.h.Sleep(u)
	x.expect(x.next(), timers.Timer{Key: tm.Key, Due: tm.Due.Add(u), Version: 2})
	x.none()
}

// testInvalid: keys that could address another key's subjects, timers
// without a due time and payloads over MaxPayload are refused; nothing is
// armed.
func testInvalid(x *fixture) {
	ctx := context.Background()
	due := x.h.Now().Add(x.h.Unit)
	var keys []timers.Key
	for _, bad := range []string{"", "a.b", "a*", ">", "a b", "a\tb", "a\x00", "\xff", strings.Repeat("x", es.MaxIDLength+1)} {
		keys = append(keys, timers.Key{Type: bad, ID: "o-1", Name: "t"}, timers.Key{Type: "Order", ID: bad, Name: "t"}, timers.Key{Type: "Order", ID: "o-1", Name: bad})
	}
	for _, k := range keys {
		err := x.h.Timers.Schedule(ctx, timers.Timer{Key: k, Due: due})
		if !errors.Is(err, timers.ErrInvalidTimer) || !errors.Is(err, es.ErrInvalidID) {
			x.t.Errorf("Schedule with key %q: %v, want ErrInvalidTimer and es.ErrInvalidID", k, err)
		}
		if err := x.h.Timers.Cancel(ctx, k); !errors.Is(err, timers.ErrInvalidTimer) {
			x.t.Errorf("Cancel(%q): %v, want ErrInvalidTimer", k, err)
		}
		if _, _, err := x.h.Timers.Armed(ctx, k); !errors.Is(err, timers.ErrInvalidTimer) {
			x.t.Errorf("Armed(%q): %v, want ErrInvalidTimer", k, err)
		}
	}
	ok := x.key("o-1", "t")
	for _, tm := range []timers.Timer{
		{Key: ok},
		{Key: ok, Due: due, Payload: make([]byte, timers.MaxPayload+1)},
		{Key: ok, Due: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if err := x.h.Timers.Schedule(ctx, tm); !errors.Is(err, timers.ErrInvalidTimer) {
			x.t.Errorf("Schedule(due %s, %d-byte payload): %v, want ErrInvalidTimer", tm.Due, len(tm.Payload), err)
		}
	}
	if _, armed := x.armed(ok); armed {
		x.t.Errorf("an invalid timer was armed")
	}
	if err := x.h.Timers.Run(ctx, nil); err == nil {
		x.t.Errorf("Run with a nil handler: no error")
	}
}

// testCanceledContext: calls with an ended context fail and arm nothing.
func testCanceledContext(x *fixture) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	k := x.key("o-1", "t")
	err := x.h.Timers.Schedule(ctx, timers.Timer{Key: k, Due: x.h.Now().Add(x.h.Unit)})
	if !errors.Is(err, context.Canceled) {
		x.t.Errorf("Schedule with a canceled context: %v, want context.Canceled", err)
	}
	if _, armed := x.armed(k); armed {
		x.t.Errorf("Schedule with a canceled context armed the timer")
	}
	if err := x.h.Timers.Cancel(ctx, k); !errors.Is(err, context.Canceled) {
		x.t.Errorf("Cancel with a canceled context: %v, want context.Canceled", err)
	}
	if err := x.h.Timers.Run(ctx, func(context.Context, timers.Firing) error { return nil }); err != nil {
		x.t.Errorf("Run with a canceled context: %v, want nil", err)
	}
}

// RaiseParallel sets -test.parallel to n unless the command line set it,
// for a TestMain whose tests wait on real timers rather than work: by
// default at most GOMAXPROCS subtests run at once. Call it before m.Run.
func RaiseParallel(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", strconv.Itoa(n))
	}
}
