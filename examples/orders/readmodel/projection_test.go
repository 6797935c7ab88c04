package readmodel

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
)

// startJetStream starts an embedded server on a temporary directory and
// returns a JetStream client and the event store on it.
func startJetStream(t *testing.T) (jetstream.JetStream, *jsstore.Store) {
	t.Helper()
	ctx := t.Context()
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	})
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	store, err := jsstore.New(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	return js, store
}

// TestProjectionOnJetStream feeds the read model from orders handled on the
// JetStream store, including an OrderSubmitted stored in schema version 1 and
// events of another aggregate type on the same stream; it catches up, keeps
// up with new events, and rebuilds to the same contents.
func TestProjectionOnJetStream(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	js, store := startJetStream(t)
	repo := orders.NewOrderRepository(store, orders.Decider{})
	items := []orders.LineItem{{SKU: "tea", Qty: 1, PriceCents: 450}}
	handle := func(id string, cmds ...orders.OrderCommand) {
		t.Helper()
		for _, c := range cmds {
			if _, err := repo.Handle(ctx, id, c); err != nil {
				t.Fatalf("%s %T: %v", id, c, err)
			}
		}
	}
	handle("o-1", orders.Submit{Items: items}, orders.ValidatePayment{PaymentID: "p-1"}, orders.Fulfill{Tracking: "t-1"})
	handle("o-2", orders.Submit{Items: items}, orders.ValidatePayment{PaymentID: ""})
	handle("o-3", orders.Submit{Items: items}, orders.ValidatePayment{PaymentID: "p-3"})
	handle("o-4", orders.Cancel{Reason: "never mind"})
	// An order submitted by an older release, in schema version 1.
	if _, err := store.Append(ctx, &es.AppendRequest{
		Ref: es.Ref{Type: "Order", ID: "o-5"}, CommandID: "legacy-5", Time: time.Now(),
		Events: []es.RawEvent{{Type: "OrderSubmitted", SchemaVersion: 1,
			Data: []byte(`{"items":[{"sku":"tea","qty":1,"price_cents":450}],"submitted_at":"2025-01-02T03:04:05Z"}`)}},
	}); err != nil {
		t.Fatal(err)
	}
	// Another aggregate type on the same stream, which the projection must not read.
	if _, err := store.Append(ctx, &es.AppendRequest{
		Ref: es.Ref{Type: "Invoice", ID: "i-1"}, CommandID: "inv-1", Time: time.Now(),
		Events: []es.RawEvent{{Type: "InvoiceIssued", SchemaVersion: 1, Data: []byte(`{}`)}},
	}); err != nil {
		t.Fatal(err)
	}

	m := New()
	p, err := NewProjection(js, m)
	if err != nil {
		t.Fatal(err)
	}
	runDone := make(chan error, 1)
	runCtx, stop := context.WithCancel(ctx)
	go func() { runDone <- p.Run(runCtx) }()
	defer func() {
		stop()
		if err := <-runDone; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()

	check := func(stage string, want map[Status][]string) {
		t.Helper()
		if err := p.CaughtUp(ctx); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		for _, s := range Statuses() {
			if diff := cmp.Diff(want[s], m.IDs(s)); diff != "" {
				t.Errorf("%s: IDs(%s) (-want +got):\n%s", stage, s, diff)
			}
		}
	}
	check("caught up", map[Status][]string{
		Submitted: {"o-5"}, Validated: {"o-3"}, Fulfilled: {"o-1"}, Cancelled: {"o-2", "o-4"},
	})

	handle("o-3", orders.Fulfill{Tracking: "t-3"})
	handle("o-6", orders.Submit{Items: items})
	check("new events", map[Status][]string{
		Submitted: {"o-5", "o-6"}, Fulfilled: {"o-1", "o-3"}, Cancelled: {"o-2", "o-4"},
	})

	if err := p.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	check("rebuilt", map[Status][]string{
		Submitted: {"o-5", "o-6"}, Fulfilled: {"o-1", "o-3"}, Cancelled: {"o-2", "o-4"},
	})
	if o, _ := m.Order("o-3"); o.Version != 3 {
		t.Errorf("o-3 at version %d after the rebuild, want 3", o.Version)
	}
	if m.Skipped() != 0 {
		t.Errorf("%d events skipped after a rebuild, want 0", m.Skipped())
	}
}
