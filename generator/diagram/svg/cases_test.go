package svg

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/runtime/machine"
)

var update = flag.Bool("update", false, "rewrite testdata/*.svg")

// TestCases renders the machine of every aggregate of the diagram cases
// (../testdata/<case>/input.esm): the
// SVG must be well-formed and show every state and edge label, and be
// byte-identical to the committed testdata/<aggregate>.svg, rendered by
// an earlier run (the examples' pictures were checked by eye for legibility;
// a change in layout shows up here for another look).
func TestCases(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("..", "testdata", "*", "input.esm"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs under ../testdata: %v", err)
	}
	for _, in := range inputs {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(in))
		f, ds := dsl.Load(name+".esm", src)
		if f == nil {
			t.Fatalf("%s:\n%v", in, ds.Err())
		}
		for _, a := range f.Aggregates {
			if !diagram.HasMachine(a) {
				continue
			}
			t.Run(name+"/"+a.Name, func(t *testing.T) {
				m := diagram.Machine(a)
				doc, err := Render(context.Background(), diagram.DOT(a))
				if err != nil {
					t.Fatal(err)
				}
				checkMachineSVG(t, m, doc)
				golden := filepath.Join("testdata", diagram.BaseName(a)+".svg")
				if *update {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, doc, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(doc, want) {
					t.Errorf("SVG differs from %s (go test -update rewrites it; look at it before committing)", golden)
				}
				hl := m.States[len(m.States)-1].Name
				doc, err = Render(context.Background(), m.DOT(machine.Options{Highlight: hl}))
				if err != nil {
					t.Fatal(err)
				}
				checkMachineSVG(t, m, doc)
			})
		}
	}
}
