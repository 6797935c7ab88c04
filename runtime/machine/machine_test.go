package machine

import (
	"strings"
	"testing"
)

// door is a small machine with an initial state, a final state, a branch,
// a self-loop and a transition emitting two events.
var door = Machine{
	Name: "Door",
	States: []State{
		{Name: "Closed", Initial: true},
		{Name: "Open"},
		{Name: "Broken", Final: true},
	},
	Transitions: []Transition{
		{From: "Closed", To: "Open", Command: "Push", Events: []string{"Opened"}},
		{From: "Closed", To: "Broken", Command: "Push", Events: []string{"Jammed", "AlarmRaised"}},
		{From: "Open", To: "Open", Command: "Wave", Events: []string{"Waved"}},
		{From: "Open", To: "Closed", Command: "Pull"},
	},
}

func TestDOT(t *testing.T) {
	header := "\tgraph [rankdir=LR, nodesep=0.5, ranksep=0.7, fontname=\"Helvetica\"];\n" +
		"\tnode [shape=circle, fontname=\"Helvetica\", fontsize=12, margin=0.05];\n" +
		"\tedge [fontname=\"Helvetica\", fontsize=10];\n"
	doorBody := func(open string) string {
		return "\n" +
			"\t\"[*]\" [shape=point, width=0.15, label=\"\"];\n" +
			"\n" +
			"\t\"Closed\";\n" +
			"\t\"Open\"" + open + ";\n" +
			"\t\"Broken\" [shape=doublecircle];\n" +
			"\n" +
			"\t\"[*]\" -> \"Closed\";\n" +
			"\t\"Closed\" -> \"Open\" [label=\"Push / Opened\"];\n" +
			"\t\"Closed\" -> \"Broken\" [label=\"Push / Jammed, AlarmRaised\"];\n" +
			"\t\"Open\" -> \"Open\" [label=\"Wave / Waved\"];\n" +
			"\t\"Open\" -> \"Closed\" [label=\"Pull\"];\n" +
			"}\n"
	}
	tests := []struct {
		name string
		m    Machine
		opt  Options
		want string
	}{
		{
			name: "empty",
			m:    Machine{Name: "Metrics"},
			want: "digraph \"Metrics\" {\n" + header + "}\n",
		},
		{
			name: "door",
			m:    door,
			want: "digraph \"Door\" {\n" + header + doorBody(""),
		},
		{
			name: "highlight",
			m:    door,
			opt:  Options{Highlight: "Open"},
			want: "digraph \"Door\" {\n" + header + doorBody(" [style=filled, fillcolor=\"#ffe08a\", penwidth=2]"),
		},
		{
			name: "unknown highlight draws nothing highlighted",
			m:    door,
			opt:  Options{Highlight: "Ajar"},
			want: "digraph \"Door\" {\n" + header + doorBody(""),
		},
		{
			name: "final highlighted and quoting",
			m: Machine{
				Name:   `a"b\c`,
				States: []State{{Name: "Done", Final: true}},
			},
			opt: Options{Highlight: "Done"},
			want: "digraph \"a\\\"b\\\\c\" {\n" + header + "\n" +
				"\t\"Done\" [shape=doublecircle, style=filled, fillcolor=\"#ffe08a\", penwidth=2];\n" +
				"}\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(tt.m.DOT(tt.opt))
			if got != tt.want {
				t.Errorf("DOT() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestDOTParallelEdges checks that transitions between the same two
// states share one edge with one label line each, in declaration order,
// and that the edge comes where its first transition was declared.
func TestDOTParallelEdges(t *testing.T) {
	m := Machine{
		Name:   "Graph",
		States: []State{{Name: "Active", Initial: true}, {Name: "Archived", Final: true}},
		Transitions: []Transition{
			{From: "Active", To: "Active", Command: "AddNode", Events: []string{"NodeAdded"}},
			{From: "Active", To: "Archived", Command: "Archive", Events: []string{"Archived"}},
			{From: "Active", To: "Active", Command: "Connect", Events: []string{"Connected"}},
			{From: "Active", To: "Archived", Command: "Expire"},
		},
	}
	got := string(m.DOT(Options{}))
	want := "\t\"[*]\" -> \"Active\";\n" +
		"\t\"Active\" -> \"Active\" [label=\"AddNode / NodeAdded\\nConnect / Connected\"];\n" +
		"\t\"Active\" -> \"Archived\" [label=\"Archive / Archived\\nExpire\"];\n" +
		"}\n"
	if !strings.HasSuffix(got, want) {
		t.Errorf("DOT() =\n%s\nwant it to end with\n%s", got, want)
	}
}

func TestMermaid(t *testing.T) {
	doorText := "stateDiagram-v2\n" +
		"    Closed\n" +
		"    Open\n" +
		"    Broken\n" +
		"    [*] --> Closed\n" +
		"    Closed --> Open : Push / Opened\n" +
		"    Closed --> Broken : Push / Jammed, AlarmRaised\n" +
		"    Open --> Open : Wave / Waved\n" +
		"    Open --> Closed : Pull\n" +
		"    Broken --> [*]\n"
	tests := []struct {
		name string
		m    Machine
		opt  Options
		want string
	}{
		{name: "empty", m: Machine{Name: "Metrics"}, want: "stateDiagram-v2\n"},
		{name: "door", m: door, want: doorText},
		{
			name: "highlight",
			m:    door,
			opt:  Options{Highlight: "Broken"},
			want: doorText +
				"    classDef current fill:#ffe08a,stroke-width:2px\n" +
				"    class Broken current\n",
		},
		{name: "unknown highlight", m: door, opt: Options{Highlight: "Ajar"}, want: doorText},
		{
			name: "unsafe characters",
			m: Machine{
				States:      []State{{Name: "A-1", Initial: true}},
				Transitions: []Transition{{From: "A-1", To: "A-1", Command: "Go;", Events: []string{"#Went\n"}}},
			},
			want: "stateDiagram-v2\n" +
				"    state \"A-1\" as A_1\n" +
				"    [*] --> A_1\n" +
				"    A_1 --> A_1 : Go, / Went \n",
		},
		{
			// Mermaid's lexer reads these words as syntax at the start of
			// a statement, in any case: "Direction" followed by a state
			// "Tb" on the next line would even be read as "direction TB".
			name: "keywords",
			m: Machine{
				States: []State{{Name: "Note", Initial: true}, {Name: "Note_"}, {Name: "Direction"}, {Name: "Tb"},
					{Name: "STATE"}, {Name: "ClassDef", Final: true}, {Name: "Notes"}},
				Transitions: []Transition{
					{From: "Note", To: "Note_", Command: "Scale"},
					{From: "Note_", To: "Direction", Command: "Turn"},
					{From: "Direction", To: "Tb", Command: "Go"},
					{From: "Tb", To: "STATE", Command: "Go"},
					{From: "STATE", To: "ClassDef", Command: "Go"},
					{From: "Note", To: "Notes", Command: "Go"},
				},
			},
			opt: Options{Highlight: "STATE"},
			want: "stateDiagram-v2\n" +
				"    state \"Note\" as Note__\n" +
				"    Note_\n" +
				"    state \"Direction\" as Direction_\n" +
				"    Tb\n" +
				"    state \"STATE\" as STATE_\n" +
				"    state \"ClassDef\" as ClassDef_\n" +
				"    Notes\n" +
				"    [*] --> Note__\n" +
				"    Note__ --> Note_ : Scale\n" +
				"    Note_ --> Direction_ : Turn\n" +
				"    Direction_ --> Tb : Go\n" +
				"    Tb --> STATE_ : Go\n" +
				"    STATE_ --> ClassDef_ : Go\n" +
				"    Note__ --> Notes : Go\n" +
				"    ClassDef_ --> [*]\n" +
				"    classDef current fill:#ffe08a,stroke-width:2px\n" +
				"    class STATE_ current\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(tt.m.Mermaid(tt.opt))
			if got != tt.want {
				t.Errorf("Mermaid() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestLabel(t *testing.T) {
	tests := []struct {
		tr   Transition
		want string
	}{
		{Transition{Command: "Pull"}, "Pull"},
		{Transition{Command: "Push", Events: []string{"Opened"}}, "Push / Opened"},
		{Transition{Command: "Open", Events: []string{"Opened", "Announced", "Logged"}}, "Open / Opened, Announced, Logged"},
	}
	for _, tt := range tests {
		if got := tt.tr.Label(); got != tt.want {
			t.Errorf("Label(%+v) = %q, want %q", tt.tr, got, tt.want)
		}
	}
}

func TestHasStateAndNames(t *testing.T) {
	for name, want := range map[string]bool{"Closed": true, "Broken": true, "closed": false, "": false} {
		if got := door.HasState(name); got != want {
			t.Errorf("HasState(%q) = %v, want %v", name, got, want)
		}
	}
	if got := strings.Join(door.StateNames(), ","); got != "Closed,Open,Broken" {
		t.Errorf("StateNames() = %s", got)
	}
}

// TestDOTDeterministic guards the promise that a running program draws the
// same bytes each time.
func TestDOTDeterministic(t *testing.T) {
	first := door.DOT(Options{Highlight: "Open"})
	for range 20 {
		if got := door.DOT(Options{Highlight: "Open"}); string(got) != string(first) {
			t.Fatalf("DOT output changed between calls:\n%s\n%s", first, got)
		}
	}
}
