package payments

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// paymentUnderTest returns the definition the cases below exercise. Pass your
// PaymentDecider (and your Evolver and Upcaster) to NewPaymentDefinition.
func paymentUnderTest() es.Definition[PaymentState, PaymentCommand, PaymentEvent] {
	return NewPaymentDefinition(nil, nil, nil)
}

// TestPaymentEvolveHooks checks your PaymentEvolver (estest.CheckEvolutions):
// every field of an event that payments.esm does not drop, and every field of
// the state left that the new state keeps and payments.esm does not declare
// zero or replaced (set), must change the state your hook returns, so that no
// value is lost, and each hook must be pure and leave its arguments alone.
func TestPaymentEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, paymentUnderTest(), PaymentStateName, paymentEvolutions(), true)
}

// TestPaymentUpcastHooks checks your PaymentUpcaster (estest.CheckUpcasts):
// every field of an old event version that the next version keeps under the
// same name and type, and that payments.esm does not drop, must reach the
// event your hook returns, so that no stored value is lost, and each hook must
// be pure.
func TestPaymentUpcastHooks(t *testing.T) {
	estest.CheckUpcasts(t, paymentUnderTest(), paymentUpcastHooks())
}

// Settle in Pending moves the Payment to Paid, recording PaymentSettled.
func TestPaymentSettleToPaidFromPending(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, paymentUnderTest()).
		Given().
		When(Settle{}).
		Then(PaymentSettled{})
}

// Settle in Pending moves the Payment to Failed, recording PaymentFailed and
// RefundScheduled.
func TestPaymentSettleToFailedFromPending(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, paymentUnderTest()).
		Given().
		When(Settle{}).
		Then(PaymentFailed{}, RefundScheduled{})
}
