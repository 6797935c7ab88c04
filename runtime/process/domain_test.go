package process_test

// A small order fulfilment, written by hand as esgen would generate it:
// three aggregates (Order, Payment, Ledger) and two processes
// (Fulfilment, and Audit for the tests of dedupe windows).
//
//	process Fulfilment {
//	    correlate Payment by order
//	    state Idle initial; state Paying; state Done final; state Abandoned final
//	    on Order.OrderSubmitted: Idle -> Paying sends Payment.RequestPayment
//	    on Payment.PaymentSucceeded: Paying -> Done sends Order.MarkPaid, Ledger.Credit
//	    on Payment.PaymentFailed: Paying -> Abandoned sends Order.Cancel
//	    on rejected Payment.RequestPayment: Paying -> Abandoned sends Order.Cancel
//	    after 30m in Paying as PaymentOverdue: Paying -> Abandoned sends Order.Cancel
//	}

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/process"
)

// union encodes the values of a sealed interface T as JSON, by the name
// of their type.
type union[T any] map[string]func(json.RawMessage) (T, error)

func member[T, C any](u union[T]) {
	var c C
	u[reflect.TypeOf(c).Name()] = func(data json.RawMessage) (T, error) {
		var v C
		if err := json.Unmarshal(data, &v); err != nil {
			var zero T
			return zero, fmt.Errorf("%w: %w", es.ErrCorruptEvent, err)
		}
		return any(v).(T), nil
	}
}

func typeName(v any) string { return reflect.TypeOf(v).Name() }

// Encode implements es.EventCodec.
func (u union[T]) Encode(_ []byte, e T) (es.RawEvent, error) {
	data, err := json.Marshal(e)
	return es.RawEvent{Type: typeName(e), SchemaVersion: 1, Data: data}, err
}

// Decode implements es.EventCodec.
func (u union[T]) Decode(eventType string, schemaVersion int, data []byte) (T, error) {
	var zero T
	f, ok := u[eventType]
	if !ok {
		return zero, &es.DecodeError{EventType: eventType, SchemaVersion: schemaVersion, Err: es.ErrUnknownEventType}
	}
	if schemaVersion != 1 {
		return zero, &es.DecodeError{EventType: eventType, SchemaVersion: schemaVersion, Err: es.ErrUnknownSchemaVersion}
	}
	return f(data)
}

// ---- Order ----

type Order struct {
	Status string // Draft, Submitted, Paid, Cancelled
	Amount int64
	Reason string
}

type OrderCommand interface{ isOrderCommand() }
type (
	Submit   struct{ Amount int64 }
	MarkPaid struct{}
	Cancel   struct{ Reason string }
)

func (Submit) isOrderCommand()   {}
func (MarkPaid) isOrderCommand() {}
func (Cancel) isOrderCommand()   {}

type OrderEvent interface{ isOrderEvent() }
type (
	OrderSubmitted struct{ Amount int64 }
	OrderPaid      struct{}
	OrderCancelled struct{ Reason string }
)

func (OrderSubmitted) isOrderEvent() {}
func (OrderPaid) isOrderEvent()      {}
func (OrderCancelled) isOrderEvent() {}

func orderCodec() union[OrderEvent] {
	u := union[OrderEvent]{}
	member[OrderEvent, OrderSubmitted](u)
	member[OrderEvent, OrderPaid](u)
	member[OrderEvent, OrderCancelled](u)
	return u
}

func orderDefinition() es.Definition[Order, OrderCommand, OrderEvent] {
	return es.Definition[Order, OrderCommand, OrderEvent]{
		Type:    "Order",
		Initial: func() Order { return Order{Status: "Draft"} },
		Creates: func(c OrderCommand) bool { _, ok := c.(Submit); return ok },
		Decide: func(_ context.Context, o Order, c OrderCommand, evs []OrderEvent) ([]OrderEvent, error) {
			switch c := c.(type) {
			case Submit:
				if o.Status == "Draft" {
					return append(evs, OrderSubmitted(c)), nil
				}
			case MarkPaid:
				if o.Status == "Submitted" {
					return append(evs, OrderPaid{}), nil
				}
			case Cancel:
				if o.Status == "Submitted" {
					return append(evs, OrderCancelled(c)), nil
				}
			}
			return nil, &es.InvalidTransitionError{Aggregate: "Order", State: o.Status, Command: typeName(c)}
		},
		Evolve: func(o Order, e OrderEvent) (Order, error) {
			switch e := e.(type) {
			case OrderSubmitted:
				o.Status, o.Amount = "Submitted", e.Amount
			case OrderPaid:
				o.Status = "Paid"
			case OrderCancelled:
				o.Status, o.Reason = "Cancelled", e.Reason
			}
			return o, nil
		},
		Events: orderCodec(),
	}
}

// ---- Payment: one per order, its id the order's ----

type Payment struct {
	Status string // None, Requested, Succeeded, Failed
	Order  string
	Amount int64
}

type PaymentCommand interface{ isPaymentCommand() }
type (
	// RequestPayment of up to autoApprove succeeds at once, of more than
	// limit is refused, and waits for Approve or Decline in between.
	RequestPayment struct {
		Order  string
		Amount int64
	}
	Approve struct{}
	Decline struct{}
)

func (RequestPayment) isPaymentCommand() {}
func (Approve) isPaymentCommand()        {}
func (Decline) isPaymentCommand()        {}

const (
	autoApprove = 100
	limit       = 1000
)

var errOverLimit = errors.New("payment over the limit")

type PaymentEvent interface{ isPaymentEvent() }
type (
	PaymentRequested struct {
		Order  string
		Amount int64
	}
	PaymentSucceeded struct {
		Order  string
		Amount int64
	}
	PaymentFailed struct{ Order string }
)

func (PaymentRequested) isPaymentEvent() {}
func (PaymentSucceeded) isPaymentEvent() {}
func (PaymentFailed) isPaymentEvent()    {}

func paymentCodec() union[PaymentEvent] {
	u := union[PaymentEvent]{}
	member[PaymentEvent, PaymentRequested](u)
	member[PaymentEvent, PaymentSucceeded](u)
	member[PaymentEvent, PaymentFailed](u)
	return u
}

func paymentDefinition() es.Definition[Payment, PaymentCommand, PaymentEvent] {
	return es.Definition[Payment, PaymentCommand, PaymentEvent]{
		Type:    "Payment",
		Initial: func() Payment { return Payment{Status: "None"} },
		Creates: func(c PaymentCommand) bool { _, ok := c.(RequestPayment); return ok },
		Decide: func(_ context.Context, p Payment, c PaymentCommand, evs []PaymentEvent) ([]PaymentEvent, error) {
			switch c := c.(type) {
			case RequestPayment:
				if p.Status != "None" {
					break
				}
				switch {
				case c.Amount > limit:
					return nil, fmt.Errorf("%w: %d", errOverLimit, c.Amount)
				case c.Amount <= autoApprove:
					return append(evs, PaymentSucceeded(c)), nil
				}
				return append(evs, PaymentRequested(c)), nil
			case Approve:
				if p.Status == "Requested" {
					return append(evs, PaymentSucceeded{Order: p.Order, Amount: p.Amount}), nil
				}
			case Decline:
				if p.Status == "Requested" {
					return append(evs, PaymentFailed{Order: p.Order}), nil
				}
			}
			return nil, &es.InvalidTransitionError{Aggregate: "Payment", State: p.Status, Command: typeName(c)}
		},
		Evolve: func(p Payment, e PaymentEvent) (Payment, error) {
			switch e := e.(type) {
			case PaymentRequested:
				p.Status, p.Order, p.Amount = "Requested", e.Order, e.Amount
			case PaymentSucceeded:
				p.Status, p.Order, p.Amount = "Succeeded", e.Order, e.Amount
			case PaymentFailed:
				p.Status = "Failed"
			}
			return p, nil
		},
		Events: paymentCodec(),
	}
}

// ---- Ledger: credits add up; every credit is accepted ----

type Ledger struct {
	Total   int64
	Credits int
}

type LedgerCommand interface{ isLedgerCommand() }
type Credit struct{ Amount int64 }

func (Credit) isLedgerCommand() {}

type LedgerEvent interface{ isLedgerEvent() }
type Credited struct{ Amount int64 }

func (Credited) isLedgerEvent() {}

func ledgerDefinition() es.Definition[Ledger, LedgerCommand, LedgerEvent] {
	u := union[LedgerEvent]{}
	member[LedgerEvent, Credited](u)
	return es.Definition[Ledger, LedgerCommand, LedgerEvent]{
		Type:    "Ledger",
		Initial: func() Ledger { return Ledger{} },
		Decide: func(_ context.Context, _ Ledger, c LedgerCommand, evs []LedgerEvent) ([]LedgerEvent, error) {
			return append(evs, Credited(c.(Credit))), nil
		},
		Evolve: func(l Ledger, e LedgerEvent) (Ledger, error) {
			l.Total += e.(Credited).Amount
			l.Credits++
			return l, nil
		},
		Events: u,
	}
}

// ---- the aggregates' repositories, as a process's generated code gets them ----

type aggregates struct {
	store    es.Store
	orders   *es.Repository[Order, OrderCommand, OrderEvent]
	payments *es.Repository[Payment, PaymentCommand, PaymentEvent]
	ledgers  *es.Repository[Ledger, LedgerCommand, LedgerEvent]
}

func newAggregates(store es.Store, opts ...es.RepositoryOption) *aggregates {
	return &aggregates{
		store:    store,
		orders:   es.NewRepository(store, orderDefinition(), opts...),
		payments: es.NewRepository(store, paymentDefinition(), opts...),
		ledgers:  es.NewRepository(store, ledgerDefinition(), opts...),
	}
}

// send encodes a command for a process's step.
func send(aggregate, id string, cmd any) process.Send {
	data, err := json.Marshal(cmd)
	if err != nil {
		panic(err)
	}
	return process.Send{Aggregate: aggregate, ID: id, Command: typeName(cmd), Data: data}
}

func decodeCommand[C any](s process.Send) (C, error) {
	var c C
	err := json.Unmarshal(s.Data, &c)
	return c, err
}

// dispatch hands a send to its aggregate's repository, as generated code
// does.
func (a *aggregates) dispatch(ctx context.Context, s process.Send, opts ...es.HandleOption) error {
	var err error
	switch s.Aggregate + "." + s.Command {
	case "Order.MarkPaid":
		_, err = a.orders.Handle(ctx, s.ID, MarkPaid{}, opts...)
	case "Order.Cancel":
		var c Cancel
		if c, err = decodeCommand[Cancel](s); err == nil {
			_, err = a.orders.Handle(ctx, s.ID, c, opts...)
		}
	case "Payment.RequestPayment":
		var c RequestPayment
		if c, err = decodeCommand[RequestPayment](s); err == nil {
			_, err = a.payments.Handle(ctx, s.ID, c, opts...)
		}
	case "Ledger.Credit":
		var c Credit
		if c, err = decodeCommand[Credit](s); err == nil {
			_, err = a.ledgers.Handle(ctx, s.ID, c, opts...)
		}
	default:
		err = fmt.Errorf("no command %s of %s", s.Command, s.Aggregate)
	}
	return err
}

// sent reports whether the aggregate of s holds command commandID,
// reading its whole history, as generated code does.
func (a *aggregates) sent(ctx context.Context, s process.Send, commandID string) (bool, error) {
	first := es.EventID(commandID, 0)
	for rec, err := range a.store.Read(ctx, es.Ref{Type: s.Aggregate, ID: s.ID}, es.Position{}) {
		if err != nil {
			return false, err
		}
		if rec.EventID == first {
			return true, nil
		}
	}
	return false, nil
}

// ---- the Fulfilment process ----

type Fulfilment struct {
	Status string // Idle, Paying, Done, Abandoned
	Amount int64
}

type FulfilmentInput interface{ isFulfilmentInput() }
type (
	Submitted      struct{ Amount int64 }  // Order.OrderSubmitted
	Succeeded      struct{ Amount int64 }  // Payment.PaymentSucceeded
	Failed         struct{}                // Payment.PaymentFailed
	PaymentRefused struct{ Reason string } // rejected Payment.RequestPayment
	PaymentOverdue struct{ Due time.Time } // after 30m in Paying
)

func (Submitted) isFulfilmentInput()      {}
func (Succeeded) isFulfilmentInput()      {}
func (Failed) isFulfilmentInput()         {}
func (PaymentRefused) isFulfilmentInput() {}
func (PaymentOverdue) isFulfilmentInput() {}

// stepCodec stores a process's steps as JSON: the input by its type's
// name, the states, the sends.
type stepCodec[I any] struct{ inputs union[I] }

type stepJSON struct {
	From, To  string
	InputType string
	Input     json.RawMessage
	Sends     []process.Send
}

func (c stepCodec[I]) Encode(_ []byte, s process.Step[I]) (es.RawEvent, error) {
	in, err := json.Marshal(s.Input)
	if err != nil {
		return es.RawEvent{}, err
	}
	data, err := json.Marshal(stepJSON{From: s.From, To: s.To, InputType: typeName(s.Input), Input: in, Sends: s.Sends})
	return es.RawEvent{Type: typeName(s.Input), SchemaVersion: 1, Data: data}, err
}

func (c stepCodec[I]) Decode(eventType string, schemaVersion int, data []byte) (process.Step[I], error) {
	var sj stepJSON
	if err := json.Unmarshal(data, &sj); err != nil {
		return process.Step[I]{}, fmt.Errorf("%w: %w", es.ErrCorruptEvent, err)
	}
	in, err := c.inputs.Decode(sj.InputType, schemaVersion, sj.Input)
	if err != nil {
		return process.Step[I]{}, err
	}
	return process.Step[I]{Input: in, From: sj.From, To: sj.To, Sends: sj.Sends}, nil
}

// ledgerOf names the ledger an order's payment is credited to.
type ledgerOf func(order string) string

func perOrder(order string) string { return "l-" + order }

func fulfilmentDefinition(a *aggregates, ledger ledgerOf) process.Definition[Fulfilment, FulfilmentInput] {
	inputs := union[FulfilmentInput]{}
	member[FulfilmentInput, Submitted](inputs)
	member[FulfilmentInput, Succeeded](inputs)
	member[FulfilmentInput, Failed](inputs)
	member[FulfilmentInput, PaymentRefused](inputs)
	member[FulfilmentInput, PaymentOverdue](inputs)
	orders, payments := orderCodec(), paymentCodec()
	step := func(steps []process.Step[FulfilmentInput], in FulfilmentInput, from, to string, sends ...process.Send) []process.Step[FulfilmentInput] {
		return append(steps, process.Step[FulfilmentInput]{Input: in, From: from, To: to, Sends: sends})
	}
	return process.Definition[Fulfilment, FulfilmentInput]{
		Machine: es.Definition[Fulfilment, FulfilmentInput, process.Step[FulfilmentInput]]{
			Type:    "Fulfilment",
			Initial: func() Fulfilment { return Fulfilment{Status: "Idle"} },
			Creates: func(in FulfilmentInput) bool { _, ok := in.(Submitted); return ok },
			Decide: func(ctx context.Context, f Fulfilment, in FulfilmentInput, steps []process.Step[FulfilmentInput]) ([]process.Step[FulfilmentInput], error) {
				ref, _ := es.RefFromContext(ctx)
				order := ref.ID
				switch in := in.(type) {
				case Submitted:
					if f.Status == "Idle" {
						return step(steps, in, "Idle", "Paying", send("Payment", order, RequestPayment{Order: order, Amount: in.Amount})), nil
					}
				case Succeeded:
					if f.Status == "Paying" {
						return step(steps, in, "Paying", "Done", send("Order", order, MarkPaid{}), send("Ledger", ledger(order), Credit{Amount: in.Amount})), nil
					}
				case Failed:
					if f.Status == "Paying" {
						return step(steps, in, "Paying", "Abandoned", send("Order", order, Cancel{Reason: "payment failed"})), nil
					}
				case PaymentRefused:
					if f.Status == "Paying" {
						return step(steps, in, "Paying", "Abandoned", send("Order", order, Cancel{Reason: "payment refused"})), nil
					}
				case PaymentOverdue:
					if f.Status == "Paying" {
						return step(steps, in, "Paying", "Abandoned", send("Order", order, Cancel{Reason: "payment overdue"})), nil
					}
				}
				return nil, &es.InvalidTransitionError{Aggregate: "Fulfilment", State: f.Status, Command: typeName(in)}
			},
			Evolve: func(f Fulfilment, s process.Step[FulfilmentInput]) (Fulfilment, error) {
				if f.Status != s.From {
					return f, &es.InvalidEvolutionError{Aggregate: "Fulfilment", State: f.Status, Event: typeName(s.Input)}
				}
				f.Status = s.To
				if in, ok := s.Input.(Submitted); ok {
					f.Amount = in.Amount
				}
				return f, nil
			},
			Events: stepCodec[FulfilmentInput]{inputs: inputs},
		},
		Sources: []string{"Order", "Payment"},
		Input: func(rec es.Record) (string, FulfilmentInput, bool, error) {
			switch rec.AggregateType {
			case "Order":
				e, err := orders.Decode(rec.EventType, rec.SchemaVersion, rec.Data)
				if err != nil {
					return "", nil, false, err
				}
				if e, ok := e.(OrderSubmitted); ok {
					return rec.AggregateID, Submitted(e), true, nil
				}
			case "Payment":
				e, err := payments.Decode(rec.EventType, rec.SchemaVersion, rec.Data)
				if err != nil {
					return "", nil, false, err
				}
				switch e := e.(type) {
				case PaymentSucceeded:
					return e.Order, Succeeded{Amount: e.Amount}, true, nil
				case PaymentFailed:
					return e.Order, Failed{}, true, nil
				}
			}
			return "", nil, false, nil
		},
		Rejected: func(s process.Send, err error) (FulfilmentInput, bool) {
			if s.Aggregate == "Payment" && s.Command == "RequestPayment" {
				return PaymentRefused{Reason: err.Error()}, true
			}
			return nil, false
		},
		Timers: map[string][]process.Timer[FulfilmentInput]{
			"Paying": {{Name: "PaymentOverdue", After: 30 * time.Minute,
				Input: func(due time.Time) FulfilmentInput { return PaymentOverdue{Due: due} }}},
		},
		StateName: func(f Fulfilment) string { return f.Status },
		Dispatch:  a.dispatch,
		Sent:      a.sent,
	}
}

// ---- the Audit process: one instance counts every order submitted ----
//
//	process Audit {
//	    correlate Order by "all"
//	    state Watching initial
//	    on Order.OrderSubmitted: Watching -> Watching sends Ledger.Credit
//	}
//
// Its instance handles an input per order, and every one is accepted: a
// step decided twice would be stored twice, a credit sent twice applied
// twice.

type Audit struct{ Seen int }

type AuditInput interface{ isAuditInput() }
type Seen struct{ Order string }

func (Seen) isAuditInput() {}

func auditDefinition(a *aggregates) process.Definition[Audit, AuditInput] {
	return namedAudit(a, "Audit")
}

// namedAudit is the Audit process under another name: a second process
// reacting to the same events and sending the same commands to the same
// ledger.
func namedAudit(a *aggregates, name string) process.Definition[Audit, AuditInput] {
	inputs := union[AuditInput]{}
	member[AuditInput, Seen](inputs)
	orders := orderCodec()
	return process.Definition[Audit, AuditInput]{
		Machine: es.Definition[Audit, AuditInput, process.Step[AuditInput]]{
			Type:    name,
			Initial: func() Audit { return Audit{} },
			Decide: func(_ context.Context, _ Audit, in AuditInput, steps []process.Step[AuditInput]) ([]process.Step[AuditInput], error) {
				return append(steps, process.Step[AuditInput]{Input: in, From: "Watching", To: "Watching",
					Sends: []process.Send{send("Ledger", "audit", Credit{Amount: 1})}}), nil
			},
			Evolve: func(s Audit, _ process.Step[AuditInput]) (Audit, error) { s.Seen++; return s, nil },
			Events: stepCodec[AuditInput]{inputs: inputs},
		},
		Sources: []string{"Order"},
		Input: func(rec es.Record) (string, AuditInput, bool, error) {
			e, err := orders.Decode(rec.EventType, rec.SchemaVersion, rec.Data)
			if err != nil {
				return "", nil, false, err
			}
			if _, ok := e.(OrderSubmitted); ok {
				return "all", Seen{Order: rec.AggregateID}, true, nil
			}
			return "", nil, false, nil
		},
		StateName: func(Audit) string { return "Watching" },
		Dispatch:  a.dispatch,
		Sent:      a.sent,
	}
}
