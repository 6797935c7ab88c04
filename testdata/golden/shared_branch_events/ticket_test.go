package ticket

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// ticketUnderTest returns the definition the cases below exercise. Pass your
// TicketDecider (and your Evolver) to NewTicketDefinition.
func ticketUnderTest() es.Definition[TicketState, TicketCommand, TicketEvent] {
	return NewTicketDefinition(nil, nil)
}

// TestTicketEvolveHooks checks your TicketEvolver (estest.CheckEvolutions):
// every field of an event that ticket.esm does not drop, and every field of
// the state left that the new state keeps and ticket.esm does not declare zero
// or replaced (set), must change the state your hook returns, so that no value
// is lost, and each hook must be pure and leave its arguments alone.
func TestTicketEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, ticketUnderTest(), TicketStateName, ticketEvolutions(), true)
}

// Triage in Open moves the Ticket to Assigned, recording Routed.
func TestTicketTriageToAssignedWithRoutedFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, ticketUnderTest()).
		Given().
		When(Triage{}).
		Then(Routed{})
}

// Triage in Open moves the Ticket to Escalated, recording Paged.
func TestTicketTriageToEscalatedWithPagedFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, ticketUnderTest()).
		Given().
		When(Triage{}).
		Then(Paged{})
}

// Triage in Open moves the Ticket to Closed, recording Target.
func TestTicketTriageToClosedWithTargetFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, ticketUnderTest()).
		Given().
		When(Triage{}).
		Then(Target{})
}

// Triage in Open moves the Ticket to Closed, recording Target and Branch.
func TestTicketTriageToClosedWithTargetBranchFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, ticketUnderTest()).
		Given().
		When(Triage{}).
		Then(Target{}, Branch{})
}

// Close in Assigned moves the Ticket to Closed, recording Target.
func TestTicketCloseFromAssigned(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, ticketUnderTest()).
		Given(Routed{}).
		When(Close{}).
		Then(Target{})
}

// Close in Escalated moves the Ticket to Closed, recording Target.
func TestTicketCloseFromEscalated(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, ticketUnderTest()).
		Given(Paged{}).
		When(Close{}).
		Then(Target{})
}
