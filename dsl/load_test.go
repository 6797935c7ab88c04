package dsl

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
)

var update = flag.Bool("update", false, "rewrite golden files and the generated sections of docs/language.md")

// examples are the .esm files shipped with esgen; they must check clean.
var examples = []string{"../examples/orders.esm", "../examples/graph.esm"}

// TestExamplesModel loads each example, requires no diagnostic at all
// (warnings included), and compares the model with its golden dump in
// testdata/models.
func TestExamplesModel(t *testing.T) {
	for _, path := range examples {
		name := strings.TrimSuffix(filepath.Base(path), ".esm")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			m, diags := Load(filepath.Base(path), src)
			if len(diags) != 0 {
				t.Fatalf("diagnostics on %s:\n%v", path, diags.Err())
			}
			if m == nil {
				t.Fatal("Load returned a nil model without diagnostics")
			}
			golden := filepath.Join("testdata", "models", name+".txt")
			compareGolden(t, golden, dumpModel(m))
		})
	}
}

// compareGolden compares got with the golden file, or rewrites it with -update.
func compareGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./dsl -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test ./dsl -update rewrites it):\n%s", golden, diff.Diff("want", want, "got", []byte(got)))
	}
}

// TestConcurrentLoad loads the examples from several goroutines: the
// parser built once is shared (run with -race).
func TestConcurrentLoad(t *testing.T) {
	srcs := make([][]byte, len(examples))
	for i, path := range examples {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		srcs[i] = src
	}
	done := make(chan string)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 20; i++ {
				src := srcs[(g+i)%len(srcs)]
				if m, diags := Load("x.esm", src); m == nil || len(diags) != 0 {
					done <- fmt.Sprint(diags)
					return
				}
				if out, _ := Format("x.esm", src); string(out) != string(src) {
					done <- "Format changed an example"
					return
				}
			}
			done <- ""
		}()
	}
	for g := 0; g < 4; g++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}
