package ticket

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// ticketUnderTest returns the definition the cases below exercise. Pass your
// TicketDecider to NewTicketDefinition.
func ticketUnderTest() es.Definition[TicketState, TicketCommand, TicketEvent] {
	return NewTicketDefinition(nil)
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
