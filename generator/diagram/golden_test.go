package diagram

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/esgen/esgen/dsl"
)

// goldenRoot holds the golden cases of the whole generator, one directory
// per case with its .esm input and every file esgen generate writes for it,
// diagrams and pages included. The generator's golden test owns them
// (go test ./generator -update rewrites them, SVG drawn by Graphviz); the
// test here reads them.
const goldenRoot = "../../testdata/golden"

// fakeSVG stands in for Graphviz: the pages only link the SVG by name, and
// the SVG itself is compared by the generator's golden test.
func fakeSVG(_ context.Context, dot []byte) ([]byte, error) {
	return []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg/>\n"), nil
}

// goldenCase is one case of goldenRoot whose input checks clean.
type goldenCase struct {
	name, dir string
	model     *dsl.File
}

// goldenCases loads every case of goldenRoot whose input checks clean, as
// the generator's golden test loads it (the .esm base name as file name).
func goldenCases(t testing.TB) []goldenCase {
	t.Helper()
	inputs, err := filepath.Glob(filepath.Join(goldenRoot, "*", "*.esm"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs under %s: %v", goldenRoot, err)
	}
	var cases []goldenCase
	for _, in := range inputs {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := dsl.Load(filepath.Base(in), src)
		if f == nil {
			continue // a bad input: its case holds the expected diagnostics
		}
		cases = append(cases, goldenCase{name: filepath.Base(filepath.Dir(in)), dir: filepath.Dir(in), model: f})
	}
	return cases
}

// load returns the checked model of the golden case name.
func load(t testing.TB, name string) *dsl.File {
	t.Helper()
	for _, c := range goldenCases(t) {
		if c.name == name {
			return c.model
		}
	}
	t.Fatalf("no golden case %s under %s", name, goldenRoot)
	return nil
}

// TestGolden checks the DOT, Mermaid and Markdown files of every golden
// case against what Files writes, byte for byte: the same check as the
// generator's golden test, here without Graphviz or the Go output, so that
// work on this package is checked by its own tests.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			files, err := Files(context.Background(), c.model, Options{Formats: AllFormats(), RenderSVG: fakeSVG})
			if err != nil {
				t.Fatal(err)
			}
			compared := 0
			for _, f := range files {
				if strings.HasSuffix(f.Name, ".svg") {
					continue
				}
				path := filepath.Join(c.dir, f.Name)
				want, err := os.ReadFile(path)
				if errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s: missing (go test ./generator -update writes it)", path)
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				compared++
				if !bytes.Equal(f.Data, want) {
					t.Errorf("%s differs from Files' output (go test ./generator -update rewrites it):\n%s",
						path, diff.Diff(path, want, "generated", f.Data))
				}
			}
			if compared == 0 {
				t.Error("no diagram or page generated")
			}
		})
	}
}
