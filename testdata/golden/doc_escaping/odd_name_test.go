package escape

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// oddNameUnderTest returns the definition the cases below exercise. Pass your
// OddNameDecider (and your Evolver) to NewOddNameDefinition.
func oddNameUnderTest() es.Definition[OddNameState, OddNameCommand, OddNameEvent] {
	return NewOddNameDefinition(nil, nil)
}

// TestOddNameEvolveHooks checks your OddNameEvolver (estest.CheckEvolutions):
// every field of an event that escape.esm does not drop, and every field of
// the state left that the new state keeps and escape.esm does not declare zero
// or replaced (set), must change the state your hook returns, so that no value
// is lost, and each hook must be pure and leave its arguments alone.
func TestOddNameEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, oddNameUnderTest(), OddNameStateName, oddNameEvolutions(), true)
}

// DoIt in StartHere moves the OddName to End, recording ItDone.
func TestOddNameDoItFromStartHere(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, oddNameUnderTest()).
		Given().
		When(DoIt{}).
		Then(ItDone{})
}
