package build

import (
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
)

// TestOwnersExactNames checks that a file counts for the aggregate it is
// generated for, not for another whose name starts it: graph_x.gen.go is
// Graph_x's, not Graph's; and that files no aggregate names are shared.
func TestOwnersExactNames(t *testing.T) {
	src := "package p\n"
	for _, name := range []string{"Graph", "Graph_x"} {
		src += strings.ReplaceAll("aggregate N {\n    state NA initial\n    state NB final\n    command NGo {}\n    event NWent {}\n    on NGo: NA -> NB emits NWent\n}\n", "N", name)
	}
	f, ds := dsl.Load("graph.esm", []byte(src))
	if f == nil {
		t.Fatal(ds.Err())
	}
	in := &Input{Model: f}
	for _, n := range []string{"graph.gen.go", "graph_x.gen.go", "graph_x_codec.gen.go", "graph_x.md", "graph_types.gen.go", "graphical.md"} {
		in.Outputs = append(in.Outputs, &Output{Name: n, Action: Write})
	}
	in.assignOwners()
	want := map[string]string{
		"graph.gen.go": "Graph", "graph_x.gen.go": "Graph_x", "graph_x_codec.gen.go": "Graph_x", "graph_x.md": "Graph_x",
		"graph_types.gen.go": "", "graphical.md": "",
	}
	for _, o := range in.Outputs {
		if o.Owner != want[o.Name] {
			t.Errorf("%s: owner %q, want %q", o.Name, o.Owner, want[o.Name])
		}
	}
}
