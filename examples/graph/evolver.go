package graph

import (
	"maps"
	"slices"
)

// Evolver builds the Active state of a graph from its events. It implements
// GraphEvolver. Its methods never modify the state they are given: the
// runtime keeps that state (in its cache, or as the state before a command
// whose append may still fail), so each method copies the map or slice it
// extends. That makes adding one node O(nodes) and replaying a graph of n
// nodes O(n²) map copies: fine for graphs of thousands of nodes, the size this
// example is meant for; a graph of millions would want a persistent map.
type Evolver struct{}

var _ GraphEvolver = Evolver{}

// ActiveOnNodeAdded adds the node.
func (Evolver) ActiveOnNodeAdded(s Active, e NodeAdded) Active {
	nodes := make(map[string]Node, len(s.Nodes)+1)
	maps.Copy(nodes, s.Nodes)
	nodes[e.NodeID] = Node{ID: e.NodeID, Label: e.Label, Metadata: maps.Clone(e.Metadata)}
	s.Nodes = nodes
	return s
}

// ActiveOnEdgeConnected adds the edge after the others.
func (Evolver) ActiveOnEdgeConnected(s Active, e EdgeConnected) Active {
	s.Edges = append(slices.Clip(s.Edges), Edge(e))
	return s
}

// ActiveOnConceptualPointMapped maps the node to its concept.
func (Evolver) ActiveOnConceptualPointMapped(s Active, e ConceptualPointMapped) Active {
	points := make(map[string]string, len(s.Points)+1)
	maps.Copy(points, s.Points)
	points[e.NodeID] = e.Concept
	s.Points = points
	return s
}
