package orders

import (
	"testing"

	"github.com/esgen/esgen/examples/internal/contracttest"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// shipmentUnderTest returns the definition the cases below exercise. Pass your
// ShipmentDecider to NewShipmentDefinition.
func shipmentUnderTest() es.Definition[ShipmentState, ShipmentCommand, ShipmentEvent] {
	return contracttest.SchemaChecked(contract, NewShipmentDefinition(ShipmentRules{}))
}

// RequestShipment in Unplanned moves the Shipment to Packing, recording
// ShipmentRequested.
func TestShipmentRequestShipmentFromUnplanned(t *testing.T) {
	estest.For(t, shipmentUnderTest()).
		Given().
		When(RequestShipment{OrderID: "o-1 "}).
		Then(ShipmentRequested{OrderID: "o-1"})
	estest.For(t, shipmentUnderTest()).
		When(RequestShipment{OrderID: "o-1"}).
		ThenState(Packing{OrderID: "o-1"})
	estest.For(t, shipmentUnderTest()).
		When(RequestShipment{}).
		ThenError(ErrNoOrder)
}

// DispatchShipment in Packing moves the Shipment to Dispatched, recording
// ShipmentDispatched.
func TestShipmentDispatchShipmentFromPacking(t *testing.T) {
	estest.For(t, shipmentUnderTest()).
		Given(ShipmentRequested{OrderID: "o-1"}).
		When(DispatchShipment{Tracking: "TRK-1"}).
		Then(ShipmentDispatched{OrderID: "o-1", Tracking: "TRK-1"})
	estest.For(t, shipmentUnderTest()).
		Given(ShipmentRequested{OrderID: "o-1"}).
		When(DispatchShipment{Tracking: "TRK-1"}).
		ThenState(Dispatched{OrderID: "o-1", Tracking: "TRK-1"})
	estest.For(t, shipmentUnderTest()).
		Given(ShipmentRequested{OrderID: "o-1"}).
		When(DispatchShipment{Tracking: ""}).
		ThenError(ErrNoTracking)
}
