package lockers

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// lockerUnderTest returns the definition the cases below exercise. Pass your
// LockerDecider to NewLockerDefinition.
func lockerUnderTest() es.Definition[LockerState, LockerCommand, LockerEvent] {
	return NewLockerDefinition(nil)
}

// Rent in Free moves the Locker to Locked, recording LockerRented.
func TestLockerRentFromFree(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, lockerUnderTest()).
		Given().
		When(Rent{}).
		Then(LockerRented{})
}

// Unlock in Locked moves the Locker to Emptied, recording Unlocked.
func TestLockerUnlockToEmptiedFromLocked(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, lockerUnderTest()).
		Given(LockerRented{}).
		When(Unlock{}).
		Then(Unlocked{})
}

// Unlock in Locked keeps the Locker in Locked, recording UnlockRefused.
func TestLockerUnlockToLockedFromLocked(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, lockerUnderTest()).
		Given(LockerRented{}).
		When(Unlock{}).
		Then(UnlockRefused{})
}
