package graph

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/esgen/esgen/runtime/es"
)

// Decider holds the business rules of a graph. It implements GraphDecider:
//
//   - CreateGraph needs a name that is not blank.
//   - AddNode needs a node id (not blank) that the graph does not hold yet.
//   - ConnectEdge connects two nodes the graph holds, and refuses an edge it
//     already holds (same source, target and relation).
//   - MapConceptualPoint maps a node the graph holds to a concept (not
//     blank); mapping a node again to another concept moves it, mapping it
//     to the one it has is refused.
//   - ArchiveGraph freezes the graph. The state machine refuses every
//     command on an archived graph; no decision is consulted.
//
// Names, ids and concepts are recorded without surrounding blanks. The zero
// Decider reads time.Now.
type Decider struct {
	// Now is the clock that stamps creation and archiving; nil means
	// time.Now. Times are taken when a command is decided and recorded in
	// the event: replaying events never reads a clock.
	Now func() time.Time
}

var _ GraphDecider = Decider{}

// CreateGraph starts a graph with a name.
func (d Decider) CreateGraph(_ context.Context, _ Nonexistent, c CreateGraph) (GraphCreated, error) {
	name := strings.TrimSpace(c.Name)
	if name == "" {
		return GraphCreated{}, ErrEmptyName
	}
	return GraphCreated{Name: name, CreatedAt: d.now()}, nil
}

// AddNode adds a node whose id is new in the graph. The graph's id, which
// NodeAdded records, is the id of the aggregate the command is handled on:
// GraphRepository.Handle puts it in ctx (es.RefFromContext).
func (Decider) AddNode(ctx context.Context, s Active, c AddNode) (NodeAdded, error) {
	ref, ok := es.RefFromContext(ctx)
	if !ok || ref.ID == "" {
		return NodeAdded{}, ErrNoGraphID
	}
	id := strings.TrimSpace(c.NodeID)
	if id == "" {
		return NodeAdded{}, ErrEmptyNodeID
	}
	if _, dup := s.Nodes[id]; dup {
		return NodeAdded{}, fmt.Errorf("node %q: %w", id, ErrDuplicateNode)
	}
	return NodeAdded{GraphID: ref.ID, NodeID: id, Label: c.Label, Metadata: maps.Clone(c.Metadata)}, nil
}

// ConnectEdge connects two nodes of the graph, once per relation.
func (Decider) ConnectEdge(_ context.Context, s Active, c ConnectEdge) (EdgeConnected, error) {
	e := EdgeConnected{From: strings.TrimSpace(c.From), To: strings.TrimSpace(c.To), Relation: strings.TrimSpace(c.Relation)}
	for _, end := range []string{e.From, e.To} {
		if _, ok := s.Nodes[end]; !ok {
			return EdgeConnected{}, fmt.Errorf("edge %q -> %q: node %q: %w", e.From, e.To, end, ErrUnknownNode)
		}
	}
	for _, have := range s.Edges {
		if have.From == e.From && have.To == e.To && have.Relation == e.Relation {
			return EdgeConnected{}, fmt.Errorf("edge %q -[%s]-> %q: %w", e.From, e.Relation, e.To, ErrDuplicateEdge)
		}
	}
	return e, nil
}

// MapConceptualPoint maps a node of the graph to a concept.
func (Decider) MapConceptualPoint(_ context.Context, s Active, c MapConceptualPoint) (ConceptualPointMapped, error) {
	id, concept := strings.TrimSpace(c.NodeID), strings.TrimSpace(c.Concept)
	if _, ok := s.Nodes[id]; !ok {
		return ConceptualPointMapped{}, fmt.Errorf("conceptual point on node %q: %w", id, ErrUnknownNode)
	}
	if concept == "" {
		return ConceptualPointMapped{}, ErrEmptyConcept
	}
	if s.Points[id] == concept {
		return ConceptualPointMapped{}, fmt.Errorf("node %q, concept %q: %w", id, concept, ErrAlreadyMapped)
	}
	return ConceptualPointMapped{NodeID: id, Concept: concept}, nil
}

// ArchiveGraph freezes the graph.
func (d Decider) ArchiveGraph(_ context.Context, _ Active, _ ArchiveGraph) (GraphArchived, error) {
	return GraphArchived{ArchivedAt: d.now()}, nil
}

// now reads the clock in UTC without its monotonic reading, so that the
// recorded time equals the one a reload decodes.
func (d Decider) now() time.Time {
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	return now().UTC().Round(0)
}
