package shop

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// cartUnderTest returns the definition the cases below exercise. Pass your
// CartDecider (and your Evolver) to NewCartDefinition.
func cartUnderTest() es.Definition[CartState, CartCommand, CartEvent] {
	return NewCartDefinition(nil, nil)
}

// TestCartEvolveHooks checks your CartEvolver (estest.CheckEvolutions): every
// field of an event that shop.esm does not drop, and every field of the state
// left that the new state keeps and shop.esm does not declare zero or replaced
// (set), must change the state your hook returns, so that no value is lost,
// and each hook must be pure and leave its arguments alone.
func TestCartEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, cartUnderTest(), CartStateName, cartEvolutions(), true)
}

// AddItem in Open keeps the Cart in Open, recording ItemAdded.
func TestCartAddItemFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, cartUnderTest()).
		Given().
		When(AddItem{}).
		Then(ItemAdded{})
}

// CheckOut in Open moves the Cart to Closed, recording CheckedOut.
func TestCartCheckOutFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, cartUnderTest()).
		Given().
		When(CheckOut{}).
		Then(CheckedOut{})
}
