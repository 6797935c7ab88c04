package machine

// The node ids of Machine.DOT's markers and labels, and the ids it gives
// every element of the drawing: Graphviz copies the ids to the SVG, where a
// page finds a state or an edge by them (getElementById("state-Draft")).
// Besides its id, each part of the edge from A to B (its label and both
// halves) has the class EdgeID(A, B), so that one selector (.edge-A-B)
// finds all three.

// StartNode is the DOT node id of the initial marker, the point the entry
// arrow to the initial state starts from. It cannot clash with a state
// declared in a .esm file, whose names are identifiers.
const StartNode = "[*]"

// EndNode returns the DOT node id of the final marker (a bullseye) that
// the final state leads to: "Done [*]" for "Done".
func EndNode(state string) string { return state + " " + StartNode }

// StartID is the id of the initial marker.
const StartID = "start"

// StateID is the id of the box of a state: "state-Submitted".
func StateID(state string) string { return "state-" + state }

// EndID is the id of the final marker a final state leads to: "end-Done".
func EndID(state string) string { return "end-" + state }

// EdgeID is the id of the edge from one state to another, which carries
// the labels of every transition between them: "edge-Draft-Submitted".
// State names are identifiers, so the hyphens cannot be ambiguous.
func EdgeID(from, to string) string { return "edge-" + from + "-" + to }

// LabelNode returns the DOT node id of the label of the edge from one
// state to another: "Draft -> Submitted".
func LabelNode(from, to string) string { return from + " -> " + to }

// LabelID is the id of the label of the edge from one state to another:
// "label-Draft-Submitted".
func LabelID(from, to string) string { return "label-" + from + "-" + to }

// HeadID is the id of the second part of the edge from one state to
// another, from its label to the target, with the arrowhead:
// "head-Draft-Submitted".
func HeadID(from, to string) string { return "head-" + from + "-" + to }

// EntryID is the id of the edge from the initial marker to an initial
// state: "entry-Draft".
func EntryID(state string) string { return "entry-" + state }

// ExitID is the id of the edge from a final state to its final marker:
// "exit-Done".
func ExitID(state string) string { return "exit-" + state }
