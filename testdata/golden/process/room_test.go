package booking

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// roomUnderTest returns the definition the cases below exercise. Pass your
// RoomDecider to NewRoomDefinition.
func roomUnderTest() es.Definition[RoomState, RoomCommand, RoomEvent] {
	return NewRoomDefinition(nil)
}

// Hold in Free moves the Room to Held, recording RoomHeld.
func TestRoomHoldFromFree(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, roomUnderTest()).
		Given().
		When(Hold{}).
		Then(RoomHeld{})
}

// Confirm in Held moves the Room to Booked, recording RoomBooked.
func TestRoomConfirmFromHeld(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, roomUnderTest()).
		Given(RoomHeld{}).
		When(Confirm{}).
		Then(RoomBooked{})
}

// Release in Held moves the Room to Released, recording RoomReleased.
func TestRoomReleaseFromHeld(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, roomUnderTest()).
		Given(RoomHeld{}).
		When(Release{}).
		Then(RoomReleased{})
}
