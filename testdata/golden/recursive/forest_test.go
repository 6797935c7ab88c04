package tree

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// forestUnderTest returns the definition the cases below exercise. Pass your
// ForestDecider to NewForestDefinition.
func forestUnderTest() es.Definition[ForestState, ForestCommand, ForestEvent] {
	return NewForestDefinition(nil)
}

// Grow in Empty moves the Forest to Grown, recording Grew.
func TestForestGrowFromEmpty(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, forestUnderTest()).
		Given().
		When(Grow{}).
		Then(Grew{})
}
