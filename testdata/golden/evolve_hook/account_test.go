package bank

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// accountUnderTest returns the definition the cases below exercise. Pass your
// AccountDecider (and your Evolver) to NewAccountDefinition.
func accountUnderTest() es.Definition[AccountState, AccountCommand, AccountEvent] {
	return NewAccountDefinition(nil, nil)
}

// TestAccountEvolveHooks checks your AccountEvolver (estest.CheckEvolutions):
// every field of an event that bank.esm does not drop, and every field of the
// state left that the new state keeps and bank.esm does not declare zero or
// replaced (set), must change the state your hook returns, so that no value is
// lost, and each hook must be pure and leave its arguments alone.
func TestAccountEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, accountUnderTest(), AccountStateName, accountEvolutions(), true)
}

// Deposit in Open keeps the Account in Open, recording MoneyDeposited.
func TestAccountDepositFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, accountUnderTest()).
		Given().
		When(Deposit{}).
		Then(MoneyDeposited{})
}

// Correct in Open keeps the Account in Open, recording BalanceCorrected.
func TestAccountCorrectFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, accountUnderTest()).
		Given().
		When(Correct{}).
		Then(BalanceCorrected{})
}

// Close in Open moves the Account to Closed, recording AccountClosed.
func TestAccountCloseFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, accountUnderTest()).
		Given().
		When(Close{}).
		Then(AccountClosed{})
}
