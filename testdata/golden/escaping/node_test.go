package names

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// nodeUnderTest returns the definition the cases below exercise. Pass your
// NodeDecider to NewNodeDefinition.
func nodeUnderTest() es.Definition[NodeState, NodeCommand, NodeEvent] {
	return NewNodeDefinition(nil)
}

// Start in Idle moves the Node to Busy, recording Started.
func TestNodeStartFromIdle(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, nodeUnderTest()).
		Given().
		When(Start{}).
		Then(Started{})
}
