package yardstick

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// orderUnderTest returns the definition the cases below exercise: the
// Decider on the fixed clock and the Evolver.
func orderUnderTest() es.Definition[OrderState, OrderCommand, OrderEvent] {
	return NewOrderDefinition(Decider{}, Evolver{})
}

// submitted is the state after workSubmitted and notes notes.
func submitted(notes int) Submitted {
	return Submitted{Items: workItems, TotalCents: workTotal, Notes: notes, SubmittedAt: clock}
}

// TestOrderEvolveHooks checks your OrderEvolver (estest.CheckEvolutions):
// every field of an event that orders.esm does not drop must change the state
// your hook returns, so that no value is lost, and each hook must be pure and
// leave its arguments alone.
func TestOrderEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, orderUnderTest(), OrderStateName, orderEvolutions(), true)
}

// Submit in Draft moves the Order to Submitted, recording OrderSubmitted.
func TestOrderSubmitFromDraft(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given().
		When(workSubmit).
		Then(workSubmitted)
	estest.For(t, orderUnderTest()).
		When(workSubmit).
		ThenState(submitted(0))
}

// ValidatePayment in Submitted moves the Order to Validated, recording
// PaymentValidated.
func TestOrderValidatePaymentFromSubmitted(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given(workSubmitted).
		When(workPayment).
		Then(workValidated)
	estest.For(t, orderUnderTest()).
		Given(workSubmitted, workNoted, workNoted).
		When(ValidatePayment{PaymentID: "  pay-9 "}).
		ThenState(Validated{Items: workItems, TotalCents: workTotal, Notes: 2, SubmittedAt: clock, PaymentID: "pay-9"})
}

// Fulfill in Validated moves the Order to Fulfilled, recording OrderFulfilled.
func TestOrderFulfillFromValidated(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given(workSubmitted, workValidated).
		When(workFulfill).
		Then(workFulfilled)
	estest.For(t, orderUnderTest()).
		Given(workSubmitted, workValidated).
		When(workFulfill).
		ThenState(Fulfilled{Tracking: workFulfill.Tracking})
}

// AddNote in Submitted keeps the Order in Submitted, recording NoteAdded.
func TestOrderAddNoteFromSubmitted(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given(workSubmitted).
		When(workNote).
		Then(workNoted)
	estest.For(t, orderUnderTest()).
		Given(workSubmitted, workNoted).
		When(AddNote{Author: " ann ", Text: "\tcall first\n"}).
		Then(NoteAdded{Author: "ann", Text: "call first", At: clock})
	estest.For(t, orderUnderTest()).
		Given(workSubmitted, workNoted, workNoted).
		When(workNote).
		ThenState(submitted(3))
}
