package timers_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/timers"
	"github.com/esgen/esgen/runtime/timers/timerstest"
)

// start is the manual clocks' starting time: nanoseconds included, to
// catch a due time rounded anywhere.
var start = time.Date(2030, 1, 2, 3, 4, 5, 123456789, time.UTC)

func TestMemoryConformance(t *testing.T) {
	timerstest.Run(t, func(t *testing.T) timerstest.Harness {
		clock := timers.NewManualClock(start)
		tm, err := timers.NewMemory(clock, timers.WithRetryBackoff(time.Second, time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return timerstest.Harness{Timers: tm, Now: clock.Now, Sleep: clock.Advance, Unit: time.Minute, Backoff: time.Second}
	})
}

// TestMemorySystemClockConformance runs the suite on the system clock:
// the in-memory timers do not depend on a ManualClock's stepping.
func TestMemorySystemClockConformance(t *testing.T) {
	timerstest.Run(t, func(t *testing.T) timerstest.Harness {
		tm, err := timers.NewMemory(nil, timers.WithRetryBackoff(50*time.Millisecond, time.Second))
		if err != nil {
			t.Fatal(err)
		}
		return timerstest.Harness{Timers: tm, Now: time.Now, Sleep: time.Sleep, Unit: 100 * time.Millisecond,
			Late: 200 * time.Millisecond, Backoff: 50 * time.Millisecond}
	})
}

// TestManualAdvanceHandles: with a runner running, Advance returns once
// the firings it caused are handled, including retries that fall within
// it and timers the handler armed due within it; without a runner, the
// firings wait for one.
func TestManualAdvanceHandles(t *testing.T) {
	clock := timers.NewManualClock(start)
	tm, err := timers.NewMemory(clock, timers.WithRetryBackoff(time.Second, 4*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	k := timers.Key{Type: "Order", ID: "o-1", Name: "t"}
	var (
		mu      sync.Mutex
		handled []string
	)
	snapshot := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(handled)
	}
	handler := func(ctx context.Context, f timers.Firing) error {
		mu.Lock()
		handled = append(handled, fmt.Sprintf("fired %s v%d #%d at %s", f.Fired.Sub(start), f.Version, f.Delivery, clock.Now().Sub(start)))
		mu.Unlock()
		switch {
		case f.Version == 1 && f.Delivery < 3:
			return errors.New("not yet")
		case f.Version == 1:
			return tm.Schedule(ctx, timers.Timer{Key: f.Key, Due: clock.Now().Add(time.Minute), Version: 2})
		}
		return nil
	}
	// No runner: the firing waits.
	if err := tm.Schedule(ctx, timers.Timer{Key: k, Due: start.Add(time.Minute), Version: 1}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	if got := snapshot(); len(got) != 0 {
		t.Fatalf("handled without a runner: %v", got)
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- tm.Run(rctx, handler) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	// The runner takes the waiting firing at once: at 2m.
	for deadline := time.Now().Add(10 * time.Second); len(snapshot()) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the runner did not deliver the waiting firing")
		}
	}
	// The first delivery failed at 2m; the retries come at 2m1s (fails)
	// and 2m3s (succeeds, arms v2 due at 3m3s), all within this Advance.
	clock.Advance(2 * time.Minute)
	want := []string{"fired 1m0s v1 #1 at 2m0s", "fired 1m0s v1 #2 at 2m1s", "fired 1m0s v1 #3 at 2m3s", "fired 3m3s v2 #1 at 3m3s"}
	if got := snapshot(); !slices.Equal(got, want) {
		t.Fatalf("handled\n%q\nwant\n%q", got, want)
	}
	if now := clock.Now(); !now.Equal(start.Add(4 * time.Minute)) {
		t.Errorf("clock at %s after advancing 4m, want %s", now, start.Add(4*time.Minute))
	}
	if _, ok, _ := tm.Armed(ctx, k); ok {
		t.Error("the fired timer is still armed")
	}
}

// TestManualClock: functions run in time order, each with the clock at
// its time, registration order breaking ties; stop prevents a call.
func TestManualClock(t *testing.T) {
	c := timers.NewManualClock(start)
	var got []string
	add := func(name string, d time.Duration) func() bool {
		return c.AfterFunc(d, func() { got = append(got, name+"@"+c.Now().Sub(start).String()) })
	}
	add("b", 2*time.Second)
	add("a", time.Second)
	add("a2", time.Second)
	stop := add("never", 1500*time.Millisecond)
	c.AfterFunc(time.Second, func() { add("nested", time.Second) })
	if !stop() {
		t.Error("stop of a pending function: false")
	}
	if stop() {
		t.Error("second stop: true")
	}
	c.Advance(2 * time.Second)
	want := []string{"a@1s", "a2@1s", "b@2s", "nested@2s"}
	if len(got) != len(want) {
		t.Fatalf("ran %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ran %v, want %v", got, want)
		}
	}
	if !c.Now().Equal(start.Add(2 * time.Second)) {
		t.Errorf("Now = %s", c.Now())
	}
	c.Advance(-time.Hour)
	if !c.Now().Equal(start.Add(2 * time.Second)) {
		t.Errorf("a negative Advance moved the clock to %s", c.Now())
	}
}
