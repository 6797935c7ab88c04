package orders

import (
	"context"
	"strings"
)

// ShipmentRules holds the business rules of a shipment. It implements
// ShipmentDecider: RequestShipment needs the order's id, DispatchShipment a
// tracking number. Text fields are recorded without surrounding blanks.
type ShipmentRules struct{}

var _ ShipmentDecider = ShipmentRules{}

// RequestShipment hands an order to the warehouse.
func (ShipmentRules) RequestShipment(_ context.Context, _ Unplanned, c RequestShipment) (ShipmentRequested, error) {
	id := strings.TrimSpace(c.OrderID)
	if id == "" {
		return ShipmentRequested{}, ErrNoOrder
	}
	return ShipmentRequested{OrderID: id}, nil
}

// DispatchShipment records the parcel leaving under its tracking number.
func (ShipmentRules) DispatchShipment(_ context.Context, s Packing, c DispatchShipment) (ShipmentDispatched, error) {
	tracking := strings.TrimSpace(c.Tracking)
	if tracking == "" {
		return ShipmentDispatched{}, ErrNoTracking
	}
	return ShipmentDispatched{OrderID: s.OrderID, Tracking: tracking}, nil
}
