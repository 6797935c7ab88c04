// Package readmodel holds the graph view: every graph with its nodes, edges
// and conceptual points, kept up to date from the Graph events by a
// projection on the graphs' stream (runtime/projection). It answers the
// queries the aggregate is not meant for: a graph as a whole, the
// neighbours of a node, the nodes that stand for a concept.
package readmodel

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/esgen/esgen/examples/graph"
	"github.com/esgen/esgen/runtime/es"
)

// Graph is the view of one graph. The values View returns are copies: the
// caller may keep and change them.
type Graph struct {
	ID         string
	Name       string
	CreatedAt  time.Time
	Archived   bool
	ArchivedAt time.Time // zero until archived
	Nodes      []Node    // sorted by id
	Edges      []Edge    // in the order they were connected
	Version    uint64    // version of the last event applied
}

// Node is a node of a graph, with the concept it is mapped to.
type Node struct {
	ID       string
	Label    string
	Metadata map[string]string // nil when none
	Concept  string            // empty when the node is not a conceptual point
}

// Edge is a directed, labelled edge between two nodes.
type Edge struct {
	From, To, Relation string
}

// View is the graph view read model, in memory. It implements
// projection.EventHandler[graph.GraphEvent] and projection.Resetter; pass it
// to NewProjection. It is safe for concurrent use.
//
// Deliveries are at least once. Each graph keeps the id and version of the
// last event applied to it; a record with that event id, or whose version
// is not past it (a graph's events arrive in order), was applied already and
// is skipped, so redelivered events never add a node or an edge twice.
type View struct {
	mu      sync.RWMutex
	graphs  map[string]*entry
	skipped int
}

// entry is one graph's view; nodes are kept by id.
type entry struct {
	Graph
	nodes       map[string]*Node
	lastEventID string
}

// New returns an empty view.
func New() *View { return &View{graphs: map[string]*entry{}} }

// Apply adds what e records to the graph of rec. A redelivered event is
// skipped. An event the aggregate could not have recorded (a node added to
// a graph the view has never seen created) fails: the view and the stream
// disagree, and the projection retries rather than build a wrong view.
func (v *View) Apply(_ context.Context, rec es.Record, e graph.GraphEvent) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	g := v.graphs[rec.AggregateID]
	if g != nil && (rec.EventID == g.lastEventID || rec.Version <= g.Version) {
		v.skipped++
		return nil
	}
	if _, created := e.(graph.GraphCreated); g == nil && !created {
		return fmt.Errorf("graph view: event %s (%s, version %d) for graph %q, which was never created",
			rec.EventID, rec.EventType, rec.Version, rec.AggregateID)
	}
	switch e := e.(type) {
	case graph.GraphCreated:
		g = &entry{Graph: Graph{ID: rec.AggregateID, Name: e.Name, CreatedAt: e.CreatedAt}, nodes: map[string]*Node{}}
		v.graphs[rec.AggregateID] = g
	case graph.NodeAdded:
		g.nodes[e.NodeID] = &Node{ID: e.NodeID, Label: e.Label, Metadata: maps.Clone(e.Metadata)}
	case graph.EdgeConnected:
		g.Edges = append(g.Edges, Edge{From: e.From, To: e.To, Relation: e.Relation})
	case graph.ConceptualPointMapped:
		n := g.nodes[e.NodeID]
		if n == nil {
			return fmt.Errorf("graph view: event %s maps node %q of graph %q, which has no such node", rec.EventID, e.NodeID, rec.AggregateID)
		}
		n.Concept = e.Concept
	case graph.GraphArchived:
		g.Archived, g.ArchivedAt = true, e.ArchivedAt
	default:
		return fmt.Errorf("graph view: event %s: unexpected type %T", rec.EventID, e)
	}
	g.Version, g.lastEventID = rec.Version, rec.EventID
	return nil
}

// Reset empties the view, before a rebuild replays every event into it.
func (v *View) Reset(context.Context) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	clear(v.graphs)
	v.skipped = 0
	return nil
}

// IDs returns the ids of every graph in the view, sorted.
func (v *View) IDs() []string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return slices.Sorted(maps.Keys(v.graphs))
}

// Graph returns a copy of graph id's view.
func (v *View) Graph(id string) (Graph, bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	g := v.graphs[id]
	if g == nil {
		return Graph{}, false
	}
	out := g.Graph
	out.Edges = slices.Clone(g.Edges)
	out.Nodes = make([]Node, 0, len(g.nodes))
	for _, n := range g.nodes {
		c := *n
		c.Metadata = maps.Clone(n.Metadata)
		out.Nodes = append(out.Nodes, c)
	}
	slices.SortFunc(out.Nodes, func(a, b Node) int { return cmp.Compare(a.ID, b.ID) })
	return out, true
}

// Neighbours returns the edges of graph id that leave or reach node, in the
// order they were connected.
func (v *View) Neighbours(id, node string) []Edge {
	v.mu.RLock()
	defer v.mu.RUnlock()
	g := v.graphs[id]
	if g == nil {
		return nil
	}
	var out []Edge
	for _, e := range g.Edges {
		if e.From == node || e.To == node {
			out = append(out, e)
		}
	}
	return out
}

// Concept returns the ids of the nodes of graph id mapped to concept, sorted.
func (v *View) Concept(id, concept string) []string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	g := v.graphs[id]
	if g == nil {
		return nil
	}
	var out []string
	for _, n := range g.nodes {
		if n.Concept == concept {
			out = append(out, n.ID)
		}
	}
	slices.Sort(out)
	return out
}

// Skipped returns how many redelivered events were skipped since the view
// was created or last reset.
func (v *View) Skipped() int {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.skipped
}
