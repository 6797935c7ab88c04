package library

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// loanUnderTest returns the definition the cases below exercise. Pass your
// LoanDecider to NewLoanDefinition.
func loanUnderTest() es.Definition[LoanState, LoanCommand, LoanEvent] {
	return NewLoanDefinition(nil)
}

// Lend in Requested moves the Loan to Lent, recording BookLent.
func TestLoanLendFromRequested(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, loanUnderTest()).
		Given().
		When(Lend{}).
		Then(BookLent{})
}

// Remind in Lent keeps the Loan in Lent, recording ReminderSent.
func TestLoanRemindFromLent(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, loanUnderTest()).
		Given(BookLent{}).
		When(Remind{}).
		Then(ReminderSent{})
}

// Return in Lent moves the Loan to Returned, recording BookReturned.
func TestLoanReturnFromLent(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, loanUnderTest()).
		Given(BookLent{}).
		When(Return{}).
		Then(BookReturned{})
}

// Withdraw in Requested moves the Loan to Returned, recording LoanWithdrawn.
func TestLoanWithdrawFromRequested(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, loanUnderTest()).
		Given().
		When(Withdraw{}).
		Then(LoanWithdrawn{})
}

// Withdraw in Lent moves the Loan to Returned, recording LoanWithdrawn.
func TestLoanWithdrawFromLent(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, loanUnderTest()).
		Given(BookLent{}).
		When(Withdraw{}).
		Then(LoanWithdrawn{})
}
