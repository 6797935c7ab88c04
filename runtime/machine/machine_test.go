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
	header := "\tgraph [rankdir=LR, bgcolor=\"transparent\", pad=0.1, nodesep=0.35, ranksep=0.5, fontname=\"Helvetica\", class=\"esgen\"];\n" +
		"\tnode [shape=box, style=\"rounded,filled\", height=0.4, margin=\"0.16,0.06\", fillcolor=\"#f3f4f6\", color=\"#6b7280\", fontcolor=\"#111827\", fontname=\"Helvetica\", fontsize=12];\n" +
		"\tedge [color=\"#808080\", fontcolor=\"#767676\", fontname=\"Helvetica\", fontsize=10, arrowsize=0.7];\n"
	doorBody := func(open string) string {
		return "\n" +
			"\t\"[*]\" [id=\"start\", class=\"start\", shape=point, width=0.14, height=0.14, color=\"#808080\", fillcolor=\"#808080\"];\n" +
			"\n" +
			"\t\"Closed\" [id=\"state-Closed\", class=\"state initial\"];\n" +
			"\t\"Open\" [id=\"state-Open\", class=\"state" + open + "];\n" +
			"\t\"Broken\" [id=\"state-Broken\", class=\"state final\", peripheries=2];\n" +
			"\t\"Broken [*]\" [id=\"end-Broken\", class=\"end\", shape=point, peripheries=2, width=0.1, height=0.1, color=\"#808080\", fillcolor=\"#808080\"];\n" +
			"\n" +
			"\t\"[*]\" -> \"Closed\" [id=\"entry-Closed\", class=\"entry\"];\n" +
			"\tnode [shape=plaintext, style=\"\", width=0, height=0, margin=\"0.14,0.03\", fontcolor=\"#767676\", fontsize=10];\n" +
			"\t\"Closed -> Open\" [id=\"label-Closed-Open\", class=\"label edge-Closed-Open\", label=\"Push / Opened\"];\n" +
			"\t\"Closed\" -> \"Closed -> Open\" [id=\"edge-Closed-Open\", class=\"transition edge-Closed-Open\", headport=w, arrowhead=none];\n" +
			"\t\"Closed -> Open\" -> \"Open\" [id=\"head-Closed-Open\", class=\"transition edge-Closed-Open\", tailport=e];\n" +
			"\t\"Closed -> Broken\" [id=\"label-Closed-Broken\", class=\"label edge-Closed-Broken\", label=\"Push / Jammed, AlarmRaised\"];\n" +
			"\t\"Closed\" -> \"Closed -> Broken\" [id=\"edge-Closed-Broken\", class=\"transition edge-Closed-Broken\", headport=w, arrowhead=none];\n" +
			"\t\"Closed -> Broken\" -> \"Broken\" [id=\"head-Closed-Broken\", class=\"transition edge-Closed-Broken\", tailport=e];\n" +
			"\t\"Open -> Open\" [id=\"label-Open-Open\", class=\"label edge-Open-Open\", label=\"Wave / Waved\"];\n" +
			"\t\"Open\" -> \"Open -> Open\" [id=\"edge-Open-Open\", class=\"transition edge-Open-Open\", headport=w, arrowhead=none];\n" +
			"\t\"Open -> Open\" -> \"Open\" [id=\"head-Open-Open\", class=\"transition edge-Open-Open\", tailport=e];\n" +
			// Pull leads back to Closed: drawn target first, the arrow
			// at its tail, so that its label lies between the states.
			"\t\"Open -> Closed\" [id=\"label-Open-Closed\", class=\"label edge-Open-Closed\", label=\"Pull\"];\n" +
			"\t\"Closed\" -> \"Open -> Closed\" [id=\"head-Open-Closed\", class=\"transition edge-Open-Closed\", headport=w, dir=back];\n" +
			"\t\"Open -> Closed\" -> \"Open\" [id=\"edge-Open-Closed\", class=\"transition edge-Open-Closed\", tailport=e, dir=none];\n" +
			"\t\"Broken\" -> \"Broken [*]\" [id=\"exit-Broken\", class=\"exit\"];\n" +
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
			want: "digraph \"Door\" {\n" + header + doorBody("\""),
		},
		{
			name: "highlight",
			m:    door,
			opt:  Options{Highlight: "Open"},
			want: "digraph \"Door\" {\n" + header + doorBody(" current\", fillcolor=\"#ffe08a\", penwidth=2"),
		},
		{
			name: "unknown highlight draws nothing highlighted",
			m:    door,
			opt:  Options{Highlight: "Ajar"},
			want: "digraph \"Door\" {\n" + header + doorBody("\""),
		},
		{
			name: "fields without any field draw as without the option",
			m:    door,
			opt:  Options{Fields: true},
			want: "digraph \"Door\" {\n" + header + doorBody("\""),
		},
		{
			name: "final highlighted and quoting",
			m: Machine{
				Name:   `a"b\c`,
				States: []State{{Name: "Done", Final: true}},
			},
			opt: Options{Highlight: "Done"},
			want: "digraph \"a\\\"b\\\\c\" {\n" + header + "\n" +
				"\t\"Done\" [id=\"state-Done\", class=\"state final current\", peripheries=2, fillcolor=\"#ffe08a\", penwidth=2];\n" +
				"\t\"Done [*]\" [id=\"end-Done\", class=\"end\", shape=point, peripheries=2, width=0.1, height=0.1, color=\"#808080\", fillcolor=\"#808080\"];\n" +
				"\n" +
				"\t\"Done\" -> \"Done [*]\" [id=\"exit-Done\", class=\"exit\"];\n" +
				"}\n",
		},
		{
			name: "fields, escaped for the HTML-like label",
			m: Machine{
				Name: "Box",
				States: []State{
					{Name: "Empty", Initial: true, Fields: []string{"items []Item", "tags map[string]bool", "a<b> bool & c"}},
					{Name: "Full"},
				},
			},
			opt: Options{Fields: true},
			want: "digraph \"Box\" {\n" + header + "\n" +
				"\t\"[*]\" [id=\"start\", class=\"start\", shape=point, width=0.14, height=0.14, color=\"#808080\", fillcolor=\"#808080\"];\n" +
				"\n" +
				"\t\"Empty\" [id=\"state-Empty\", class=\"state initial\", margin=\"0.14,0.04\", label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\">" +
				"<tr><td>Empty</td></tr><hr/>" +
				"<tr><td align=\"left\"><font face=\"Courier\" point-size=\"10\">items []Item</font></td></tr>" +
				"<tr><td align=\"left\"><font face=\"Courier\" point-size=\"10\">tags map[string]bool</font></td></tr>" +
				"<tr><td align=\"left\"><font face=\"Courier\" point-size=\"10\">a&lt;b&gt; bool &amp; c</font></td></tr>" +
				"</table>>];\n" +
				"\t\"Full\" [id=\"state-Full\", class=\"state\"];\n" +
				"\n" +
				"\t\"[*]\" -> \"Empty\" [id=\"entry-Empty\", class=\"entry\"];\n" +
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
	want := "\t\"Active -> Active\" [id=\"label-Active-Active\", class=\"label edge-Active-Active\", label=\"AddNode / NodeAdded\\nConnect / Connected\"];\n" +
		"\t\"Active\" -> \"Active -> Active\" [id=\"edge-Active-Active\", class=\"transition edge-Active-Active\", headport=w, arrowhead=none];\n" +
		"\t\"Active -> Active\" -> \"Active\" [id=\"head-Active-Active\", class=\"transition edge-Active-Active\", tailport=e];\n" +
		"\t\"Active -> Archived\" [id=\"label-Active-Archived\", class=\"label edge-Active-Archived\", label=\"Archive / Archived\\nExpire\"];\n" +
		"\t\"Active\" -> \"Active -> Archived\" [id=\"edge-Active-Archived\", class=\"transition edge-Active-Archived\", headport=w, arrowhead=none];\n" +
		"\t\"Active -> Archived\" -> \"Archived\" [id=\"head-Active-Archived\", class=\"transition edge-Active-Archived\", tailport=e];\n" +
		"\t\"Archived\" -> \"Archived [*]\" [id=\"exit-Archived\", class=\"exit\"];\n" +
		"}\n"
	if !strings.HasSuffix(got, want) {
		t.Errorf("DOT() =\n%s\nwant it to end with\n%s", got, want)
	}
}

// TestBackEdges checks which edges are drawn against the flow: those that
// close a cycle in a walk from the initial state, states and edges in
// declaration order; self-loops and edges into a state already left
// behind on another branch (cross edges) are not.
func TestBackEdges(t *testing.T) {
	m := Machine{
		States: []State{{Name: "A"}, {Name: "B", Initial: true}, {Name: "C"}, {Name: "D"}, {Name: "E"}},
		Transitions: []Transition{
			{From: "B", To: "C", Command: "x"},
			{From: "C", To: "B", Command: "x"}, // back to B, on the path
			{From: "C", To: "C", Command: "x"}, // self-loop
			{From: "B", To: "D", Command: "x"},
			{From: "D", To: "C", Command: "x"}, // cross: C is done
			{From: "A", To: "B", Command: "x"}, // A is walked last: B is done
			{From: "E", To: "E", Command: "x"},
			{From: "D", To: "B", Command: "x"}, // back to B
		},
	}
	var got []string
	for _, e := range edges(m) {
		if e.back {
			got = append(got, e.from+"-"+e.to)
		}
	}
	if strings.Join(got, " ") != "C-B D-B" {
		t.Errorf("back edges = %v, want [C-B D-B]", got)
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
