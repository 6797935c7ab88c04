package orders

import (
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/process"
	"github.com/esgen/esgen/runtime/process/processtest"
)

// fulfilmentUnderTest returns the machine of the Fulfilment process that the
// cases below exercise: FulfilmentRules, with repositories that only lend
// their codecs (fulfilmentTestDefinition).
func fulfilmentUnderTest() es.Definition[FulfilmentState, FulfilmentInput, process.Step[FulfilmentInput]] {
	return validatedSteps(fulfilmentTestDefinition(FulfilmentRules{}).Machine)
}

// The process of order o-1, whose lines (items, in order_test.go) come to
// 2 × 450 + 1 × 1200 = 2,100 cents.
var (
	ordered    = OrderSubmitted{Items: items, SubmittedAt: clock, Channel: "web"}
	paid       = PaymentCaptured{OrderID: "o-1", AmountCents: 2100, ProviderRef: "ch-55"}
	overdue    = FulfilmentPaymentOverdue{Due: clock.Add(30 * time.Minute)}
	validated  = PaymentValidated{PaymentID: "ch-55"}
	dispatched = ShipmentDispatched{OrderID: "o-1", Tracking: "TRK-1"}
)

// fulfilment starts a case of the process of order o-1.
func fulfilment(t *testing.T) *processtest.Case[FulfilmentState, FulfilmentInput] {
	return processtest.For(t, fulfilmentUnderTest()).WithID("o-1")
}

// OrderSubmitted in Idle: Idle -> Paying, sending Payment.RequestPayment.
func TestFulfilmentOrderSubmittedFromIdle(t *testing.T) {
	fulfilment(t).
		Given().
		When(ordered).
		Then(fulfilmentSendsRequestPayment(t, "o-1", RequestPayment{OrderID: "o-1", AmountCents: 2100})).
		ThenState(FulfilmentStateName, "Paying")
}

// RequestPaymentRejected in Paying: Paying -> Abandoned, sending Order.Cancel.
func TestFulfilmentRequestPaymentRejectedFromPaying(t *testing.T) {
	fulfilment(t).
		Given(ordered).
		When(FulfilmentRequestPaymentRejected{ID: "o-1", Reason: ErrNonPositiveAmount.Error()}).
		Then(fulfilmentSendsCancel(t, "o-1", Cancel{Reason: "payment refused: " + ErrNonPositiveAmount.Error()})).
		ThenState(FulfilmentStateName, "Abandoned")
}

// PaymentCaptured in Paying: Paying -> Validating, sending
// Order.ValidatePayment.
func TestFulfilmentPaymentCapturedToValidatingFromPaying(t *testing.T) {
	fulfilment(t).
		Given(ordered).
		When(paid).
		Then(fulfilmentSendsValidatePayment(t, "o-1", ValidatePayment{PaymentID: "ch-55"})).
		ThenState(FulfilmentStateName, "Validating")
}

// PaymentCaptured in Voiding: Voiding -> Abandoned, sending
// Payment.RefundPayment and Order.Cancel.
func TestFulfilmentPaymentCapturedToAbandonedFromVoiding(t *testing.T) {
	fulfilment(t).
		Given(ordered, overdue).
		When(paid).
		Then(fulfilmentSendsRefundPayment(t, "o-1", RefundPayment{Reason: ReasonPaymentLate}), fulfilmentSendsCancel(t, "o-1", Cancel{Reason: ReasonPaymentOverdue})).
		ThenState(FulfilmentStateName, "Abandoned")
}

// PaymentDeclined in Paying: Paying, Voiding -> Abandoned, sending
// Order.Cancel.
func TestFulfilmentPaymentDeclinedFromPaying(t *testing.T) {
	fulfilment(t).
		Given(ordered).
		When(PaymentDeclined{OrderID: "o-1", Reason: "card expired"}).
		Then(fulfilmentSendsCancel(t, "o-1", Cancel{Reason: "payment declined: card expired"})).
		ThenState(FulfilmentStateName, "Abandoned")
}

// PaymentDeclined in Voiding: Paying, Voiding -> Abandoned, sending
// Order.Cancel.
func TestFulfilmentPaymentDeclinedFromVoiding(t *testing.T) {
	fulfilment(t).
		Given(ordered, overdue).
		When(PaymentDeclined{OrderID: "o-1", Reason: "card expired"}).
		Then(fulfilmentSendsCancel(t, "o-1", Cancel{Reason: "payment declined: card expired"})).
		ThenState(FulfilmentStateName, "Abandoned")
}

// PaymentVoided in Voiding: Voiding -> Abandoned, sending Order.Cancel.
func TestFulfilmentPaymentVoidedFromVoiding(t *testing.T) {
	fulfilment(t).
		Given(ordered, overdue).
		When(PaymentVoided{OrderID: "o-1", Reason: ReasonPaymentOverdue}).
		Then(fulfilmentSendsCancel(t, "o-1", Cancel{Reason: ReasonPaymentOverdue})).
		ThenState(FulfilmentStateName, "Abandoned")
}

// VoidPaymentRejected in Voiding: Voiding -> Voiding, sending nothing: the
// payment's own event follows.
func TestFulfilmentVoidPaymentRejectedFromVoiding(t *testing.T) {
	fulfilment(t).
		Given(ordered, overdue).
		When(FulfilmentVoidPaymentRejected{ID: "o-1", Command: VoidPayment{Reason: ReasonPaymentOverdue}, Reason: "Payment: command VoidPayment is not allowed in state Captured"}).
		Then().
		ThenState(FulfilmentStateName, "Voiding")
	// The capture that made the void fail then refunds the payment.
	fulfilment(t).
		Given(ordered, overdue, FulfilmentVoidPaymentRejected{ID: "o-1"}).
		When(paid).
		Then(fulfilmentSendsRefundPayment(t, "o-1", RefundPayment{Reason: ReasonPaymentLate}), fulfilmentSendsCancel(t, "o-1", Cancel{Reason: ReasonPaymentOverdue}))
}

// PaymentValidated in Validating: Validating -> Shipping, sending
// Shipment.RequestShipment.
func TestFulfilmentPaymentValidatedFromValidating(t *testing.T) {
	fulfilment(t).
		Given(ordered, paid).
		When(validated).
		Then(fulfilmentSendsRequestShipment(t, "o-1", RequestShipment{OrderID: "o-1"})).
		ThenState(FulfilmentStateName, "Shipping")
}

// PaymentRejected in Validating: Validating -> Abandoned, sending
// Payment.RefundPayment.
func TestFulfilmentPaymentRejectedFromValidating(t *testing.T) {
	fulfilment(t).
		Given(ordered, paid).
		When(PaymentRejected{Reason: PaymentRefused}).
		Then(fulfilmentSendsRefundPayment(t, "o-1", RefundPayment{Reason: ReasonPaymentRefused})).
		ThenState(FulfilmentStateName, "Abandoned")
}

// ValidatePaymentRejected in Validating: Validating -> Abandoned, sending
// Payment.RefundPayment.
func TestFulfilmentValidatePaymentRejectedFromValidating(t *testing.T) {
	fulfilment(t).
		Given(ordered, paid).
		When(FulfilmentValidatePaymentRejected{ID: "o-1", Command: ValidatePayment{PaymentID: "ch-55"}, Reason: "Order: command ValidatePayment is not allowed in state Cancelled"}).
		Then(fulfilmentSendsRefundPayment(t, "o-1", RefundPayment{Reason: ReasonOrderCancelled})).
		ThenState(FulfilmentStateName, "Abandoned")
}

// RequestShipmentRejected in Shipping: Shipping -> Abandoned, sending
// Payment.RefundPayment and Order.Cancel.
func TestFulfilmentRequestShipmentRejectedFromShipping(t *testing.T) {
	fulfilment(t).
		Given(ordered, paid, validated).
		When(FulfilmentRequestShipmentRejected{ID: "o-1", Command: RequestShipment{OrderID: "o-1"}, Reason: "no stock"}).
		Then(fulfilmentSendsRefundPayment(t, "o-1", RefundPayment{Reason: ReasonShipmentRefused}), fulfilmentSendsCancel(t, "o-1", Cancel{Reason: ReasonShipmentRefused + ": no stock"})).
		ThenState(FulfilmentStateName, "Abandoned")
}

// ShipmentDispatched in Shipping: Shipping -> Done, sending Order.Fulfill.
func TestFulfilmentShipmentDispatchedFromShipping(t *testing.T) {
	fulfilment(t).
		Given(ordered, paid, validated).
		When(dispatched).
		Then(fulfilmentSendsFulfill(t, "o-1", Fulfill{Tracking: "TRK-1"})).
		ThenState(FulfilmentStateName, "Done")
}

// PaymentOverdue in Paying: Paying -> Voiding, sending Payment.VoidPayment.
func TestFulfilmentPaymentOverdueFromPaying(t *testing.T) {
	fulfilment(t).
		Given(ordered).
		When(overdue).
		Then(fulfilmentSendsVoidPayment(t, "o-1", VoidPayment{Reason: ReasonPaymentOverdue})).
		ThenState(FulfilmentStateName, "Voiding")
}

// An input the state does not accept is refused: a payment captured once
// the order is shipping changes nothing.
func TestFulfilmentInputOutOfTurn(t *testing.T) {
	fulfilment(t).
		Given(ordered, paid, validated).
		When(paid).
		ThenError(es.ErrInvalidTransition)
}
