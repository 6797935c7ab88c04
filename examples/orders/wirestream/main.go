// Command wirestream writes a stream of order events with the generated
// Order repository on an embedded JetStream server, and serves it on a
// loopback address, for readers of the wire format in other languages to
// read (.ci/wire runs it for the TypeScript reader, docs/wire-format.md):
//
//	wirestream -data DIR [-events 10000] [-listen 127.0.0.1:0]
//
// On a stream with no events it writes exactly -events events: orders
// submitted, paid and shipped, refused by their payment provider,
// cancelled by their customer, with actors, correlation and causation ids,
// trace contexts and non-ASCII ids and text; and, at the end, ten commands
// of three events each appended to the store directly. It prints the server's URL on a line once the events are stored,
// and serves until interrupted (SIGINT, SIGTERM).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wirestream:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("wirestream", flag.ContinueOnError)
	dir := fs.String("data", "", "the embedded server's JetStream `DIR` (required)")
	listen := fs.String("listen", "127.0.0.1:0", "the loopback `ADDRESS` to serve on")
	events := fs.Int("events", 10000, "how many events to write on an empty stream")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return errors.New("usage: wirestream -data DIR [-events N] [-listen ADDRESS]")
	}
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: *dir, Listen: *listen})
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	nc, err := srv.Connect()
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	store, err := jsstore.New(ctx, js)
	if err != nil {
		return err
	}
	st, err := js.Stream(ctx, store.Stream())
	if err != nil {
		return err
	}
	if st.CachedInfo().State.Msgs == 0 {
		if err := write(ctx, store, *events); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintln(stdout, srv.ClientURL()); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// write handles order commands, then appends a few commands of several
// events (no example aggregate emits more than one), until the stream holds
// exactly n events.
func write(ctx context.Context, store *jsstore.Store, n int) error {
	batches := min(n/100, 10) // commands of three events each, at the end
	if err := writeOrders(ctx, orders.NewOrderRepository(store, orders.Decider{}), n-3*batches); err != nil {
		return err
	}
	var seq uint64
	for b := range batches {
		res, err := store.Append(ctx, &es.AppendRequest{
			Ref: es.Ref{Type: "Batch", ID: "b-1"}, ExpectedSequence: seq, ExpectedVersion: uint64(3 * b),
			CommandID: fmt.Sprintf("batch-%d", b+1), CorrelationID: "nightly", CausationID: "schedule-ü", Actor: "job:batch",
			Time: time.Now(),
			Events: []es.RawEvent{
				{Type: "LinesImported", SchemaVersion: 2, Data: fmt.Appendf(nil, `{"file":"lines-%d.csv","count":%d}`, b, 1000*b)},
				{Type: "TotalsComputed", SchemaVersion: 1, Data: []byte(`{"cents":12345678901234567890}`)},
				{Type: "BatchClosed", SchemaVersion: 1, Data: []byte(`{}`)},
			},
		})
		if err != nil {
			return err
		}
		seq = res.Sequence
	}
	return nil
}

// writeOrders handles commands until the orders hold exactly n events.
func writeOrders(ctx context.Context, repo *orders.OrderRepository, n int) error {
	written := 0
	handle := func(id string, c orders.OrderCommand, opts ...es.HandleOption) (es.Metadata, error) {
		res, err := repo.Handle(ctx, id, c, opts...)
		if err != nil {
			return es.Metadata{}, fmt.Errorf("%s: %w", id, err)
		}
		recs := res.Records()
		written += len(recs)
		return recs[len(recs)-1].Metadata, nil
	}
	for i := 1; written < n; i++ {
		id := fmt.Sprintf("o-%d", i)
		if i%50 == 0 {
			id = fmt.Sprintf("commande-ünï-%d", i)
		}
		opts := []es.HandleOption{es.WithCommandID("submit-" + id), es.WithActor(fmt.Sprintf("customer:%d", i%7))}
		if i%3 == 0 {
			opts = append(opts, es.WithCorrelationID("checkout-"+id))
		}
		if i%5 == 0 {
			opts = append(opts, es.WithTraceparent(fmt.Sprintf("00-%032x-%016x-01", i, i)))
		}
		items := []orders.LineItem{{SKU: "tea-earl-grey", Qty: i%4 + 1, PriceCents: 450}}
		if i%2 == 0 {
			items = append(items, orders.LineItem{SKU: "mug-blue-ü", Qty: 1, PriceCents: 1200})
		}
		m, err := handle(id, orders.Submit{Items: items}, opts...)
		if err != nil {
			return err
		}
		var next []orders.OrderCommand
		switch i % 4 {
		case 0, 1:
			next = []orders.OrderCommand{orders.ValidatePayment{PaymentID: fmt.Sprintf("pay-%d", i)}, orders.Fulfill{Tracking: fmt.Sprintf("1Z%08d", i)}}
		case 2:
			next = []orders.OrderCommand{orders.ValidatePayment{PaymentID: ""}}
		case 3:
			next = []orders.OrderCommand{orders.Cancel{Reason: "changé d'avis ✓ \"vraiment\""}}
		}
		for k, c := range next {
			if written >= n {
				break
			}
			if m, err = handle(id, c, es.CausedBy(m), es.WithCommandID(fmt.Sprintf("%s-%d", id, k+2)), es.WithActor("service:orders")); err != nil {
				return err
			}
		}
	}
	return nil
}
