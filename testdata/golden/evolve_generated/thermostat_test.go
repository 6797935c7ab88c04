package climate

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// thermostatUnderTest returns the definition the cases below exercise. Pass
// your ThermostatDecider to NewThermostatDefinition.
func thermostatUnderTest() es.Definition[ThermostatState, ThermostatCommand, ThermostatEvent] {
	return NewThermostatDefinition(nil)
}

// Heat in Installed moves the Thermostat to Heating, recording HeatingStarted.
func TestThermostatHeatFromInstalled(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, thermostatUnderTest()).
		Given().
		When(Heat{}).
		Then(HeatingStarted{})
}

// Retarget in Heating keeps the Thermostat in Heating, recording
// TargetChanged.
func TestThermostatRetargetFromHeating(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, thermostatUnderTest()).
		Given(HeatingStarted{}).
		When(Retarget{}).
		Then(TargetChanged{})
}

// Remove in Installed moves the Thermostat to Removed, recording
// ThermostatRemoved.
func TestThermostatRemoveFromInstalled(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, thermostatUnderTest()).
		Given().
		When(Remove{}).
		Then(ThermostatRemoved{})
}

// Remove in Heating moves the Thermostat to Removed, recording
// ThermostatRemoved.
func TestThermostatRemoveFromHeating(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, thermostatUnderTest()).
		Given(HeatingStarted{}).
		When(Remove{}).
		Then(ThermostatRemoved{})
}
