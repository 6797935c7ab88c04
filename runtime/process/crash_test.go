package process_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/timers"
)

// TestKilledBeforeTimerArmed: the process manager is killed with SIGKILL
// after it stored the step that enters Paying and before it stored the
// step's timer. A process manager started after it arms the timer, due
// at the step's time plus the timer's duration, when the step's event is
// delivered again: the order is cancelled once, within a second of its
// deadline.
func TestKilledBeforeTimerArmed(t *testing.T) {
	t.Parallel()
	srv := startServer(t, true)
	cfg := worldConfig{URL: srv.ClientURL(), Name: "kill1", Overdue: 2 * time.Second, Window: 2 * time.Minute}
	w := newJSWorld(t, srv, cfg)
	c := startChild(t, childConfig{worldConfig: cfg, BlockArming: true})
	w.submit(t, "k", 500)
	line := c.expect(t, "arming", 10*time.Second)
	if want := "arming Fulfilment.k.PaymentOverdue"; line != want {
		t.Fatalf("child printed %q, want %q", line, want)
	}
	c.kill(t)

	steps := w.records(t, "Fulfilment", "k")
	if len(steps) != 1 {
		t.Fatalf("the killed process stored %d steps, want 1", len(steps))
	}
	if _, ok, err := w.tm.Armed(w.ctx, timers.Key{Type: "Fulfilment", ID: "k", Name: "PaymentOverdue"}); ok || err != nil {
		t.Fatalf("the timer is armed (%v): the kill came too late to tell", err)
	}
	deadline := steps[0].Time.Add(cfg.Overdue)
	if time.Until(deadline) < 500*time.Millisecond {
		t.Fatalf("killed only %s before the deadline: too late to tell", time.Until(deadline))
	}
	w.run(t)
	waitFor(t, 10*time.Second, "k cancelled", func() bool { return len(w.records(t, "Order", "k")) >= 2 })
	order := w.records(t, "Order", "k")
	if got := fmt.Sprint(eventTypes(order)); got != "[OrderSubmitted OrderCancelled]" {
		t.Fatalf("order: %s", got)
	}
	if d := order[1].Time.Sub(deadline); d < 0 || d >= time.Second {
		t.Errorf("cancelled %s after the deadline, want within [0, 1 s)", d)
	}
	time.Sleep(500 * time.Millisecond)
	if got := fmt.Sprint(eventTypes(w.records(t, "Order", "k"))); got != "[OrderSubmitted OrderCancelled]" {
		t.Errorf("order later: %s, want cancelled once", got)
	}
	if got := fmt.Sprint(eventTypes(w.records(t, "Fulfilment", "k"))); got != "[Submitted PaymentOverdue]" {
		t.Errorf("process: %s", got)
	}
}
