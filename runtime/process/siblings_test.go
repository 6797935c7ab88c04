package process_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/process"
	"github.com/esgen/esgen/runtime/projection"
)

// TestSiblingProcessesOnJetStream: two process managers (Audit and
// Tally) react to the same events and each sends the same command to the
// same ledger. Their steps have the same command id (derived from the
// same input), but the commands they send never do: on the embedded
// server, whose dedupe drops a second message with the same id, the
// ledger holds both credits of every order, also for an order whose id
// makes the command ids longer than es.MaxCommandIDLength. Every credit
// names the process that sent it (command id and actor), and its
// causation id is the event id of the step that sent it.
func TestSiblingProcessesOnJetStream(t *testing.T) {
	srv := startServer(t, false)
	w := newJSWorld(t, srv, worldConfig{Name: "sib", Overdue: time.Hour, Window: time.Hour})
	run := func(name string) {
		r, err := process.NewRunner(namedAudit(w.agg, name), w.store, nil, process.WithLogger(w.logs.logger()))
		if err != nil {
			t.Fatal(err)
		}
		p, err := r.Consumer(w.js, projection.WithStream("EV_sib"), projection.WithSubjectPrefix("evsib"),
			projection.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond), projection.WithLagInterval(0))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx, p) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("%s: Run: %v", name, err)
			}
		})
	}
	run("Audit")
	run("Tally")
	long := "o-" + strings.Repeat("x", 190)
	orders := []string{"o-1", "o-2", long}
	for _, id := range orders {
		w.submit(t, id, 1)
	}
	waitFor(t, 30*time.Second, "two credits per order", func() bool {
		return len(w.records(t, "Ledger", "audit")) >= 2*len(orders)
	})
	time.Sleep(200 * time.Millisecond) // a third credit would be a bug too
	credits := w.records(t, "Ledger", "audit")
	if len(credits) != 2*len(orders) {
		t.Fatalf("ledger: %d credits, want %d", len(credits), 2*len(orders))
	}
	steps := map[string]map[string]es.Record{} // process -> step event id -> step
	for _, name := range []string{"Audit", "Tally"} {
		steps[name] = map[string]es.Record{}
		for _, s := range w.records(t, name, "all") {
			steps[name][s.EventID] = s
		}
		if len(steps[name]) != len(orders) {
			t.Errorf("%s: %d steps, want %d", name, len(steps[name]), len(orders))
		}
	}
	var ids []string
	per := map[string]int{}
	for _, c := range credits {
		cmd := c.EventID[:strings.LastIndexByte(c.EventID, '-')]
		ids = append(ids, cmd)
		per[c.Actor]++
		if !strings.HasPrefix(cmd, c.Actor+".all.") {
			t.Errorf("credit %s by %s: its command id does not name the process and its instance", cmd, c.Actor)
		}
		step, ok := steps[c.Actor][c.CausationID]
		if !ok {
			t.Errorf("credit %s by %s: causation %s is no step of %s", cmd, c.Actor, c.CausationID, c.Actor)
			continue
		}
		// The sibling's step has the same event id: only the command
		// id and the actor tell the two apart.
		for other := range steps {
			if _, same := steps[other][c.CausationID]; other != c.Actor && !same {
				t.Errorf("step %s of %s: %s has no step with that event id, the test no longer covers ambiguous steps", step.EventID, c.Actor, other)
			}
		}
	}
	slices.Sort(ids)
	if len(slices.Compact(ids)) != len(credits) {
		t.Errorf("command ids of the credits collide: %q", ids)
	}
	if per["Audit"] != len(orders) || per["Tally"] != len(orders) {
		t.Errorf("credits per process: %v, want %d each", per, len(orders))
	}
}
