package graph

import (
	"testing"
	"time"

	"github.com/esgen/esgen/examples/internal/contracttest"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// clock is the fixed time the decider under test stamps events with.
var clock = time.Date(2026, time.April, 7, 14, 5, 0, 0, time.UTC)

// graphUnderTest returns the definition the cases below exercise. Pass your
// GraphDecider (and your Evolver) to NewGraphDefinition.
func graphUnderTest() es.Definition[GraphState, GraphCommand, GraphEvent] {
	return contracttest.SchemaChecked(contract, NewGraphDefinition(Decider{Now: func() time.Time { return clock }}, Evolver{}))
}

// TestGraphEvolveHooks checks your GraphEvolver (estest.CheckEvolutions):
// every field of an event that graph.esm does not drop must change the state
// your hook returns, so that no value is lost, and each hook must be pure and
// leave its arguments alone.
func TestGraphEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, graphUnderTest(), GraphStateName, graphEvolutions(), true)
}

// created and the events after it build a graph of two nodes, a and b.
var (
	created = GraphCreated{Name: "citations", CreatedAt: clock}
	nodeA   = NodeAdded{GraphID: "g-1", NodeID: "a", Label: "Paper A", Metadata: map[string]string{"year": "2019"}}
	nodeB   = NodeAdded{GraphID: "g-1", NodeID: "b", Label: "Paper B"}
)

// CreateGraph in Nonexistent moves the Graph to Active, recording
// GraphCreated.
func TestGraphCreateGraphFromNonexistent(t *testing.T) {
	estest.For(t, graphUnderTest()).
		Given().
		When(CreateGraph{Name: " citations "}).
		Then(created)
	estest.For(t, graphUnderTest()).
		When(CreateGraph{Name: "citations"}).
		ThenState(Active{Name: "citations"})
}

// AddNode in Active keeps the Graph in Active, recording NodeAdded.
func TestGraphAddNodeFromActive(t *testing.T) {
	estest.For(t, graphUnderTest()).
		Given(created).
		WithID("g-1").
		When(AddNode{NodeID: "a", Label: "Paper A", Metadata: map[string]string{"year": "2019"}}).
		Then(nodeA)
	estest.For(t, graphUnderTest()).
		Given(created, nodeA).
		WithID("g-1").
		When(AddNode{NodeID: "b", Label: "Paper B"}).
		ThenState(Active{Name: "citations", Nodes: map[string]Node{
			"a": {ID: "a", Label: "Paper A", Metadata: map[string]string{"year": "2019"}},
			"b": {ID: "b", Label: "Paper B"},
		}})
}

// ConnectEdge in Active keeps the Graph in Active, recording EdgeConnected.
func TestGraphConnectEdgeFromActive(t *testing.T) {
	estest.For(t, graphUnderTest()).
		Given(created, nodeA, nodeB).
		When(ConnectEdge{From: "a", To: "b", Relation: "cites"}).
		Then(EdgeConnected{From: "a", To: "b", Relation: "cites"})
	estest.For(t, graphUnderTest()).
		Given(created, nodeA, nodeB, EdgeConnected{From: "a", To: "b", Relation: "cites"}).
		When(ConnectEdge{From: "b", To: "a", Relation: "cited-by"}).
		ThenState(Active{
			Name: "citations",
			Nodes: map[string]Node{
				"a": {ID: "a", Label: "Paper A", Metadata: map[string]string{"year": "2019"}},
				"b": {ID: "b", Label: "Paper B"},
			},
			Edges: []Edge{{From: "a", To: "b", Relation: "cites"}, {From: "b", To: "a", Relation: "cited-by"}},
		})
}

// MapConceptualPoint in Active keeps the Graph in Active, recording
// ConceptualPointMapped.
func TestGraphMapConceptualPointFromActive(t *testing.T) {
	estest.For(t, graphUnderTest()).
		Given(created, nodeA).
		When(MapConceptualPoint{NodeID: "a", Concept: "event sourcing"}).
		Then(ConceptualPointMapped{NodeID: "a", Concept: "event sourcing"})
	estest.For(t, graphUnderTest()).
		Given(created, nodeA, ConceptualPointMapped{NodeID: "a", Concept: "event sourcing"}).
		When(MapConceptualPoint{NodeID: "a", Concept: "CQRS"}).
		ThenState(Active{
			Name:   "citations",
			Nodes:  map[string]Node{"a": {ID: "a", Label: "Paper A", Metadata: map[string]string{"year": "2019"}}},
			Points: map[string]string{"a": "CQRS"},
		})
}

// ArchiveGraph in Active moves the Graph to Archived, recording GraphArchived.
func TestGraphArchiveGraphFromActive(t *testing.T) {
	estest.For(t, graphUnderTest()).
		Given(created, nodeA).
		When(ArchiveGraph{}).
		Then(GraphArchived{ArchivedAt: clock})
	estest.For(t, graphUnderTest()).
		Given(created, nodeA).
		When(ArchiveGraph{}).
		ThenState(Archived{Name: "citations", ArchivedAt: clock})
}
