package lamp

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// lampUnderTest returns the definition the cases below exercise. Pass your
// LampDecider (and your Evolver) to NewLampDefinition.
func lampUnderTest() es.Definition[LampState, LampCommand, LampEvent] {
	return NewLampDefinition(nil, nil)
}

// TestLampEvolveHooks checks your LampEvolver (estest.CheckEvolutions): every
// field of an event that lamp.esm does not drop, and every field of the state
// left that the new state keeps and lamp.esm does not declare zero or replaced
// (set), must change the state your hook returns, so that no value is lost,
// and each hook must be pure and leave its arguments alone.
func TestLampEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, lampUnderTest(), LampStateName, lampEvolutions(), true)
}

// Ping in Lit keeps the Lamp in Lit.
func TestLampPingFromLit(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, lampUnderTest()).
		Given().
		When(Ping{}).
		Then()
}

// Paint in Lit keeps the Lamp in Lit, recording Painted.
func TestLampPaintFromLit(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, lampUnderTest()).
		Given().
		When(Paint{}).
		Then(Painted{})
}
