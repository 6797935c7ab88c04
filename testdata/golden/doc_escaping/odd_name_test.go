package escape

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// oddNameUnderTest returns the definition the cases below exercise. Pass your
// OddNameDecider to NewOddNameDefinition.
func oddNameUnderTest() es.Definition[OddNameState, OddNameCommand, OddNameEvent] {
	return NewOddNameDefinition(nil)
}

// DoIt in StartHere moves the OddName to End, recording ItDone.
func TestOddNameDoItFromStartHere(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, oddNameUnderTest()).
		Given().
		When(DoIt{}).
		Then(ItDone{})
}
