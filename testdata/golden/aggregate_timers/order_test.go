package orders

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// orderUnderTest returns the definition the cases below exercise. Pass your
// OrderDecider to NewOrderDefinition.
func orderUnderTest() es.Definition[OrderState, OrderCommand, OrderEvent] {
	return NewOrderDefinition(nil)
}

// Submit in Draft moves the Order to Submitted, recording OrderSubmitted.
func TestOrderSubmitFromDraft(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, orderUnderTest()).
		Given().
		When(Submit{}).
		Then(OrderSubmitted{})
}

// Pay in Submitted moves the Order to Paid, recording OrderPaid.
func TestOrderPayFromSubmitted(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, orderUnderTest()).
		Given(OrderSubmitted{}).
		When(Pay{}).
		Then(OrderPaid{})
}

// Cancel in Draft moves the Order to Cancelled, recording OrderCancelled.
func TestOrderCancelFromDraft(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, orderUnderTest()).
		Given().
		When(Cancel{}).
		Then(OrderCancelled{})
}

// Cancel in Submitted moves the Order to Cancelled, recording OrderCancelled.
func TestOrderCancelFromSubmitted(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, orderUnderTest()).
		Given(OrderSubmitted{}).
		When(Cancel{}).
		Then(OrderCancelled{})
}
