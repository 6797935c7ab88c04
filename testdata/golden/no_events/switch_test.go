package switches

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// switchUnderTest returns the definition the cases below exercise. Pass your
// SwitchDecider to NewSwitchDefinition.
func switchUnderTest() es.Definition[SwitchState, SwitchCommand, SwitchEvent] {
	return NewSwitchDefinition(nil)
}

// Ping in Idle keeps the Switch in Idle.
func TestSwitchPingFromIdle(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, switchUnderTest()).
		Given().
		When(Ping{}).
		Then()
}
