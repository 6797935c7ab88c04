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

// Unlock in Locked moves the Locker to Emptied, recording Unlocked.
func TestLockerUnlockToEmptiedFromLocked(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, lockerUnderTest()).
		Given().
		When(Unlock{}).
		Then(Unlocked{})
}

// Unlock in Locked keeps the Locker in Locked, recording UnlockRefused.
func TestLockerUnlockToLockedFromLocked(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, lockerUnderTest()).
		Given().
		When(Unlock{}).
		Then(UnlockRefused{})
}
