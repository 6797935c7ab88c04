// Package machine describes an aggregate's state machine as plain data, so
// that running code can draw it (DOT, Mermaid) with the current state of an
// instance highlighted. esgen generates one Machine value per aggregate;
// the diagram renderers of the generator use the same type, so the text a
// program draws at run time is the text esgen drew at build time.
package machine

// Machine is a Mealy machine: states, and transitions labelled with the
// command that triggers them and the events they emit.
type Machine struct {
	Name        string       // aggregate name, e.g. "Order"
	States      []State      // in declaration order
	Transitions []Transition // one per (source state, branch), in declaration order
}

// State is one state of a Machine.
type State struct {
	Name    string
	Initial bool
	Final   bool
	// Fields are the state's data, one "name type" each in declaration
	// order (e.g. "items []LineItem"), drawn with Options.Fields.
	Fields []string
}

// Transition is one edge: in state From, Command leads to To and emits
// Events, in order.
type Transition struct {
	From    string
	To      string
	Command string
	Events  []string
}
