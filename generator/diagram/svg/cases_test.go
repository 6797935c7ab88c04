package svg

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/generator/diagram/diagramtest"
	"github.com/esgen/esgen/runtime/machine"
)

var update = flag.Bool("update", false, "rewrite testdata/*.svg")

// TestCases renders the machine of every aggregate of the test models: the
// SVG must be well-formed and show every state and edge label, and be
// byte-identical to the committed testdata/<aggregate>.svg, rendered by
// an earlier run (the examples' pictures were checked by eye for legibility;
// a change in layout shows up here for another look).
func TestCases(t *testing.T) {
	for _, c := range diagramtest.Cases() {
		for _, a := range c.File.Aggregates {
			if !diagram.HasMachine(a) {
				continue
			}
			t.Run(c.Name+"/"+a.Name, func(t *testing.T) {
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
