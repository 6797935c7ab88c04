package machine

// Options tune how a Machine is drawn. The zero value draws the canonical
// diagram esgen writes at build time.
type Options struct {
	// Highlight names a state to fill with a highlight colour, typically
	// the current state of an aggregate instance. Empty means none; a name
	// that is not a state of the machine highlights nothing (use
	// Machine.HasState to check first).
	Highlight string
	// Fields lists, in DOT, each state's fields (State.Fields) under its
	// name, UML-style, in a compartment of the state's box. States without
	// fields are drawn as without the option. Mermaid ignores it.
	Fields bool
}

// HighlightColor is the fill colour of a highlighted state in DOT and
// Mermaid output.
const HighlightColor = "#ffe08a"

// HasState reports whether the machine has a state with the given name.
func (m Machine) HasState(name string) bool {
	for _, s := range m.States {
		if s.Name == name {
			return true
		}
	}
	return false
}

// StateNames returns the names of the states in declaration order.
func (m Machine) StateNames() []string {
	names := make([]string, len(m.States))
	for i, s := range m.States {
		names[i] = s.Name
	}
	return names
}

// Label returns the Mealy label of the transition: "Command / Event" with
// several events joined by ", ", or just "Command" when it emits none.
func (t Transition) Label() string {
	if len(t.Events) == 0 {
		return t.Command
	}
	n := len(t.Command) + 3
	for _, e := range t.Events {
		n += len(e) + 2
	}
	b := make([]byte, 0, n)
	b = append(b, t.Command...)
	b = append(b, " / "...)
	for i, e := range t.Events {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, e...)
	}
	return string(b)
}
