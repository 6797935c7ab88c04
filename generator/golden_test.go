package generator

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/generator/diagram/svg"
	"github.com/esgen/esgen/generator/internal/svgcheck"
	"github.com/esgen/esgen/internal/outname"
)

var update = flag.Bool("update", false, "rewrite the expected files of testdata/golden from the generator's output")

// goldenRoot holds one directory per case: the .esm input, hand-written Go
// files the generated code needs (named user*.go), and every file
// `esgen generate -formats svg,md,dot,mermaid` writes for it (Go code,
// tests, skeleton, diagrams and pages); for a bad input, the expected
// diagnostics in "stderr".
const goldenRoot = "../testdata/golden"

// exampleCases are golden cases whose input is a copy of an example, kept
// equal to it (TestGoldenInputsMatchExamples; -update copies the example).
var exampleCases = map[string]string{"orders": "../examples/orders.esm", "graph": "../examples/graph.esm"}

// isInput reports whether a file of a case directory is an input rather
// than an expected output.
func isInput(name string) bool {
	return strings.HasSuffix(name, ".esm") || name == "stderr" || (strings.HasPrefix(name, "user") && strings.HasSuffix(name, ".go"))
}

type goldenCase struct {
	name, dir string
	model     *dsl.File
	stderr    []byte // diagnostics, for bad inputs
	users     []string
}

func loadGoldenCases(t *testing.T) []*goldenCase {
	t.Helper()
	entries, err := os.ReadDir(goldenRoot)
	if err != nil {
		t.Fatal(err)
	}
	var cases []*goldenCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c := &goldenCase{name: e.Name(), dir: filepath.Join(goldenRoot, e.Name())}
		files, err := os.ReadDir(c.dir)
		if err != nil {
			t.Fatal(err)
		}
		var esm string
		for _, f := range files {
			switch name := f.Name(); {
			case strings.HasSuffix(name, ".esm"):
				esm = name
			case isInput(name) && name != "stderr":
				c.users = append(c.users, name)
			}
		}
		if esm == "" {
			t.Fatalf("golden case %s has no .esm input", c.name)
		}
		path := filepath.Join(c.dir, esm)
		if example := exampleCases[c.name]; example != "" && *update {
			copyExample(t, example, path)
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		model, diags := dsl.Load(esm, src)
		if diags.HasErrors() {
			c.stderr = []byte(diagText(diags))
		} else {
			c.model = model
		}
		cases = append(cases, c)
	}
	return cases
}

// copyExample makes a golden input a copy of the example it stands for.
func copyExample(t *testing.T, example, input string) {
	t.Helper()
	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(input, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGoldenInputsMatchExamples checks that the orders and graph cases
// generate from the examples' own .esm files: their inputs must be byte
// copies (go test ./generator -update copies them), so that the goldens
// show what the examples generate.
func TestGoldenInputsMatchExamples(t *testing.T) {
	for name, example := range exampleCases {
		want, err := os.ReadFile(example)
		if err != nil {
			t.Fatal(err)
		}
		input := filepath.Join(goldenRoot, name, filepath.Base(example))
		got, err := os.ReadFile(input)
		if err != nil {
			t.Fatalf("%v (the case must hold a copy of %s)", err, example)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not a copy of %s (go test ./generator -update copies it):\n%s",
				input, example, diff.Diff(example, want, input, got))
		}
	}
}

// goldenOutput is every file esgen generate -formats svg,md,dot,mermaid
// writes for the model, composed as cmd/esgen composes it: the Go files,
// then the diagrams and pages, SVG drawn by Graphviz.
func goldenOutput(ctx context.Context, model *dsl.File) ([]File, error) {
	files, err := Generate(ctx, model, Options{})
	if err != nil {
		return nil, fmt.Errorf("Generate: %w", err)
	}
	pics, err := diagram.Files(ctx, model, diagram.Options{Formats: diagram.AllFormats(), RenderSVG: svg.Render})
	if err != nil {
		return nil, fmt.Errorf("diagram.Files: %w", err)
	}
	for _, p := range pics {
		files = append(files, File{Name: p.Name, Data: p.Data})
	}
	return files, nil
}

// checkSVGs checks every SVG of files structurally, beside the byte
// comparison: well-formed, and showing each state and transition label of
// the machine it draws.
func checkSVGs(t *testing.T, model *dsl.File, files []File) {
	t.Helper()
	drawn := 0
	for _, a := range model.Aggregates {
		if !diagram.HasMachine(a) {
			continue
		}
		i := slices.IndexFunc(files, func(f File) bool { return f.Name == diagram.BaseName(a)+".svg" })
		if i < 0 {
			t.Errorf("%s: no SVG generated", a.Name)
			continue
		}
		drawn++
		if err := svgcheck.Check(diagram.Drawn(a), files[i].Data); err != nil {
			t.Errorf("%s: %v", files[i].Name, err)
		}
	}
	for _, p := range model.Processes {
		i := slices.IndexFunc(files, func(f File) bool { return f.Name == outname.Diagram(p.Name, "svg") })
		if i < 0 {
			t.Errorf("%s: no SVG generated", p.Name)
			continue
		}
		drawn++
		if err := svgcheck.Check(diagram.ProcessMachine(p), files[i].Data); err != nil {
			t.Errorf("%s: %v", files[i].Name, err)
		}
	}
	if n := len(slices.DeleteFunc(slices.Clone(files), func(f File) bool { return !strings.HasSuffix(f.Name, ".svg") })); n != drawn {
		t.Errorf("%d SVG files for %d machines", n, drawn)
	}
}

func diagText(ds dsl.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestGolden generates every case, Go and diagrams, and compares each file
// byte for byte with its expected version (go test ./generator -update
// rewrites them); SVG files are also checked structurally. It then compiles
// all cases in one temporary module and runs their generated tests.
func TestGolden(t *testing.T) {
	cases := loadGoldenCases(t)
	generated := map[string][]File{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.stderr != nil {
				compareFile(t, filepath.Join(c.dir, "stderr"), c.stderr)
				return
			}
			files, err := goldenOutput(t.Context(), c.model)
			if err != nil {
				t.Fatal(err)
			}
			generated[c.name] = files
			checkSVGs(t, c.model, files)
			want := map[string]bool{}
			for _, f := range files {
				want[f.Name] = true
				compareFile(t, filepath.Join(c.dir, filepath.FromSlash(f.Name)), f.Data)
			}
			entries, err := os.ReadDir(c.dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if name := e.Name(); !isInput(name) && !want[name] {
					if *update {
						if err := os.Remove(filepath.Join(c.dir, name)); err != nil {
							t.Fatal(err)
						}
						continue
					}
					t.Errorf("%s: expected output that is no longer generated", filepath.Join(c.dir, name))
				}
			}
		})
	}
	t.Run("compile", func(t *testing.T) {
		if testing.Short() {
			t.Skip("compiling the golden output takes seconds")
		}
		if len(generated) == 0 {
			t.Skip("no case was generated (run all of TestGolden)")
		}
		compileGolden(t, cases, generated)
	})
}

func compareFile(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s: missing (go test ./generator -update writes it)", path)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the generator's output (go test ./generator -update rewrites it):\n%s",
			path, diff.Diff(path, want, "generated", got))
	}
}

// repoRoot is the directory of the esgen module.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod above the generator package: %v", err)
	}
	return dir
}

// goModule is a temporary module that replaces github.com/esgen/esgen
// with this repository, for compiling generated code. It needs no network:
// the module cache of this repository's dependencies is enough.
type goModule struct {
	dir   string
	goBin string
}

// newGoModule creates the module esgen.test/<name>, or skips the test when
// there is no go command.
func newGoModule(t *testing.T, name string) *goModule {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root := repoRoot(t)
	mod := t.TempDir()
	gomod := "module esgen.test/" + name + "\n\ngo 1.26.8\n\nrequire github.com/esgen/esgen v0.0.0\n\nreplace github.com/esgen/esgen => " + root + "\n"
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	return &goModule{dir: mod, goBin: goBin}
}

// writePackage writes the Go files of files, and extra files by name, to
// the package directory dir of the module.
func (m *goModule) writePackage(t *testing.T, dir string, files []File, extra map[string][]byte) {
	t.Helper()
	pkg := filepath.Join(m.dir, dir)
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		if err := os.WriteFile(filepath.Join(pkg, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range extra {
		if err := os.WriteFile(filepath.Join(pkg, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// run runs the go command in the module, offline.
func (m *goModule) run(args ...string) ([]byte, error) {
	cmd := exec.Command(m.goBin, args...)
	cmd.Dir = m.dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod -buildvcs=false", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	return cmd.CombinedOutput()
}

// compileGolden writes every case's output as a package of one temporary
// module, vets it, runs the generated tests, and checks that a skeleton
// case fails as "not written yet".
func compileGolden(t *testing.T, cases []*goldenCase, generated map[string][]File) {
	mod := newGoModule(t, "golden")
	var aggs, procs []string
	skeleton := ""
	for _, c := range cases {
		files, ok := generated[c.name]
		if !ok {
			continue
		}
		users := map[string][]byte{}
		for _, u := range c.users {
			data, err := os.ReadFile(filepath.Join(c.dir, u))
			if err != nil {
				t.Fatal(err)
			}
			users[u] = data
		}
		mod.writePackage(t, c.name, files, users)
		for _, p := range c.model.Processes {
			procs = append(procs, goNameOf(p.Name))
		}
		for _, a := range c.model.Aggregates {
			aggs = append(aggs, goNameOf(a.Name))
			if skeleton == "" && !a.Eventual && len(a.Transitions) > 0 {
				p, err := planAggregate(a)
				if err != nil {
					t.Fatal(err)
				}
				d := p.decisions[0]
				name := "Test" + p.name + d.method + "From" + goNameOf(d.branches[0].from[0].Name)
				if len(d.branches) > 1 {
					name = "Test" + p.name + d.branches[0].typeName + "From" + goNameOf(d.branches[0].from[0].Name)
				}
				skeleton = "./" + c.name + " " + name
			}
		}
	}
	run := mod.run
	if out, err := run("vet", "./..."); err != nil {
		t.Fatalf("go vet of the generated code: %v\n%s", err, out)
	}
	slices.Sort(aggs)
	aggs = slices.Compact(aggs)
	pattern := "^Test(" + strings.Join(aggs, "|") + ")(StateName|InvalidTransitions|BranchGuards|Evolve|StateCodec|EventCodec|Upcasts|Timers)$"
	if len(procs) > 0 {
		pattern += "|^Test(" + strings.Join(procs, "|") + ")(StateName|InvalidInputs|Evolve)$"
	}
	out, err := run("test", "-count=1", "-run", pattern, "./...")
	if err != nil {
		t.Fatalf("generated tests fail: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("no tests to run")) {
		t.Errorf("some generated package ran no test:\n%s", out)
	}
	if skeleton != "" {
		pkg, name, _ := strings.Cut(skeleton, " ")
		out, err := run("test", "-count=1", "-run", "^"+name+"$", pkg)
		if err == nil || !bytes.Contains(out, []byte("not written yet")) {
			t.Errorf("skeleton case %s: want a failure saying it is not written yet, got %v:\n%s", name, err, out)
		}
	}
}
