package orders

import (
	"testing"
	"time"

	"github.com/esgen/esgen/examples/internal/contracttest"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// clock is the fixed time the decider under test stamps orders with.
var clock = time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)

// items is a valid order of two lines.
var items = []LineItem{
	{SKU: "tea-earl-grey", Qty: 2, PriceCents: 450},
	{SKU: "mug-blue", Qty: 1, PriceCents: 1200},
}

// orderUnderTest returns the definition the cases below exercise. Pass your
// OrderDecider to NewOrderDefinition.
func orderUnderTest() es.Definition[OrderState, OrderCommand, OrderEvent] {
	return contracttest.SchemaChecked(contract, NewOrderDefinition(Decider{Now: func() time.Time { return clock }, Channel: "phone"}))
}

// submitted is the event of a valid Submit decided at clock.
func submitted() OrderSubmitted {
	return OrderSubmitted{Items: items, SubmittedAt: clock, Channel: "phone"}
}

// Submit in Draft moves the Order to Submitted, recording OrderSubmitted.
func TestOrderSubmitFromDraft(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given().
		When(Submit{Items: items}).
		Then(submitted())
	estest.For(t, orderUnderTest()).
		When(Submit{Items: items}).
		ThenState(Submitted{Items: items, SubmittedAt: clock})
}

// ValidatePayment in Submitted moves the Order to Validated, recording
// PaymentValidated.
func TestOrderValidatePaymentToValidatedFromSubmitted(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given(submitted()).
		When(ValidatePayment{PaymentID: "pay-7781"}).
		Then(PaymentValidated{PaymentID: "pay-7781"})
	estest.For(t, orderUnderTest()).
		Given(submitted()).
		When(ValidatePayment{PaymentID: "pay-7781"}).
		ThenState(Validated{PaymentID: "pay-7781"})
}

// ValidatePayment in Submitted moves the Order to Cancelled, recording
// PaymentRejected.
func TestOrderValidatePaymentToCancelledFromSubmitted(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given(submitted()).
		When(ValidatePayment{PaymentID: ""}).
		Then(PaymentRejected{Reason: PaymentRefused})
	estest.For(t, orderUnderTest()).
		Given(submitted()).
		When(ValidatePayment{PaymentID: " \t"}).
		ThenState(Cancelled{Reason: PaymentRefused})
}

// Fulfill in Validated moves the Order to Fulfilled, recording OrderFulfilled.
func TestOrderFulfillFromValidated(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given(submitted(), PaymentValidated{PaymentID: "pay-7781"}).
		When(Fulfill{Tracking: "1Z999AA10123456784"}).
		Then(OrderFulfilled{Tracking: "1Z999AA10123456784"})
	estest.For(t, orderUnderTest()).
		Given(submitted(), PaymentValidated{PaymentID: "pay-7781"}).
		When(Fulfill{Tracking: "1Z999AA10123456784"}).
		ThenState(Fulfilled{Tracking: "1Z999AA10123456784"})
}

// Cancel in Draft moves the Order to Cancelled, recording OrderCancelled.
func TestOrderCancelFromDraft(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given().
		When(Cancel{Reason: "changed my mind"}).
		Then(OrderCancelled{Reason: "changed my mind"})
}

// Cancel in Submitted moves the Order to Cancelled, recording OrderCancelled.
func TestOrderCancelFromSubmitted(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given(submitted()).
		When(Cancel{Reason: "found it cheaper"}).
		Then(OrderCancelled{Reason: "found it cheaper"})
}

// Cancel in Validated moves the Order to Cancelled, recording OrderCancelled.
func TestOrderCancelFromValidated(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given(submitted(), PaymentValidated{PaymentID: "pay-7781"}).
		When(Cancel{Reason: "out of stock"}).
		Then(OrderCancelled{Reason: "out of stock"})
	estest.For(t, orderUnderTest()).
		Given(submitted(), PaymentValidated{PaymentID: "pay-7781"}).
		When(Cancel{Reason: "out of stock"}).
		ThenState(Cancelled{Reason: "out of stock"})
}
