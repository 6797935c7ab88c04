package diagram

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
	"github.com/rogpeppe/go-internal/diff"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fakeSVG stands in for Graphviz in the goldens: the SVG itself is tested
// in package svg; here only the files around it matter.
func fakeSVG(_ context.Context, dot []byte) ([]byte, error) {
	return []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg/>\n"), nil
}

// load returns the checked model of testdata/<name>/input.esm.
func load(t testing.TB, name string) *dsl.File {
	t.Helper()
	path := filepath.Join("testdata", name, inputName)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, ds := dsl.Load(filepath.Base(filepath.Dir(path))+".esm", src)
	if f == nil {
		t.Fatalf("%s:\n%v", path, ds.Err())
	}
	return f
}

// inputName is the .esm file of each case under testdata/.
const inputName = "input.esm"

// cases lists the case directories under testdata/.
func cases(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Fatal("no cases under testdata/")
	}
	return names
}

// TestGolden writes the DOT, Mermaid and Markdown of every case
// (testdata/<case>/input.esm) and compares them byte for byte with the
// other files of testdata/<case>/. Run with -update to rewrite the goldens
// after an intended change, then review the diff.
func TestGolden(t *testing.T) {
	for _, name := range cases(t) {
		t.Run(name, func(t *testing.T) {
			files, err := Files(context.Background(), load(t, name), Options{Formats: AllFormats(), RenderSVG: fakeSVG})
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("testdata", name)
			got := map[string][]byte{}
			for _, f := range files {
				if !strings.HasSuffix(f.Name, ".svg") {
					got[f.Name] = f.Data
				}
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				for _, e := range entries {
					if e.Name() != inputName {
						if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
							t.Fatal(err)
						}
					}
				}
				for name, data := range got {
					if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			var want []string
			for _, e := range entries {
				if e.Name() == inputName {
					continue
				}
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
