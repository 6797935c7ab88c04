package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/examples/orders/readmodel"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/projection"
)

// The demo's bounded context: its own stream and subjects, so that it can
// run on a server that holds other streams.
const (
	demoStream  = "ESGEN_DEMO"
	demoSubject = "esgen-demo"
)

// run is the demo: it writes its report to w, and the runtime's log lines to
// logw when o.Verbose is set.
func run(ctx context.Context, o options, w, logw io.Writer) (err error) {
	logger := slog.New(slog.DiscardHandler)
	if o.Verbose {
		logger = slog.New(slog.NewTextHandler(logw, nil))
	}
	c, err := connect(ctx, o, logger)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		err = errors.Join(err, c.close(closeCtx))
	}()

	storeOpts := []jsstore.Option{jsstore.WithStream(demoStream), jsstore.WithSubjectPrefix(demoSubject), jsstore.WithLogger(logger)}
	store, err := jsstore.New(ctx, c.js, storeOpts...)
	if err != nil {
		return err
	}
	snaps, err := jsstore.NewSnapshotStore(ctx, c.js, storeOpts...)
	if err != nil {
		return err
	}
	repo := orders.NewOrderRepository(store, orders.Decider{}, es.WithSnapshots(snaps), es.WithLogger(logger))
	prefix, err := freshPrefix(ctx, repo)
	if err != nil {
		return err
	}
	d := &demo{p: &printer{w: w}, store: store, repo: repo, id: func(n int) string { return fmt.Sprintf("%sorder-%d", prefix, n) }}
	d.p.printf("esgen orders demo on %s: stream %s, subjects %s.Order.<id>\n", c.where, demoStream, demoSubject)
	for _, step := range []func(context.Context) error{
		d.handleCommands, d.showEvents, d.rejectInvalid, d.concurrentWriter, d.upcast, d.timeTravel,
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	if err := d.projection(ctx, c, logger); err != nil {
		return err
	}
	timeout := o.PaymentTimeout
	if timeout == 0 {
		timeout = DefaultPaymentTimeout
	}
	if err := d.fulfil(ctx, c, timeout, logger); err != nil {
		return err
	}
	if err := d.trace(ctx, c, o.TraceJSON, logger); err != nil {
		return err
	}
	d.p.printf("\ndone\n")
	return d.p.err
}

// freshPrefix returns the prefix of this run's order ids: none when the
// store holds no order-1 yet (a new store), else "run2-", "run3-"... so that
// a kept store or a shared server gets new orders every run.
func freshPrefix(ctx context.Context, repo *orders.OrderRepository) (string, error) {
	for n := 1; n <= 10000; n++ {
		prefix := ""
		if n > 1 {
			prefix = fmt.Sprintf("run%d-", n)
		}
		_, err := repo.Load(ctx, prefix+"order-1")
		switch {
		case errors.Is(err, es.ErrNotFound):
			return prefix, nil
		case err != nil:
			return "", err
		}
	}
	return "", errors.New("the store holds 10,000 demo runs already; use another -data directory")
}

// demo is the state shared by the steps of the demo.
type demo struct {
	p     *printer
	store *jsstore.Store
	repo  *orders.OrderRepository
	id    func(n int) string // id of the demo's order n
}

// idWidth is the width of the order id column.
func (d *demo) idWidth() int { return len(d.id(5)) }

// teaAndMug is the order most customers place.
var teaAndMug = []orders.LineItem{{SKU: "tea-earl-grey", Qty: 2, PriceCents: 450}, {SKU: "mug-blue", Qty: 1, PriceCents: 1200}}

// handle runs one command and prints what became of the order.
func (d *demo) handle(ctx context.Context, n int, c orders.OrderCommand, opts ...es.HandleOption) (es.Result[orders.OrderState, orders.OrderEvent], error) {
	res, err := d.repo.Handle(ctx, d.id(n), c, opts...)
	if err != nil {
		return res, fmt.Errorf("%s: %s: %w", d.id(n), command(c), err)
	}
	d.p.printf("   %-*s %-38s -> v%d seq %-3d %s\n", d.idWidth(), d.id(n), command(c), res.Version, res.Sequence, state(res.State))
	return res, nil
}

// handleCommands takes three orders through their lives. Each command names
// its actor; the commands that follow an event carry it as their cause, so
// the flow of order 1 shares one correlation id.
func (d *demo) handleCommands(ctx context.Context) error {
	d.p.section(1, "Commands handled (one atomic append each)")
	o1 := d.id(1)
	res, err := d.handle(ctx, 1, orders.Submit{Items: teaAndMug},
		es.WithCommandID("submit-"+o1), es.WithCorrelationID("checkout-"+o1), es.WithActor("customer:alice"))
	if err != nil {
		return err
	}
	if res, err = d.handle(ctx, 1, orders.ValidatePayment{PaymentID: "pay-5521"},
		es.WithCommandID("pay-"+o1), es.CausedBy(res.Records()[0].Metadata), es.WithActor("service:payments")); err != nil {
		return err
	}
	if _, err = d.handle(ctx, 1, orders.Fulfill{Tracking: "1Z999AA10123456784"},
		es.WithCommandID("ship-"+o1), es.CausedBy(res.Records()[0].Metadata), es.WithActor("service:warehouse")); err != nil {
		return err
	}
	o2 := d.id(2)
	if res, err = d.handle(ctx, 2, orders.Submit{Items: teaAndMug[:1]},
		es.WithCommandID("submit-"+o2), es.WithActor("customer:bob")); err != nil {
		return err
	}
	// No payment id: the provider refused; the decision takes the rejected branch.
	if _, err = d.handle(ctx, 2, orders.ValidatePayment{PaymentID: ""},
		es.WithCommandID("pay-"+o2), es.CausedBy(res.Records()[0].Metadata), es.WithActor("service:payments")); err != nil {
		return err
	}
	o3 := d.id(3)
	if _, err = d.handle(ctx, 3, orders.Submit{Items: teaAndMug[1:]}, es.WithCommandID("submit-"+o3), es.WithActor("customer:carol")); err != nil {
		return err
	}
	_, err = d.handle(ctx, 3, orders.Cancel{Reason: "ordered twice"}, es.WithCommandID("cancel-"+o3), es.WithActor("customer:carol"))
	return err
}

// showEvents prints the stored events of orders 1 and 2 with their metadata.
func (d *demo) showEvents(ctx context.Context) error {
	d.p.section(2, "Stored events with their metadata")
	for _, n := range []int{1, 2} {
		recs, _, err := d.repo.History(ctx, d.id(n))
		if err != nil {
			return err
		}
		d.p.printf("   %s:\n", d.id(n))
		for _, r := range recs {
			d.p.record(r)
		}
	}
	return nil
}

// rejectInvalid shows a command the machine does not accept in the order's
// state, and one that breaks a business rule: both rejected, nothing stored.
func (d *demo) rejectInvalid(ctx context.Context) error {
	d.p.section(3, "Rejected commands (nothing stored)")
	_, err := d.repo.Handle(ctx, d.id(2), orders.Fulfill{Tracking: "1Z0000"})
	var ite *es.InvalidTransitionError
	if !errors.As(err, &ite) || !errors.Is(err, es.ErrInvalidTransition) {
		return fmt.Errorf("fulfilling a cancelled order: got %v, want an invalid transition", err)
	}
	d.p.printf("   %s %s: %v\n", d.id(2), command(orders.Fulfill{Tracking: "1Z0000"}), err)
	d.p.printf("      errors.Is(err, es.ErrInvalidTransition) = true; the error names state %s and command %s\n", ite.State, ite.Command)

	bad := orders.Submit{Items: []orders.LineItem{{SKU: "mug-blue", Qty: 0, PriceCents: 1200}}}
	_, err = d.repo.Handle(ctx, d.id(4), bad)
	if !errors.Is(err, orders.ErrNonPositiveQuantity) {
		return fmt.Errorf("submitting a zero quantity: got %v, want ErrNonPositiveQuantity", err)
	}
	d.p.printf("   %s %s: %v\n", d.id(4), command(bad), err)
	d.p.printf("      errors.Is(err, orders.ErrNonPositiveQuantity) = true\n")
	if _, err := d.repo.Load(ctx, d.id(4)); !errors.Is(err, es.ErrNotFound) {
		return fmt.Errorf("%s after a rejected command: got %v, want no events", d.id(4), err)
	}
	d.p.printf("   %s has no events: a rejected command appends nothing\n", d.id(4))
	return nil
}

// concurrentWriter shows optimistic concurrency: a second repository on the
// same store (another process, say) decides on a state it cached before the
// first one moved the order; the store refuses its append. It reloads and
// retries: the command is decided again on the current state and succeeds.
func (d *demo) concurrentWriter(ctx context.Context) error {
	d.p.section(4, "A concurrent writer: conflict, reload, retry")
	o4 := d.id(4)
	if _, err := d.handle(ctx, 4, orders.Submit{Items: teaAndMug}, es.WithActor("customer:dave")); err != nil {
		return err
	}
	// Writer B: no automatic retries, so that the conflict reaches the caller.
	b := orders.NewOrderRepository(d.store, orders.Decider{}, es.WithMaxRetries(0))
	cached, err := b.Load(ctx, o4)
	if err != nil {
		return err
	}
	d.p.printf("   writer B loaded %s at version %d: %s\n", o4, cached.Version, state(cached.State))
	if _, err := d.handle(ctx, 4, orders.ValidatePayment{PaymentID: "pay-8812"}, es.WithActor("service:payments")); err != nil {
		return err
	}
	cancel := orders.Cancel{Reason: "customer called"}
	cmdID := es.WithCommandID("cancel-" + o4)
	_, err = b.Handle(ctx, o4, cancel, cmdID, es.WithActor("support:erin"))
	if !errors.Is(err, es.ErrConflict) {
		return fmt.Errorf("writer B on a stale state: got %v, want es.ErrConflict", err)
	}
	d.p.printf("   writer B %s, decided on version %d: %v\n", command(cancel), cached.Version, err)
	d.p.printf("      errors.Is(err, es.ErrConflict) = true\n")
	// The conflict dropped B's stale state: handling the command again
	// reloads the order and decides on its stored version.
	res, err := b.Handle(ctx, o4, cancel, cmdID, es.WithActor("support:erin"))
	if err != nil {
		return fmt.Errorf("writer B retry: %w", err)
	}
	d.p.printf("   writer B retries the same command id; Handle reloads and decides on v%d: -> v%d seq %d %s\n",
		res.Version-uint64(len(res.Events)), res.Version, res.Sequence, state(res.State))
	return nil
}

// upcast appends an OrderSubmitted the way an older release stored it
// (schema version 1, no channel) straight through the store, and loads it:
// the generated codec upcasts it with the .esm's default channel.
func (d *demo) upcast(ctx context.Context) error {
	d.p.section(5, "An old event upcast on load")
	o5 := d.id(5)
	v1 := []byte(`{"items":[{"sku":"tea-sencha","qty":3,"price_cents":650}],"submitted_at":"2024-11-05T16:20:00Z"}`)
	if _, err := d.store.Append(ctx, &es.AppendRequest{
		Ref:       es.Ref{Type: "Order", ID: o5},
		CommandID: "import-" + o5, Time: time.Now().UTC(), Actor: "release-1.4",
		Events: []es.RawEvent{{Type: "OrderSubmitted", SchemaVersion: 1, Data: v1}},
	}); err != nil {
		return err
	}
	recs, events, err := d.repo.History(ctx, o5)
	if err != nil {
		return err
	}
	if len(recs) != 1 {
		return fmt.Errorf("%s has %d events, want 1", o5, len(recs))
	}
	e, ok := events[0].(orders.OrderSubmitted)
	if !ok || e.Channel != orders.DefaultChannel {
		return fmt.Errorf("%s: decoded %#v, want an OrderSubmitted from channel %q", o5, events[0], orders.DefaultChannel)
	}
	inst, err := d.repo.Load(ctx, o5)
	if err != nil {
		return err
	}
	d.p.printf("   stored:  %s schema %d %s\n", recs[0].EventType, recs[0].SchemaVersion, recs[0].Data)
	d.p.printf("   decoded: OrderSubmitted{Items: %s, SubmittedAt: %s, Channel: %q}\n", itemsOf(e.Items), e.SubmittedAt.Format(time.RFC3339), e.Channel)
	d.p.printf("   loaded:  %s -> %s, version %d\n", o5, state(inst.State), inst.Version)
	return nil
}

// timeTravel loads order 1 as it was: by version, and by time.
func (d *demo) timeTravel(ctx context.Context) error {
	o1 := d.id(1)
	d.p.section(6, "Time travel: "+o1+" as it was")
	recs, _, err := d.repo.History(ctx, o1)
	if err != nil {
		return err
	}
	now, err := d.repo.Load(ctx, o1)
	if err != nil {
		return err
	}
	d.p.printf("   Load:                      v%d %s\n", now.Version, state(now.State))
	for v := uint64(1); v < now.Version; v++ {
		inst, err := d.repo.LoadAt(ctx, o1, v)
		if err != nil {
			return err
		}
		d.p.printf("   LoadAt version %d:          v%d %s\n", v, inst.Version, state(inst.State))
	}
	// Just before the payment was recorded.
	before := recs[1].Time.Add(-time.Nanosecond)
	inst, err := d.repo.LoadAsOf(ctx, o1, before)
	if err != nil {
		return err
	}
	d.p.printf("   LoadAsOf 1 ns before v2:   v%d %s (as of %s)\n", inst.Version, state(inst.State), stamp(before))
	early := recs[0].Time.Add(-time.Second)
	if _, err := d.repo.LoadAsOf(ctx, o1, early); !errors.Is(err, es.ErrNotFound) {
		return fmt.Errorf("LoadAsOf before the first event: got %v, want es.ErrNotFound", err)
	}
	d.p.printf("   LoadAsOf 1 s before v1:    es.ErrNotFound: the order had no event yet\n")
	return nil
}

// projection runs the orders-by-status read model: it starts after the
// events above are stored and catches up with them. The read model lives in
// memory, so it is rebuilt from the start of the stream each time the
// process starts.
func (d *demo) projection(ctx context.Context, c *conn, logger *slog.Logger) error {
	d.p.section(7, "Projection: orders by status")
	model := readmodel.New()
	p, err := readmodel.NewProjection(c.js, model,
		projection.WithStream(demoStream), projection.WithSubjectPrefix(demoSubject), projection.WithLogger(logger))
	if err != nil {
		return err
	}
	if err := p.Rebuild(ctx); err != nil {
		return err
	}
	if err := catchUp(ctx, p); err != nil {
		return err
	}
	d.p.printf("   %s caught up: checkpoint at stream sequence %d, %d orders\n", p.Name(), p.Checkpoint(), model.Len())
	for _, s := range readmodel.Statuses() {
		ids := model.IDs(s)
		list := "-"
		if len(ids) > 0 {
			list = strings.Join(shorten(ids), " ")
		}
		d.p.printf("   %-10s %d  %s\n", s, len(ids), list)
	}
	return nil
}

// shorten keeps the report short on a store that holds many runs: the first
// eight ids, then a count.
func shorten(ids []string) []string {
	if len(ids) <= 8 {
		return ids
	}
	return append(slices.Clip(ids[:8]), fmt.Sprintf("(+%d more)", len(ids)-8))
}

// catchUp runs p until it has caught up with its stream (at most 30 s),
// then stops it. When it returns, the batch p had in hand is handled, its
// span (if traced) ended.
func catchUp(ctx context.Context, p *projection.Projection) error {
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err := p.CaughtUp(waitCtx)
	cancel()
	stop()
	if runErr := <-done; err == nil {
		err = runErr
	}
	return err
}
