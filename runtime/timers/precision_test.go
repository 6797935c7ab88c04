package timers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/timers"
)

// handled is one firing as a test handler saw it.
type handled struct {
	f  timers.Firing
	at time.Time // when the handler ran
}

// runTimers runs tm's runner until the test ends and returns the channel
// its handler reports to.
func runTimers(t *testing.T, tm timers.Timers) <-chan handled {
	t.Helper()
	ch := make(chan handled, 1024)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- tm.Run(ctx, func(_ context.Context, f timers.Firing) error {
			ch <- handled{f: f, at: time.Now()}
			return nil
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return ch
}

// receive returns the next firing within wait.
func receive(t *testing.T, ch <-chan handled, wait time.Duration) handled {
	t.Helper()
	select {
	case h := <-ch:
		return h
	case <-time.After(wait):
		t.Fatalf("no firing within %s", wait)
		return handled{}
	}
}

// quiet fails the test if a firing comes within wait.
func quiet(t *testing.T, ch <-chan handled, wait time.Duration) {
	t.Helper()
	select {
	case h := <-ch:
		t.Fatalf("unexpected firing of %s version %d delivery %d", h.f.Key, h.f.Version, h.f.Delivery)
	case <-time.After(wait):
	}
}

// TestFiringPrecision: timers of 1 to 2 s reach the handler at or after
// their due times, within a second of them (the bound); in
// practice within the scheduler's granularity.
func TestFiringPrecision(t *testing.T) {
	skipTimedUnderRace(t)
	t.Parallel()
	tm, _ := newJetStream(t)
	ch := runTimers(t, tm)
	now := time.Now()
	const n = 6
	due := map[timers.Key]time.Time{}
	for i := range n {
		// 1.0 s to 2.0 s, at odd milliseconds.
		k := timers.Key{Type: "Order", ID: fmt.Sprintf("o-%d", i), Name: "deadline"}
		due[k] = now.Add(time.Second + time.Duration(i)*200*time.Millisecond + 37*time.Millisecond)
		if err := tm.Schedule(context.Background(), timers.Timer{Key: k, Due: due[k], Version: uint64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	var worst time.Duration
	for range n {
		h := receive(t, ch, 5*time.Second)
		d := due[h.f.Key]
		if h.at.Before(d) || h.f.Fired.Before(d) {
			t.Errorf("%s handled at %s (fired %s), before its due time %s", h.f.Key,
				h.at.Format(time.RFC3339Nano), h.f.Fired.Format(time.RFC3339Nano), d.Format(time.RFC3339Nano))
		}
		late := h.at.Sub(d)
		if late >= time.Second {
			t.Errorf("%s handled %s after its due time, want within 1 s", h.f.Key, late)
		}
		worst = max(worst, late)
	}
	t.Logf("latest handling: %s after the due time", worst)
	quiet(t, ch, 300*time.Millisecond)
}
