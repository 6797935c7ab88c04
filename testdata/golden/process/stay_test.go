package booking

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/process"
	"github.com/esgen/esgen/runtime/process/processtest"
)

// stayUnderTest returns the machine of the Stay process that the cases below
// exercise. Pass your StayDecider to stayTestDefinition, which gives the
// process repositories that only lend their codecs.
func stayUnderTest() es.Definition[StayState, StayInput, process.Step[StayInput]] {
	return stayTestDefinition(nil).Machine
}

// RoomHeld in Waiting: Waiting -> Charging, sending Charge.Request.
func TestStayRoomHeldFromWaiting(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	processtest.For(t, stayUnderTest()).
		Given().
		When(RoomHeld{}).
		Then(staySendsRequest(t, "p-1", Request{}))
}

// ChargeSettled in Charging: Charging -> Confirmed, sending Room.Confirm.
func TestStayChargeSettledFromCharging(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	processtest.For(t, stayUnderTest()).
		Given(RoomHeld{}).
		When(ChargeSettled{}).
		Then(staySendsConfirm(t, "p-1", Confirm{}))
}

// ChargeFailed in Charging: Charging -> Dropped, sending Room.Release.
func TestStayChargeFailedFromCharging(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	processtest.For(t, stayUnderTest()).
		Given(RoomHeld{}).
		When(ChargeFailed{}).
		Then(staySendsRelease(t, "p-1", Release{}))
}

// RequestRejected in Charging: Charging -> Dropped, sending Room.Release.
func TestStayRequestRejectedFromCharging(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	processtest.For(t, stayUnderTest()).
		Given(RoomHeld{}).
		When(StayRequestRejected{}).
		Then(staySendsRelease(t, "p-1", Release{}))
}

// PaymentTimedOut in Charging: Charging -> Dropped, sending Room.Release.
func TestStayPaymentTimedOutToDroppedWithRoomReleaseFromCharging(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	processtest.For(t, stayUnderTest()).
		Given(RoomHeld{}).
		When(StayPaymentTimedOut{}).
		Then(staySendsRelease(t, "p-1", Release{}))
}

// PaymentTimedOut in Charging: Charging -> Dropped.
func TestStayPaymentTimedOutToDroppedWithNothingFromCharging(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	processtest.For(t, stayUnderTest()).
		Given(RoomHeld{}).
		When(StayPaymentTimedOut{}).
		Then()
}
