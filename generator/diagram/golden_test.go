package diagram

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/esgen/esgen/generator/diagram/diagramtest"
	"github.com/rogpeppe/go-internal/diff"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fakeSVG stands in for Graphviz in the goldens: the SVG itself is tested
// in package svg; here only the files around it matter.
func fakeSVG(_ context.Context, dot []byte) ([]byte, error) {
	return []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg/>\n"), nil
}

// TestGolden writes the DOT, Mermaid and Markdown of every case and
// compares them byte for byte with testdata/<case>/. Run with -update to
// rewrite the goldens after an intended change, then review the diff.
func TestGolden(t *testing.T) {
	for _, c := range diagramtest.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			files, err := Files(context.Background(), c.File, Options{Formats: AllFormats(), RenderSVG: fakeSVG})
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("testdata", c.Name)
			got := map[string][]byte{}
			for _, f := range files {
				if !strings.HasSuffix(f.Name, ".svg") {
					got[f.Name] = f.Data
				}
			}
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				for name, data := range got {
					if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, e := range entries {
				want = append(want, e.Name())
				data, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				g, ok := got[e.Name()]
				if !ok {
					t.Errorf("%s: not generated", e.Name())
					continue
				}
				if d := diff.Diff("want/"+e.Name(), data, "got/"+e.Name(), g); d != nil {
					t.Errorf("%s differs from the golden (go test -update rewrites it):\n%s", e.Name(), d)
				}
			}
			for name := range got {
				if !slices.Contains(want, name) {
					t.Errorf("%s: generated but has no golden", name)
				}
			}
		})
	}
}
