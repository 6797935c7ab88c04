package orders

import (
	"context"
	"fmt"

	"github.com/esgen/esgen/runtime/process"
)

// FulfilmentRules decides the steps of the Fulfilment process. It implements
// FulfilmentDecider. A process's id is its order's, and so are the ids of the
// order's payment and shipment: every command goes to the aggregate of that
// id.
//
//   - A submitted order is charged the sum of its lines (quantity times unit
//     price). An order that costs nothing cannot be charged: its payment is
//     refused, and the order cancelled.
//   - A captured payment is recorded on the order under the provider's
//     reference; a payment captured after it was called off is refunded.
//   - A declined or voided payment cancels the order with its reason.
//   - A payment the order refuses (it was cancelled meanwhile) is refunded.
//   - A recorded payment asks for the parcel; a dispatched parcel fulfils the
//     order under its tracking number.
type FulfilmentRules struct{}

var _ FulfilmentDecider = FulfilmentRules{}

// Reasons the Fulfilment process gives the commands it sends.
const (
	ReasonPaymentOverdue  = "payment overdue"
	ReasonPaymentLate     = "payment captured after it was called off"
	ReasonOrderCancelled  = "order cancelled before its payment was recorded"
	ReasonPaymentRefused  = "the order refused its payment"
	ReasonShipmentRefused = "shipment refused"
)

// OrderSubmitted charges the order's total.
func (FulfilmentRules) OrderSubmitted(_ context.Context, id string, _ FulfilmentIdle, in OrderSubmitted) (FulfilmentOrderSubmittedSends, error) {
	var total int64
	for _, it := range in.Items {
		total += int64(it.Qty) * it.PriceCents
	}
	return FulfilmentOrderSubmittedSends{
		RequestPayment: process.To[RequestPayment]{ID: id, Command: RequestPayment{OrderID: id, AmountCents: total}},
	}, nil
}

// RequestPaymentRejected cancels an order whose payment cannot be asked for.
func (FulfilmentRules) RequestPaymentRejected(_ context.Context, id string, _ FulfilmentPaying, in FulfilmentRequestPaymentRejected) (FulfilmentRequestPaymentRejectedSends, error) {
	return FulfilmentRequestPaymentRejectedSends{Cancel: cancelOrder(id, "payment refused: "+in.Reason)}, nil
}

// PaymentCaptured records the payment on the order while the process waits
// for it, and refunds it once it was called off.
func (FulfilmentRules) PaymentCaptured(_ context.Context, id string, s FulfilmentState, in PaymentCaptured) (FulfilmentPaymentCapturedOutcome, error) {
	switch s.(type) {
	case FulfilmentPaying:
		return FulfilmentPaymentCapturedToValidating(process.To[ValidatePayment]{ID: id, Command: ValidatePayment{PaymentID: in.ProviderRef}}), nil
	case FulfilmentVoiding:
		return FulfilmentPaymentCapturedToAbandoned(refund(id, ReasonPaymentLate), cancelOrder(id, ReasonPaymentOverdue)), nil
	}
	return FulfilmentPaymentCapturedOutcome{}, fmt.Errorf("fulfilment: payment captured in %s", FulfilmentStateName(s))
}

// PaymentDeclined cancels the order with the provider's reason.
func (FulfilmentRules) PaymentDeclined(_ context.Context, id string, _ FulfilmentState, in PaymentDeclined) (FulfilmentPaymentDeclinedSends, error) {
	return FulfilmentPaymentDeclinedSends{Cancel: cancelOrder(id, "payment declined: "+in.Reason)}, nil
}

// PaymentVoided cancels the order with the reason the payment was called off.
func (FulfilmentRules) PaymentVoided(_ context.Context, id string, _ FulfilmentVoiding, in PaymentVoided) (FulfilmentPaymentVoidedSends, error) {
	return FulfilmentPaymentVoidedSends{Cancel: cancelOrder(id, in.Reason)}, nil
}

// VoidPaymentRejected waits: a payment that cannot be called off was
// captured or declined, and that event follows.
func (FulfilmentRules) VoidPaymentRejected(context.Context, string, FulfilmentVoiding, FulfilmentVoidPaymentRejected) error {
	return nil
}

// PaymentValidated asks the warehouse for the parcel.
func (FulfilmentRules) PaymentValidated(_ context.Context, id string, _ FulfilmentValidating, _ PaymentValidated) (FulfilmentPaymentValidatedSends, error) {
	return FulfilmentPaymentValidatedSends{
		RequestShipment: process.To[RequestShipment]{ID: id, Command: RequestShipment{OrderID: id}},
	}, nil
}

// PaymentRejected refunds a payment the order refused.
func (FulfilmentRules) PaymentRejected(_ context.Context, id string, _ FulfilmentValidating, _ PaymentRejected) (FulfilmentPaymentRejectedSends, error) {
	return FulfilmentPaymentRejectedSends{RefundPayment: refund(id, ReasonPaymentRefused)}, nil
}

// ValidatePaymentRejected refunds the payment of an order cancelled while it
// was paid.
func (FulfilmentRules) ValidatePaymentRejected(_ context.Context, id string, _ FulfilmentValidating, _ FulfilmentValidatePaymentRejected) (FulfilmentValidatePaymentRejectedSends, error) {
	return FulfilmentValidatePaymentRejectedSends{RefundPayment: refund(id, ReasonOrderCancelled)}, nil
}

// RequestShipmentRejected refunds and cancels an order the warehouse cannot
// take.
func (FulfilmentRules) RequestShipmentRejected(_ context.Context, id string, _ FulfilmentShipping, in FulfilmentRequestShipmentRejected) (FulfilmentRequestShipmentRejectedSends, error) {
	return FulfilmentRequestShipmentRejectedSends{
		RefundPayment: refund(id, ReasonShipmentRefused),
		Cancel:        cancelOrder(id, ReasonShipmentRefused+": "+in.Reason),
	}, nil
}

// ShipmentDispatched fulfils the order under the parcel's tracking number.
func (FulfilmentRules) ShipmentDispatched(_ context.Context, id string, _ FulfilmentShipping, in ShipmentDispatched) (FulfilmentShipmentDispatchedSends, error) {
	return FulfilmentShipmentDispatchedSends{Fulfill: process.To[Fulfill]{ID: id, Command: Fulfill{Tracking: in.Tracking}}}, nil
}

// PaymentOverdue calls off a payment the provider has not answered in time.
func (FulfilmentRules) PaymentOverdue(_ context.Context, id string, _ FulfilmentPaying, _ FulfilmentPaymentOverdue) (FulfilmentPaymentOverdueSends, error) {
	return FulfilmentPaymentOverdueSends{VoidPayment: process.To[VoidPayment]{ID: id, Command: VoidPayment{Reason: ReasonPaymentOverdue}}}, nil
}

func cancelOrder(id, reason string) process.To[Cancel] {
	return process.To[Cancel]{ID: id, Command: Cancel{Reason: reason}}
}

func refund(id, reason string) process.To[RefundPayment] {
	return process.To[RefundPayment]{ID: id, Command: RefundPayment{Reason: reason}}
}
