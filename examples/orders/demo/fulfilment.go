package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/process"
	"github.com/esgen/esgen/runtime/projection"
	"github.com/esgen/esgen/runtime/timers"
)

// The fulfilment part of the demo runs in a bounded context of its own:
// its events, and its timers, in streams apart from the orders above, so
// that the process manager sees only the orders it is shown with.
const (
	fulfilmentStream  = "ESGEN_DEMO_FULFILMENT"
	fulfilmentSubject = "esgen-demo-fulfilment"
	timersStream      = "ESGEN_DEMO_TIMERS"
	timersSubject     = "esgen-demo-timers"
)

// fulfilment is the state of the fulfilment part: the repositories of the
// three aggregates, on one store, and the running process manager.
type fulfilment struct {
	*demo
	store    *jsstore.Store
	orders   *orders.OrderRepository
	payments *orders.PaymentRepository
	ships    *orders.ShipmentRepository
	runner   *process.Runner[orders.FulfilmentState, orders.FulfilmentInput]
	timeout  time.Duration
}

// fulfil runs the Fulfilment process manager on JetStream and shows it at
// work on three orders: paid and shipped; not paid in time; cancelled by
// the customer while the payment went through, then refunded. Then the
// trail of the first order, across the aggregates and the process.
func (d *demo) fulfil(ctx context.Context, c *conn, timeout time.Duration, logger *slog.Logger) (err error) {
	d.p.section(8, "Process manager: Fulfilment ties orders, payments and shipments together")
	storeOpts := []jsstore.Option{jsstore.WithStream(fulfilmentStream), jsstore.WithSubjectPrefix(fulfilmentSubject), jsstore.WithLogger(logger)}
	store, err := jsstore.New(ctx, c.js, storeOpts...)
	if err != nil {
		return err
	}
	tm, err := timers.NewJetStream(ctx, c.js, timers.WithStream(timersStream), timers.WithSubjectPrefix(timersSubject), timers.WithLogger(logger))
	if err != nil {
		return err
	}
	f := &fulfilment{
		demo:     d,
		store:    store,
		orders:   orders.NewOrderRepository(store, orders.Decider{}, es.WithLogger(logger)),
		payments: orders.NewPaymentRepository(store, orders.PaymentRules{}, es.WithLogger(logger)),
		ships:    orders.NewShipmentRepository(store, orders.ShipmentRules{}, es.WithLogger(logger)),
		timeout:  timeout,
	}
	def := orders.NewFulfilmentDefinition(orders.FulfilmentRules{}, f.orders, f.payments, f.ships)
	runner, err := process.NewRunner(def, store, tm, process.WithLogger(logger), process.WithTimerDuration("PaymentOverdue", timeout))
	if err != nil {
		return err
	}
	f.runner = runner
	consumer, err := runner.Consumer(c.js, projection.WithStream(fulfilmentStream), projection.WithSubjectPrefix(fulfilmentSubject), projection.WithLogger(logger))
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- runner.Run(runCtx, consumer) }()
	defer func() {
		stop()
		if runErr := <-done; runErr != nil && !errors.Is(runErr, context.Canceled) {
			err = errors.Join(err, fmt.Errorf("fulfilment runner: %w", runErr))
		}
	}()
	d.p.printf("   the Fulfilment runner reads %s.{Order,Payment,Shipment}.*; its timers are in stream %s\n", fulfilmentSubject, timersStream)
	for _, step := range []func(context.Context) error{f.happyPath, f.paymentOverdue, f.refund, f.trail} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// happyPath: the customer submits, the payment provider captures, the
// warehouse dispatches; the process does everything in between.
func (f *fulfilment) happyPath(ctx context.Context) error {
	id := f.id(11)
	f.p.printf("\n   %s: paid and shipped\n", id)
	if err := f.submit(ctx, id, "customer:dana"); err != nil {
		return err
	}
	requested, err := f.pending(ctx, id)
	if err != nil {
		return err
	}
	if err := f.capture(ctx, id, requested); err != nil {
		return err
	}
	packing, err := waitFor(ctx, "the shipment of "+id, func() (es.Record, bool, error) {
		return lastOf(ctx, f.ships.History, id, "ShipmentRequested")
	})
	if err != nil {
		return err
	}
	f.p.printf("     the process asked the warehouse for the parcel: Shipment %s Packing\n", id)
	if _, err := f.ships.Handle(ctx, id, orders.DispatchShipment{Tracking: "1Z999AA10123456785"},
		es.WithCommandID("dispatch-"+id), es.CausedBy(packing.Metadata), es.WithActor("service:warehouse")); err != nil {
		return err
	}
	f.p.printf("     warehouse  DispatchShipment \"1Z999AA10123456785\"\n")
	order, err := f.orderState(ctx, id, "Fulfilled")
	if err != nil {
		return err
	}
	f.p.printf("     Order %s: %s\n", id, state(order))
	return f.processState(ctx, id)
}

// paymentOverdue: nobody answers for the payment; its timer fires, the
// process voids the payment and cancels the order.
func (f *fulfilment) paymentOverdue(ctx context.Context) error {
	id := f.id(12)
	f.p.printf("\n   %s: the payment is overdue (its timer, 30m in fulfilment.esm, runs %s here)\n", id, f.timeout)
	start := time.Now()
	if err := f.submit(ctx, id, "customer:erin"); err != nil {
		return err
	}
	if _, err := f.pending(ctx, id); err != nil {
		return err
	}
	order, err := f.orderState(ctx, id, "Cancelled")
	if err != nil {
		return err
	}
	switch late := time.Since(start) - f.timeout; {
	case late < 0:
		return fmt.Errorf("%s cancelled %s before its payment was due", id, -late)
	case late > 10*time.Second:
		return fmt.Errorf("%s cancelled %s after its payment was due", id, late)
	}
	f.p.printf("     the timer fired: the process voided the payment, then cancelled the order\n")
	payment, err := f.payments.Load(ctx, id)
	if err != nil {
		return err
	}
	f.p.printf("     Payment %s: %s\n", id, orders.PaymentStateName(payment.State))
	f.p.printf("     Order %s: %s\n", id, state(order))
	return f.processState(ctx, id)
}

// refund: the customer cancels while the provider captures the payment;
// the order refuses the payment, and the process refunds it.
func (f *fulfilment) refund(ctx context.Context) error {
	id := f.id(13)
	f.p.printf("\n   %s: cancelled by the customer while the payment went through\n", id)
	if err := f.submit(ctx, id, "customer:finn"); err != nil {
		return err
	}
	requested, err := f.pending(ctx, id)
	if err != nil {
		return err
	}
	if _, err := f.orders.Handle(ctx, id, orders.Cancel{Reason: "changed my mind"}, es.WithCommandID("cancel-"+id), es.WithActor("customer:finn")); err != nil {
		return err
	}
	f.p.printf("     customer   Cancel \"changed my mind\"\n")
	if err := f.capture(ctx, id, requested); err != nil {
		return err
	}
	refunded, err := waitFor(ctx, "the refund of "+id, func() (es.Record, bool, error) {
		return lastOf(ctx, f.payments.History, id, "PaymentRefunded")
	})
	if err != nil {
		return err
	}
	f.p.printf("     the order refused ValidatePayment (it is cancelled); the process reacted to the refusal:\n")
	f.p.printf("     Payment %s: Refunded %s\n", id, refunded.Data)
	return f.processState(ctx, id)
}

// trail prints every record of the first order's business transaction, in
// the order stored, across the aggregates and the process: each one's cause
// is an earlier record of the trail (its causation id is that record's
// event id) or, for the first, the customer's command.
func (f *fulfilment) trail(ctx context.Context) error {
	id := f.id(11)
	f.p.printf("\n   the trail of %s: process.Trail(ctx, store, %q), in the order stored\n", id, "checkout-"+id)
	recs, err := process.Trail(ctx, f.store, "checkout-"+id)
	if err != nil {
		return err
	}
	index := make(map[string]int, len(recs))
	for i, r := range recs {
		index[r.EventID] = i + 1
		cause := "command " + r.CausationID
		if n, ok := index[r.CausationID]; ok {
			cause = fmt.Sprintf("#%d", n)
		}
		f.p.printf("     #%-2d %-10s %-19s by %-18s caused by %s\n", i+1, r.AggregateType, r.EventType, orNone(r.Actor), cause)
	}
	return nil
}

// submit submits an order of tea and a mug, starting a transaction the
// trail reads back by its correlation id.
func (f *fulfilment) submit(ctx context.Context, id, actor string) error {
	if _, err := f.orders.Handle(ctx, id, orders.Submit{Items: teaAndMug},
		es.WithCommandID("submit-"+id), es.WithCorrelationID("checkout-"+id), es.WithActor(actor)); err != nil {
		return err
	}
	f.p.printf("     %-10s Submit %s\n", "customer", itemsOf(teaAndMug))
	return nil
}

// pending waits for the process to ask for the order's payment, and
// returns the record of the request.
func (f *fulfilment) pending(ctx context.Context, id string) (es.Record, error) {
	rec, err := waitFor(ctx, "the payment of "+id, func() (es.Record, bool, error) {
		return lastOf(ctx, f.payments.History, id, "PaymentRequested")
	})
	if err != nil {
		return rec, err
	}
	f.p.printf("     the process asked for the payment: Payment %s Pending %s\n", id, rec.Data)
	return rec, nil
}

// capture is the payment provider's answer: the charge went through.
func (f *fulfilment) capture(ctx context.Context, id string, requested es.Record) error {
	if _, err := f.payments.Handle(ctx, id, orders.CapturePayment{ProviderRef: "ch-" + id},
		es.WithCommandID("capture-"+id), es.CausedBy(requested.Metadata), es.WithActor("service:payments")); err != nil {
		return err
	}
	f.p.printf("     provider   CapturePayment %q\n", "ch-"+id)
	return nil
}

// orderState waits for the order to reach the named state.
func (f *fulfilment) orderState(ctx context.Context, id, want string) (orders.OrderState, error) {
	var s orders.OrderState
	_, err := waitFor(ctx, fmt.Sprintf("order %s %s", id, want), func() (es.Record, bool, error) {
		inst, err := f.orders.Load(ctx, id)
		if err != nil {
			return es.Record{}, false, err
		}
		s = inst.State
		return es.Record{}, orders.OrderStateName(s) == want, nil
	})
	return s, err
}

// processState waits for the process instance to end, and prints the
// state it ended in.
func (f *fulfilment) processState(ctx context.Context, id string) error {
	var name string
	_, err := waitFor(ctx, "the end of the process "+id, func() (es.Record, bool, error) {
		inst, err := f.runner.Load(ctx, id)
		if err != nil {
			return es.Record{}, false, err
		}
		name = orders.FulfilmentStateName(inst.State)
		return es.Record{}, name == "Done" || name == "Abandoned", nil
	})
	if err != nil {
		return err
	}
	f.p.printf("     Fulfilment %s: %s\n", id, name)
	return nil
}

// lastOf returns the last record of type typ in the history of aggregate
// id, and whether there is one.
func lastOf[E any](ctx context.Context, history func(context.Context, string) ([]es.Record, []E, error), id, typ string) (es.Record, bool, error) {
	recs, _, err := history(ctx, id)
	if errors.Is(err, es.ErrNotFound) {
		return es.Record{}, false, nil
	}
	if err != nil {
		return es.Record{}, false, err
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].EventType == typ {
			return recs[i], true, nil
		}
	}
	return es.Record{}, false, nil
}

// waitFor polls cond until it holds, for at most 20 seconds: the process
// manager works in the background, on the events it is delivered.
func waitFor(ctx context.Context, what string, cond func() (es.Record, bool, error)) (es.Record, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		rec, ok, err := cond()
		switch {
		case err != nil && !errors.Is(err, es.ErrNotFound):
			return rec, err
		case ok:
			return rec, nil
		}
		select {
		case <-ctx.Done():
			return rec, fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-tick.C:
		}
	}
}
