package booking

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// chargeUnderTest returns the definition the cases below exercise. Pass your
// ChargeDecider to NewChargeDefinition.
func chargeUnderTest() es.Definition[ChargeState, ChargeCommand, ChargeEvent] {
	return NewChargeDefinition(nil)
}

// Request in None moves the Charge to Pending, recording ChargeRequested.
func TestChargeRequestFromNone(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, chargeUnderTest()).
		Given().
		When(Request{}).
		Then(ChargeRequested{})
}

// Settle in Pending moves the Charge to Paid, recording ChargeSettled.
func TestChargeSettleFromPending(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, chargeUnderTest()).
		Given(ChargeRequested{}).
		When(Settle{}).
		Then(ChargeSettled{})
}

// Fail in Pending moves the Charge to Failed, recording ChargeFailed.
func TestChargeFailFromPending(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, chargeUnderTest()).
		Given(ChargeRequested{}).
		When(Fail{}).
		Then(ChargeFailed{})
}
