package process_test

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
)

// flavour returns the amount of order i of TestThousandProcesses and the
// ends its process may come to (the input of its second step): paid at
// once, refused, or never approved. A timer of 2 s can win the race
// against a payment or a refusal when the process manager is killed
// between storing the first step and sending its command, or lags far
// behind; the process then ends overdue, which is one end too.
func flavour(i int) (amount int64, ends []string) {
	switch i % 10 {
	case 6, 7: // refused: over the limit
		return 5000, []string{"PaymentRefused", "PaymentOverdue"}
	case 8, 9: // never approved
		return 500, []string{"PaymentOverdue"}
	}
	return 50, []string{"Succeeded", "PaymentOverdue"}
}

// outcome is what each aggregate of an order holds once its process
// ended with a second step of the given input, for an order of amount.
func outcome(end string, amount int64) (order, payment, ledger string) {
	payment = "[PaymentSucceeded]"
	switch {
	case amount > limit:
		payment = "[]"
	case amount > autoApprove:
		payment = "[PaymentRequested]"
	}
	switch end {
	case "Succeeded":
		return "[OrderSubmitted OrderPaid]", payment, "[Credited]"
	case "PaymentRefused":
		return `[OrderSubmitted OrderCancelled{"Reason":"payment refused"}]`, payment, "[]"
	}
	return `[OrderSubmitted OrderCancelled{"Reason":"payment overdue"}]`, payment, "[]"
}

// TestThousandProcesses: 1,000 orders submitted while the process
// manager runs in a child process that is killed with SIGKILL twice and
// restarted each time: every process ends, and every order, payment and
// ledger holds exactly the events its flavour leads to (none applied
// twice, none lost); the events stream's duplicate window is 1 s, so
// commands sent again after a restart are not caught by the server's
// dedupe. Then a new runner handles every event again (its consumer reset
// to the start) and nothing changes.
func TestThousandProcesses(t *testing.T) {
	if raceDetector {
		// Its bounds (a 2 s timer racing the payments, the catch-up's
		// deadline) assume the speed of uninstrumented code; the other
		// tests of the package run the same code under the race detector.
		t.Skip("a stress test with time bounds: run it without -race")
	}
	t.Parallel()
	const orders = 1000
	srv := startServer(t, true)
	cfg := worldConfig{URL: srv.ClientURL(), Name: "thousand", Overdue: 2 * time.Second, Window: time.Second}
	w := newJSWorld(t, srv, cfg)

	// Orders arrive over about 2 s, from 8 clients.
	submitted := make(chan struct{})
	go func() {
		defer close(submitted)
		var wg sync.WaitGroup
		for c := range 8 {
			wg.Go(func() {
				for i := c; i < orders; i += 8 {
					amount, _ := flavour(i)
					if _, err := w.agg.orders.Handle(w.ctx, "o"+strconv.Itoa(i), Submit{Amount: amount}, es.WithCommandID("submit-o"+strconv.Itoa(i))); err != nil {
						t.Errorf("submit %d: %v", i, err)
						return
					}
					time.Sleep(15 * time.Millisecond)
				}
			})
		}
		wg.Wait()
	}()

	c := startChild(t, childConfig{worldConfig: cfg})
	for kill := range 2 {
		time.Sleep(500 * time.Millisecond)
		st := w.consumerStatus(t)
		arriving := true
		select {
		case <-submitted:
			arriving = false
		default:
		}
		c.kill(t)
		t.Logf("kill %d: orders arriving %t, consumer at %d, %d pending, %d unacknowledged", kill+1, arriving, st.Checkpoint, st.Pending, st.Unacknowledged)
		if !arriving && st.Pending == 0 && st.Unacknowledged == 0 {
			t.Errorf("kill %d came after the run: no order arriving, nothing to handle", kill+1)
		}
		c = startChild(t, childConfig{worldConfig: cfg})
	}
	<-submitted

	// Every process ends: each order is paid or cancelled (the last
	// timers fire 2 s after their order).
	ended := func() int {
		n := 0
		for rec, err := range w.store.Scan(w.ctx, 0) {
			if err != nil {
				t.Fatal(err)
			}
			if rec.AggregateType == "Order" && rec.EventType != "OrderSubmitted" {
				n++
			}
		}
		return n
	}
	began := time.Now()
	waitFor(t, 30*time.Second, "every order ended", func() bool { time.Sleep(200 * time.Millisecond); return ended() >= orders })
	t.Logf("every order ended %s after the last was submitted", time.Since(began))
	time.Sleep(500 * time.Millisecond) // room for anything applied twice
	c.kill(t)
	w.checkThousand(t, orders)
	began = time.Now()
	w.redeliverAll(t)
	t.Logf("every event delivered again to a new runner in %s", time.Since(began))
	w.checkThousand(t, orders)
}

// consumerStatus returns the status of the Fulfilment consumer.
func (w *jsWorld) consumerStatus(t *testing.T) projectionStatus {
	t.Helper()
	r, err := w.runner(nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.consumer(r)
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.Status(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return projectionStatus{Checkpoint: st.Checkpoint, Pending: st.Pending, Unacknowledged: st.Unacknowledged}
}

type projectionStatus struct {
	Checkpoint, Pending uint64
	Unacknowledged      int
}

// checkThousand checks every order, payment, ledger and process, and
// that no (aggregate, event id) is stored twice.
func (w *jsWorld) checkThousand(t *testing.T, orders int) {
	t.Helper()
	byRef := map[es.Ref][]string{}
	ids := map[string]bool{}
	for rec, err := range w.store.Scan(w.ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		ref := es.Ref{Type: rec.AggregateType, ID: rec.AggregateID}
		desc := rec.EventType
		if rec.EventType == "OrderCancelled" {
			desc += string(rec.Data)
		}
		byRef[ref] = append(byRef[ref], desc)
		key := ref.Type + "/" + ref.ID + "/" + rec.EventID
		if ids[key] {
			t.Errorf("%s stored twice", key)
		}
		ids[key] = true
	}
	bad := 0
	ends := map[string]int{}
	for i := range orders {
		id := "o" + strconv.Itoa(i)
		amount, allowed := flavour(i)
		steps := byRef[es.Ref{Type: "Fulfilment", ID: id}]
		end := "(none)"
		if len(steps) == 2 && steps[0] == "Submitted" {
			end = steps[1]
		}
		ends[end]++
		order, payment, ledger := outcome(end, amount)
		checks := []struct{ what, got, want string }{
			{"Fulfilment", fmt.Sprint(steps), "[Submitted " + end + "]"},
			{"Order", fmt.Sprint(byRef[es.Ref{Type: "Order", ID: id}]), order},
			{"Payment", fmt.Sprint(byRef[es.Ref{Type: "Payment", ID: id}]), payment},
			{"Ledger", fmt.Sprint(byRef[es.Ref{Type: "Ledger", ID: "l-" + id}]), ledger},
		}
		if !slices.Contains(allowed, end) {
			checks[0].want = fmt.Sprintf("[Submitted %v]", allowed)
		}
		for _, c := range checks {
			if c.got != c.want {
				if bad++; bad <= 10 {
					t.Errorf("%s %s: %s, want %s", c.what, id, c.got, c.want)
				}
			}
		}
	}
	t.Logf("processes ended by %v", ends)
	if bad > 0 {
		t.Errorf("%d aggregates of %d orders hold other events than their flavour's", bad, orders)
	}
}
