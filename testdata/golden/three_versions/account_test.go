package accounts

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// accountUnderTest returns the definition the cases below exercise. Pass your
// AccountDecider (and your Evolver and Upcaster) to NewAccountDefinition.
func accountUnderTest() es.Definition[AccountState, AccountCommand, AccountEvent] {
	return NewAccountDefinition(nil, nil, nil)
}

// TestAccountEvolveHooks checks your AccountEvolver (estest.CheckEvolutions):
// every field of an event that accounts.esm does not drop, and every field of
// the state left that the new state keeps and accounts.esm does not declare
// zero or replaced (set), must change the state your hook returns, so that no
// value is lost, and each hook must be pure and leave its arguments alone.
func TestAccountEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, accountUnderTest(), AccountStateName, accountEvolutions(), true)
}

// TestAccountUpcastHooks checks your AccountUpcaster (estest.CheckUpcasts):
// every field of an old event version that the next version keeps under the
// same name and type, and that accounts.esm does not drop, must reach the
// event your hook returns, so that no stored value is lost, and each hook must
// be pure.
func TestAccountUpcastHooks(t *testing.T) {
	estest.CheckUpcasts(t, accountUnderTest(), accountUpcastHooks())
}

// Rename in Open keeps the Account in Open, recording OwnerRenamed.
func TestAccountRenameFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, accountUnderTest()).
		Given().
		When(Rename{}).
		Then(OwnerRenamed{})
}

// Close in Open moves the Account to Closed, recording AccountClosed.
func TestAccountCloseFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, accountUnderTest()).
		Given().
		When(Close{}).
		Then(AccountClosed{})
}
