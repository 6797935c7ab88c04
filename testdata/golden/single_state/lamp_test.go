package lamp

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// lampUnderTest returns the definition the cases below exercise. Pass your
// LampDecider to NewLampDefinition.
func lampUnderTest() es.Definition[LampState, LampCommand, LampEvent] {
	return NewLampDefinition(nil)
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
