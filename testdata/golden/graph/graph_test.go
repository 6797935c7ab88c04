package graph

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// graphUnderTest returns the definition the cases below exercise. Pass your
// GraphDecider (and your Evolver) to NewGraphDefinition.
func graphUnderTest() es.Definition[GraphState, GraphCommand, GraphEvent] {
	return NewGraphDefinition(nil, nil)
}

// TestGraphEvolveHooks checks your GraphEvolver (estest.CheckEvolutions):
// every field of an event that graph.esm does not drop, and every field of the
// state left that the new state keeps and graph.esm does not declare zero or
// replaced (set), must change the state your hook returns, so that no value is
// lost, and each hook must be pure and leave its arguments alone.
func TestGraphEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, graphUnderTest(), GraphStateName, graphEvolutions(), true)
}

// CreateGraph in Nonexistent moves the Graph to Active, recording
// GraphCreated.
func TestGraphCreateGraphFromNonexistent(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, graphUnderTest()).
		Given().
		When(CreateGraph{}).
		Then(GraphCreated{})
}

// AddNode in Active keeps the Graph in Active, recording NodeAdded.
func TestGraphAddNodeFromActive(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, graphUnderTest()).
		Given(GraphCreated{}).
		When(AddNode{}).
		Then(NodeAdded{})
}

// ConnectEdge in Active keeps the Graph in Active, recording EdgeConnected.
func TestGraphConnectEdgeFromActive(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, graphUnderTest()).
		Given(GraphCreated{}).
		When(ConnectEdge{}).
		Then(EdgeConnected{})
}

// MapConceptualPoint in Active keeps the Graph in Active, recording
// ConceptualPointMapped.
func TestGraphMapConceptualPointFromActive(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, graphUnderTest()).
		Given(GraphCreated{}).
		When(MapConceptualPoint{}).
		Then(ConceptualPointMapped{})
}

// ArchiveGraph in Active moves the Graph to Archived, recording GraphArchived.
func TestGraphArchiveGraphFromActive(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, graphUnderTest()).
		Given(GraphCreated{}).
		When(ArchiveGraph{}).
		Then(GraphArchived{})
}
