package dsl

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rogpeppe/go-internal/diff"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestFormatExamples requires the examples to be in canonical form.
func TestFormatExamples(t *testing.T) {
	for _, path := range examples {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out, diags := Format(filepath.Base(path), src)
		if diags != nil {
			t.Fatalf("%s: %v", path, diags.Err())
		}
		if string(out) != string(src) {
			t.Errorf("%s is not formatted:\n%s", path, diff.Diff("file", src, "formatted", out))
		}
	}
}

// TestFormatCases compares the output of Format on each case of
// testdata/format (input.esm) with want.esm; -update rewrites want.esm.
func TestFormatCases(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "format", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no format cases: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			arc, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			input, want := archiveFile(arc, "input.esm"), archiveFile(arc, "want.esm")
			out, diags := Format("input.esm", input)
			if diags != nil {
				t.Fatal(diags.Err())
			}
			if *update {
				for i := range arc.Files {
					if arc.Files[i].Name == "want.esm" {
						arc.Files[i].Data = out
					}
				}
				if err := os.WriteFile(path, txtar.Format(arc), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if string(out) != string(want) {
				t.Errorf("output differs (go test ./dsl -run TestFormatCases -update rewrites it):\n%s", diff.Diff("want", want, "got", out))
			}
		})
	}
}

func archiveFile(arc *txtar.Archive, name string) []byte {
	for _, f := range arc.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

// allInputs returns every .esm text of the tests: examples, the
// generator's golden inputs, diagnostic cases and format cases, by name.
func allInputs(t testing.TB) map[string][]byte {
	t.Helper()
	inputs := map[string][]byte{}
	// Globbed rather than the examples list, so that a new example or
	// golden case reaches the fuzz corpus without another edit.
	exampleFiles, _ := filepath.Glob(filepath.Join("..", "examples", "*.esm"))
	goldenFiles, _ := filepath.Glob(filepath.Join("..", "testdata", "golden", "*", "*.esm"))
	if len(exampleFiles) == 0 || len(goldenFiles) == 0 {
		t.Fatal("no .esm files in ../examples or ../testdata/golden/*")
	}
	for _, path := range append(exampleFiles, goldenFiles...) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		if dir := filepath.Dir(path); filepath.Base(filepath.Dir(dir)) == "golden" {
			name = "golden/" + filepath.Base(dir) + "/" + name
		}
		inputs[name] = src
	}
	for _, c := range readDiagCases(t) {
		inputs[filepath.Base(c.path)] = c.input
	}
	paths, _ := filepath.Glob(filepath.Join("testdata", "format", "*.txtar"))
	for _, path := range paths {
		arc, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(path)] = archiveFile(arc, "input.esm")
		inputs[filepath.Base(path)+"/want"] = archiveFile(arc, "want.esm")
	}
	return inputs
}

// TestFormatProperties checks, on every test input, that Format fails
// exactly when Parse does, that it keeps every comment in order, that its
// output is a fixpoint, and that Load gives the same model (positions
// aside) and the same diagnostic codes.
func TestFormatProperties(t *testing.T) {
	for name, src := range allInputs(t) {
		t.Run(name, func(t *testing.T) {
			checkFormatProperties(t, src)
		})
	}
}

// modelOpts compares models without positions.
var modelOpts = cmp.Options{cmpopts.IgnoreTypes(Position{})}

// checkFormatProperties is the body of TestFormatProperties and FuzzFormat.
func checkFormatProperties(t *testing.T, src []byte) {
	t.Helper()
	out, fdiags := Format("input.esm", src)
	_, pdiags := Parse("input.esm", src)
	if fdiags.HasErrors() != pdiags.HasErrors() {
		t.Fatalf("Format errors %v, Parse errors %v", fdiags, pdiags)
	}
	if fdiags.HasErrors() {
		if out != nil {
			t.Fatalf("Format returned output with syntax errors")
		}
		return
	}
	if in, got := commentTexts(t, src), commentTexts(t, out); !slices.Equal(in, got) {
		t.Fatalf("Format does not keep the comments in order:\nbefore %q\nafter  %q\n%s", in, got, out)
	}
	out2, diags2 := Format("input.esm", out)
	if diags2 != nil {
		t.Fatalf("formatted output does not parse: %v\n%s", diags2.Err(), out)
	}
	if string(out2) != string(out) {
		t.Fatalf("Format is not idempotent:\n%s", diff.Diff("first", out, "second", out2))
	}
	m1, d1 := Load("input.esm", src)
	m2, d2 := Load("input.esm", out)
	if !slices.Equal(codes(d1), codes(d2)) {
		t.Fatalf("diagnostics differ after Format: before %v, after %v\n%s", d1, d2, out)
	}
	if d := cmp.Diff(m1, m2, modelOpts); d != "" {
		t.Fatalf("model differs after Format (-before +after):\n%s\n%s", d, out)
	}
}

// codes returns the sorted codes of diagnostics.
func codes(ds Diagnostics) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	slices.Sort(out)
	return out
}

// commentTexts returns the text of every comment of src, in order.
func commentTexts(t *testing.T, src []byte) []string {
	t.Helper()
	toks, err := lexBytes("input.esm", src)
	if err != nil {
		t.Fatalf("lex: %v", err)
	}
	var out []string
	for _, tok := range toks {
		if tok.Type == tokComment {
			out = append(out, tok.Value)
		}
	}
	return out
}
