package svg

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/generator/internal/svgcheck"
	"github.com/esgen/esgen/runtime/machine"
)

// goldenRoot holds the golden cases of the generator; each case's
// <aggregate>.svg is what esgen generate writes, compared byte for byte by
// the generator's golden test (go test ./generator -update rewrites them;
// the examples' pictures were checked by eye for legibility, and a change
// of layout shows up there for another look).
const goldenRoot = "../../../testdata/golden"

// goldenModels returns the checked model of every golden case whose input
// checks clean, by case name.
func goldenModels(t testing.TB) map[string]*dsl.File {
	t.Helper()
	inputs, err := filepath.Glob(filepath.Join(goldenRoot, "*", "*.esm"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs under %s: %v", goldenRoot, err)
	}
	models := map[string]*dsl.File{}
	for _, in := range inputs {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		if f, _ := dsl.Load(filepath.Base(in), src); f != nil {
			models[filepath.Base(filepath.Dir(in))] = f
		}
	}
	return models
}

// TestCases renders the machine of every aggregate and process of the
// golden cases with its fields and its last state highlighted: the SVG must
// be well-formed, show every state, field and edge label with their ids and
// classes, and fill the highlighted state, which the golden SVGs (drawn
// without a highlight or fields) do not.
func TestCases(t *testing.T) {
	for name, f := range goldenModels(t) {
		var ms []machine.Machine
		for _, a := range f.Aggregates {
			if diagram.HasMachine(a) {
				ms = append(ms, diagram.Drawn(a))
			}
		}
		for _, p := range f.Processes {
			ms = append(ms, diagram.ProcessMachine(p))
		}
		for _, m := range ms {
			t.Run(name+"/"+m.Name, func(t *testing.T) {
				hl := m.States[len(m.States)-1].Name
				doc, err := Render(context.Background(), m.DOT(machine.Options{Highlight: hl, Fields: true}))
				if err != nil {
					t.Fatal(err)
				}
				if err := svgcheck.Check(m, doc); err != nil {
					t.Error(err)
				}
				if !bytes.Contains(doc, []byte(`fill="`+machine.HighlightColor+`"`)) {
					t.Errorf("highlighting %s: the SVG has no %s fill", hl, machine.HighlightColor)
				}
				texts, err := svgcheck.Texts(doc)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range m.States {
					for _, f := range s.Fields {
						if !slices.Contains(texts, f) {
							t.Errorf("state %s: the SVG does not show its field %q", s.Name, f)
						}
					}
				}
			})
		}
	}
}
