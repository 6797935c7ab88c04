package main

import (
	"slices"
	"testing"

	"github.com/esgen/esgen/build"
)

func TestSummary(t *testing.T) {
	out := func(name, owner string, a build.Action) *build.Output {
		return &build.Output{Name: name, Owner: owner, Action: a}
	}
	in := &build.Input{
		Name:  "graph.esm",
		Model: mustLoad(t, "graph.esm", "package p\n"+machineText("Graph")+eventualText),
		Outputs: []*build.Output{
			out("graph.gen.go", "Graph", build.Write), out("graph_gen_test.go", "Graph", build.Write), out("graph_test.go", "Graph", build.Create),
			out("graph.svg", "Graph", build.Write), out("graph.md", "Graph", build.Write), out("metrics.gen.go", "Metrics", build.Write),
			out("metrics.md", "Metrics", build.Write), out("types.gen.go", "", build.Write), out("graphical.md", "", build.Write),
			out("old.gen.go", "", build.Remove), {Name: "gone.gen.go", Action: build.Remove, Orphan: "gone.esm"},
			{Name: "gone.md", Action: build.Remove, Orphan: "gone.esm"},
		},
	}
	status := map[string]build.Status{
		"graph.gen.go": build.Written, "graph_gen_test.go": build.Written, "graph_test.go": build.Kept,
		"graph.svg": build.Unchanged, "graph.md": build.Unchanged, "metrics.gen.go": build.Written,
		"metrics.md": build.Unchanged, "types.gen.go": build.Unchanged, "graphical.md": build.Written,
		"old.gen.go": build.Removed, "gone.gen.go": build.Removed,
	}
	got := summary(in, func(o *build.Output) build.Status { return status[o.Name] })
	want := []string{
		"graph.esm: Graph: 2 states, 2 commands, 2 events (2 versions), 2 transitions; 5 files: 2 written, 2 unchanged, 1 kept",
		"graph.esm: Metrics (eventual): 1 event (1 version); 2 files: 1 written, 1 unchanged",
		"graph.esm: shared by the file's aggregates: 2 files: 1 written, 1 unchanged",
		"graph.esm: no longer generated: 1 file: 1 removed",
		"gone.esm: no longer exists: 2 files: 1 removed",
	}
	if !slices.Equal(got, want) {
		t.Errorf("summary =\n%q\nwant\n%q", got, want)
	}
}

// TestSummaryExtended checks the line that names the cases added to a
// test skeleton, only when they were.
func TestSummaryExtended(t *testing.T) {
	skel := &build.Output{Name: "graph_test.go", Owner: "Graph", Action: build.Extend, Added: []string{"TestA", "TestB"}}
	in := &build.Input{
		Name:    "graph.esm",
		Model:   mustLoad(t, "graph.esm", "package p\n"+machineText("Graph")),
		Outputs: []*build.Output{{Name: "graph.gen.go", Owner: "Graph", Action: build.Write}, skel},
	}
	got := summary(in, func(o *build.Output) build.Status {
		if o == skel {
			return build.Extended
		}
		return build.Unchanged
	})
	want := []string{
		"graph.esm: Graph: 2 states, 2 commands, 2 events (2 versions), 2 transitions; 2 files: 1 extended, 1 unchanged",
		"graph.esm: Graph: added to graph_test.go: TestA, TestB",
	}
	if !slices.Equal(got, want) {
		t.Errorf("summary =\n%q\nwant\n%q", got, want)
	}
}
