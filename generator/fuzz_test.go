package generator

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/esgen/esgen/dsl"
)

// FuzzGenerate checks that every file the checker accepts generates:
// no panic and no error, not even ErrInvalidInput, since the checker
// reports every model Generate rejects with a positioned diagnostic
// (Generate formats every file, so the output also parses as Go).
func FuzzGenerate(f *testing.F) {
	inputs, err := filepath.Glob(filepath.Join(goldenRoot, "*", "*.esm"))
	if err != nil {
		f.Fatal(err)
	}
	examples, err := filepath.Glob(filepath.Join("..", "examples", "*.esm"))
	if err != nil {
		f.Fatal(err)
	}
	if len(inputs) == 0 || len(examples) == 0 {
		f.Fatal("no seed inputs in the golden cases or the examples")
	}
	inputs = append(inputs, examples...)
	for _, in := range inputs {
		src, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		model, diags := dsl.Load("fuzz.esm", src)
		if diags.HasErrors() {
			return
		}
		if _, err := Generate(context.Background(), model, Options{}); err != nil {
			t.Fatalf("Generate of a checked file: %v\n%s", err, src)
		}
	})
}
