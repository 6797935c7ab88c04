package orders

import (
	"testing"

	"github.com/esgen/esgen/examples/internal/contracttest"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// paymentUnderTest returns the definition the cases below exercise. Pass your
// PaymentDecider to NewPaymentDefinition.
func paymentUnderTest() es.Definition[PaymentState, PaymentCommand, PaymentEvent] {
	return contracttest.SchemaChecked(contract, NewPaymentDefinition(PaymentRules{}))
}

// requested is the event of a payment of 2,100 cents asked for order o-1.
var requested = PaymentRequested{OrderID: "o-1", AmountCents: 2100}

// captured is requested, charged under the provider's reference ch-55.
var captured = PaymentCaptured{OrderID: "o-1", AmountCents: 2100, ProviderRef: "ch-55"}

// RequestPayment in Unrequested moves the Payment to Pending, recording
// PaymentRequested.
func TestPaymentRequestPaymentFromUnrequested(t *testing.T) {
	estest.For(t, paymentUnderTest()).
		Given().
		When(RequestPayment{OrderID: " o-1 ", AmountCents: 2100}).
		Then(requested)
	estest.For(t, paymentUnderTest()).
		When(RequestPayment{OrderID: "o-1", AmountCents: 2100}).
		ThenState(Pending{OrderID: "o-1", AmountCents: 2100})
	estest.For(t, paymentUnderTest()).
		When(RequestPayment{OrderID: "o-1"}).
		ThenError(ErrNonPositiveAmount)
	estest.For(t, paymentUnderTest()).
		When(RequestPayment{OrderID: " ", AmountCents: 100}).
		ThenError(ErrNoOrder)
}

// CapturePayment in Pending moves the Payment to Captured, recording
// PaymentCaptured.
func TestPaymentCapturePaymentFromPending(t *testing.T) {
	estest.For(t, paymentUnderTest()).
		Given(requested).
		When(CapturePayment{ProviderRef: "ch-55"}).
		Then(captured)
	estest.For(t, paymentUnderTest()).
		Given(requested).
		When(CapturePayment{ProviderRef: "ch-55"}).
		ThenState(Captured{OrderID: "o-1", AmountCents: 2100, ProviderRef: "ch-55"})
	estest.For(t, paymentUnderTest()).
		Given(requested).
		When(CapturePayment{}).
		ThenError(ErrNoProviderRef)
}

// DeclinePayment in Pending moves the Payment to Declined, recording
// PaymentDeclined.
func TestPaymentDeclinePaymentFromPending(t *testing.T) {
	estest.For(t, paymentUnderTest()).
		Given(requested).
		When(DeclinePayment{Reason: "card expired"}).
		Then(PaymentDeclined{OrderID: "o-1", Reason: "card expired"})
	estest.For(t, paymentUnderTest()).
		Given(requested).
		When(DeclinePayment{Reason: "card expired"}).
		ThenState(Declined{OrderID: "o-1", Reason: "card expired"})
	estest.For(t, paymentUnderTest()).
		Given(requested).
		When(DeclinePayment{Reason: "  "}).
		ThenError(ErrNoReason)
}

// VoidPayment in Pending moves the Payment to Voided, recording PaymentVoided.
func TestPaymentVoidPaymentFromPending(t *testing.T) {
	estest.For(t, paymentUnderTest()).
		Given(requested).
		When(VoidPayment{Reason: ReasonPaymentOverdue}).
		Then(PaymentVoided{OrderID: "o-1", Reason: ReasonPaymentOverdue})
	estest.For(t, paymentUnderTest()).
		Given(requested).
		When(VoidPayment{Reason: ReasonPaymentOverdue}).
		ThenState(Voided{OrderID: "o-1", Reason: ReasonPaymentOverdue})
	estest.For(t, paymentUnderTest()).
		Given(requested).
		When(VoidPayment{}).
		ThenError(ErrNoReason)
}

// RefundPayment in Captured moves the Payment to Refunded, recording
// PaymentRefunded with the amount captured.
func TestPaymentRefundPaymentFromCaptured(t *testing.T) {
	estest.For(t, paymentUnderTest()).
		Given(requested, captured).
		When(RefundPayment{Reason: ReasonOrderCancelled}).
		Then(PaymentRefunded{OrderID: "o-1", AmountCents: 2100, Reason: ReasonOrderCancelled})
	estest.For(t, paymentUnderTest()).
		Given(requested, captured).
		When(RefundPayment{Reason: ReasonOrderCancelled}).
		ThenState(Refunded{OrderID: "o-1", AmountCents: 2100, Reason: ReasonOrderCancelled})
	estest.For(t, paymentUnderTest()).
		Given(requested, captured).
		When(RefundPayment{}).
		ThenError(ErrNoReason)
}

// A payment called off cannot be captured any more: the provider's late
// answer is refused, and the Fulfilment process refunds it.
func TestPaymentCaptureAfterVoidRefused(t *testing.T) {
	estest.For(t, paymentUnderTest()).
		Given(requested, PaymentVoided{OrderID: "o-1", Reason: ReasonPaymentOverdue}).
		When(CapturePayment{ProviderRef: "ch-55"}).
		ThenError(es.ErrInvalidTransition)
}
