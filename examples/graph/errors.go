package graph

import "errors"

// Errors of the graph decisions. A rejected command records nothing; callers
// tell the rules apart with errors.Is. Commands on an archived graph are
// refused by the state machine itself, with es.ErrInvalidTransition.
var (
	// ErrEmptyName rejects a CreateGraph whose name is empty or blank.
	ErrEmptyName = errors.New("graph: a graph needs a name")
	// ErrEmptyNodeID rejects a node without an id.
	ErrEmptyNodeID = errors.New("graph: a node needs an id")
	// ErrDuplicateNode rejects an AddNode whose id the graph already holds.
	ErrDuplicateNode = errors.New("graph: node already exists")
	// ErrUnknownNode rejects an edge or a conceptual point on a node the
	// graph does not hold.
	ErrUnknownNode = errors.New("graph: no such node")
	// ErrDuplicateEdge rejects an edge the graph already holds: same
	// source, target and relation.
	ErrDuplicateEdge = errors.New("graph: edge already exists")
	// ErrEmptyConcept rejects a MapConceptualPoint without a concept.
	ErrEmptyConcept = errors.New("graph: a conceptual point needs a concept")
	// ErrAlreadyMapped rejects mapping a node to the concept it already
	// stands for.
	ErrAlreadyMapped = errors.New("graph: node already mapped to this concept")
	// ErrNoGraphID: a decision that records the graph's id was called
	// outside GraphRepository.Handle without the graph's Ref in its context
	// (es.ContextWithRef).
	ErrNoGraphID = errors.New("graph: the decision was not given the graph's id")
)
