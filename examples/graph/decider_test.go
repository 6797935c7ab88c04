package graph

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// TestGraphRules checks every rule of Decider with the command that breaks it.
func TestGraphRules(t *testing.T) {
	edge := EdgeConnected{From: "a", To: "b", Relation: "cites"}
	active := []GraphEvent{created, nodeA, nodeB}
	archived := []GraphEvent{created, nodeA, GraphArchived{ArchivedAt: clock}}
	tests := []struct {
		name  string
		given []GraphEvent
		cmd   GraphCommand
		want  error
	}{
		{"empty name", nil, CreateGraph{}, ErrEmptyName},
		{"blank name", nil, CreateGraph{Name: " \t "}, ErrEmptyName},
		{"create twice", active, CreateGraph{Name: "again"}, es.ErrInvalidTransition},
		{"node without id", active, AddNode{Label: "x"}, ErrEmptyNodeID},
		{"blank node id", active, AddNode{NodeID: "  "}, ErrEmptyNodeID},
		{"duplicate node", active, AddNode{NodeID: "a", Label: "another A"}, ErrDuplicateNode},
		{"duplicate node after trimming", active, AddNode{NodeID: " b "}, ErrDuplicateNode},
		{"edge from a missing node", active, ConnectEdge{From: "z", To: "b", Relation: "cites"}, ErrUnknownNode},
		{"edge to a missing node", active, ConnectEdge{From: "a", To: "z", Relation: "cites"}, ErrUnknownNode},
		{"edge in an empty graph", []GraphEvent{created}, ConnectEdge{From: "a", To: "a"}, ErrUnknownNode},
		{"duplicate edge", append(active, edge), ConnectEdge{From: "a", To: "b", Relation: "cites"}, ErrDuplicateEdge},
		{"point on a missing node", active, MapConceptualPoint{NodeID: "z", Concept: "c"}, ErrUnknownNode},
		{"point without concept", active, MapConceptualPoint{NodeID: "a", Concept: " "}, ErrEmptyConcept},
		{"same point twice", append(active, ConceptualPointMapped{NodeID: "a", Concept: "c"}), MapConceptualPoint{NodeID: "a", Concept: "c"}, ErrAlreadyMapped},
		{"node on a missing graph", nil, AddNode{NodeID: "a"}, es.ErrInvalidTransition},
		{"node on an archived graph", archived, AddNode{NodeID: "n"}, es.ErrInvalidTransition},
		{"edge on an archived graph", archived, ConnectEdge{From: "a", To: "a"}, es.ErrInvalidTransition},
		{"point on an archived graph", archived, MapConceptualPoint{NodeID: "a", Concept: "c"}, es.ErrInvalidTransition},
		{"archive twice", archived, ArchiveGraph{}, es.ErrInvalidTransition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			estest.For(t, graphUnderTest()).Given(tt.given...).WithID("g-1").When(tt.cmd).ThenError(tt.want)
		})
	}
}

// TestGraphAllowed checks commands the rules must not refuse: self-loop
// edges, a second relation between the same nodes, a moved conceptual point.
func TestGraphAllowed(t *testing.T) {
	active := []GraphEvent{created, nodeA, nodeB, EdgeConnected{From: "a", To: "b", Relation: "cites"}}
	tests := []struct {
		name string
		cmd  GraphCommand
		want GraphEvent
	}{
		{"self loop", ConnectEdge{From: "a", To: "a", Relation: "revises"}, EdgeConnected{From: "a", To: "a", Relation: "revises"}},
		{"another relation", ConnectEdge{From: "a", To: "b", Relation: "extends"}, EdgeConnected{From: "a", To: "b", Relation: "extends"}},
		{"reverse edge", ConnectEdge{From: " b", To: "a ", Relation: "cites"}, EdgeConnected{From: "b", To: "a", Relation: "cites"}},
		{"node without metadata", AddNode{NodeID: " c ", Label: "C"}, NodeAdded{GraphID: "g-1", NodeID: "c", Label: "C"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			estest.For(t, graphUnderTest()).Given(active...).WithID("g-1").When(tt.cmd).Then(tt.want)
		})
	}
}

// TestGraphNeedsID checks that AddNode refuses to record a node without the
// graph's id (a decision called outside GraphRepository.Handle and estest,
// with no es.Ref in its context, or an empty one) rather than record an
// empty id.
func TestGraphNeedsID(t *testing.T) {
	active := Active{Name: "citations"}
	for _, tc := range []struct {
		name string
		ctx  context.Context
	}{
		{"no ref", t.Context()},
		{"empty id", es.ContextWithRef(t.Context(), es.Ref{Type: "Graph"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := (Decider{}).AddNode(tc.ctx, active, AddNode{NodeID: "a"}); !errors.Is(err, ErrNoGraphID) {
				t.Errorf("AddNode = %v, want ErrNoGraphID", err)
			}
		})
	}
	// The harness keeps a context that names an aggregate, even badly.
	estest.For(t, graphUnderTest()).Given(created).WithContext(es.ContextWithRef(t.Context(), es.Ref{Type: "Graph"})).
		When(AddNode{NodeID: "a"}).ThenError(ErrNoGraphID)
}

// TestGraphErrorMessages checks what a user reads when a command is refused.
func TestGraphErrorMessages(t *testing.T) {
	def := graphUnderTest()
	s := def.Initial()
	for _, e := range []GraphEvent{created, nodeA} {
		var err error
		if s, err = def.Evolve(s, e); err != nil {
			t.Fatal(err)
		}
	}
	_, err := def.Decide(t.Context(), s, ConnectEdge{From: "a", To: "q", Relation: "cites"}, nil)
	if want := `edge "a" -> "q": node "q": graph: no such node`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	if !errors.Is(err, ErrUnknownNode) {
		t.Errorf("error %v does not match ErrUnknownNode", err)
	}
}

// TestEvolverKeepsItsInput checks that evolving never changes the state it
// was given: the runtime may still hold it.
func TestEvolverKeepsItsInput(t *testing.T) {
	before := Active{
		Name:   "g",
		Nodes:  map[string]Node{"a": {ID: "a"}},
		Edges:  make([]Edge, 1, 8), // spare capacity an append could write into
		Points: map[string]string{"a": "x"},
	}
	before.Edges[0] = Edge{From: "a", To: "a"}
	nodes, edges, points := maps.Clone(before.Nodes), slices.Clone(before.Edges), maps.Clone(before.Points)
	ev := Evolver{}
	meta := map[string]string{"k": "v"}
	afterNode := ev.ActiveOnNodeAdded(before, NodeAdded{NodeID: "b", Metadata: meta})
	meta["k"] = "changed" // the event's map is not shared with the state
	ev.ActiveOnEdgeConnected(before, EdgeConnected{From: "a", To: "b"})
	ev.ActiveOnConceptualPointMapped(before, ConceptualPointMapped{NodeID: "a", Concept: "y"})
	if !maps.EqualFunc(before.Nodes, nodes, nodeEqual) || !slices.Equal(before.Edges, edges) || !maps.Equal(before.Points, points) {
		t.Errorf("evolving changed its input: %+v", before)
	}
	if got := before.Edges[:2][1]; got != (Edge{}) {
		t.Errorf("evolving wrote %+v into the input's spare capacity", got)
	}
	if got := afterNode.Nodes["b"].Metadata["k"]; got != "v" {
		t.Errorf("node metadata = %q, want v", got)
	}
}

func nodeEqual(a, b Node) bool {
	return a.ID == b.ID && a.Label == b.Label && maps.Equal(a.Metadata, b.Metadata)
}
