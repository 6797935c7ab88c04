package archtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/esgen/esgen/internal/marker"
)

// module is the path of esgen's module.
const module = "github.com/esgen/esgen"

// The names the diagram gives the code esgen generates.
const (
	generatedCode  = "generated code"
	generatedTests = "generated tests"
)

// root is the repository root, from this package's directory.
var root = filepath.Join("..", "..")

// arrows is the diagram of docs/architecture.md: for each package (by its
// path in the module, or generatedCode, generatedTests), what it may
// import, by path in the module, or by module path for another module.
type arrows map[string][]string

// readArrows parses the lines with an arrow of the first code block of
// docs/architecture.md:
//
//	A, B ──> C, D, example.com/mod   (a note)
//
// says that A and B import C and D (packages of this module) and
// packages of the module example.com/mod. A parenthesised note is
// ignored; "(standard library only)" leaves the right side empty.
func readArrows(t *testing.T) arrows {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	notes := regexp.MustCompile(`\([^)]*\)`)
	a := arrows{}
	inBlock, done := false, false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan() && !done; n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			done = inBlock
			inBlock = !inBlock
			continue
		}
		if !inBlock || !strings.Contains(line, "──>") {
			continue
		}
		left, right, _ := strings.Cut(notes.ReplaceAllString(line, ""), "──>")
		for _, from := range list(left) {
			if _, dup := a[from]; dup {
				t.Errorf("docs/architecture.md:%d: %s has a second line", n, from)
			}
			a[from] = append([]string{}, list(right)...)
		}
	}
	if len(a) < 10 {
		t.Fatalf("docs/architecture.md: only %d packages in the diagram: %v", len(a), a)
	}
	return a
}

// list splits a comma-separated list.
func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// allows reports whether the arrows of from allow importing path (a full
// import path), and the target that allows it.
func (a arrows) allows(from, path string) (string, bool) {
	for _, to := range a[from] {
		if isModule(to) {
			if path == to || strings.HasPrefix(path, to+"/") {
				return to, true
			}
		} else if path == module+"/"+to {
			return to, true
		}
	}
	return "", false
}

// isModule reports whether a target of an arrow is another module.
func isModule(to string) bool { return strings.Contains(strings.Split(to, "/")[0], ".") }

// isStd reports whether an import path is of the standard library.
func isStd(path string) bool { return !strings.Contains(strings.Split(path, "/")[0], ".") }

// goPackage is what go list says of a package.
type goPackage struct {
	ImportPath string
	Imports    []string
}

// listPackages lists the packages of the module with their imports (tests
// left out: they may import anything), those of examples/ and bench/
// (users of esgen, checked by their generated files) left out.
func listPackages(t *testing.T) map[string][]string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the packages with")
	}
	cmd := exec.Command(gobin, "list", "-e", "-json=ImportPath,Imports", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if strings.HasPrefix(rel, "examples/") || strings.HasPrefix(rel, "bench/") {
			continue
		}
		pkgs[rel] = p.Imports
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

// check compares what a set of importers imports with the diagram: every
// import outside the standard library must be an arrow of the importer's
// line, and every arrow of the line must be imported by one of them.
func check(t *testing.T, a arrows, name string, imports []string) {
	t.Helper()
	used := map[string]bool{}
	for _, path := range imports {
		if isStd(path) {
			continue
		}
		to, ok := a.allows(name, path)
		if !ok {
			t.Errorf("%s imports %s, which no arrow of docs/architecture.md allows: remove the import, or add the arrow and say why", name, path)
			continue
		}
		used[to] = true
	}
	for _, to := range a[name] {
		if !used[to] {
			t.Errorf("docs/architecture.md has the arrow %s ──> %s, but %s does not import it: remove the arrow", name, to, name)
		}
	}
}

// TestPackageImports checks every package of the module against
// docs/architecture.md: each has a line, imports only what its line
// allows (besides the standard library), and imports everything it
// allows, so that the diagram says exactly what the code does.
func TestPackageImports(t *testing.T) {
	a := readArrows(t)
	pkgs := listPackages(t)
	for name, imports := range pkgs {
		if _, ok := a[name]; !ok {
			t.Errorf("package %s is not in the diagram of docs/architecture.md: add a line with what it imports", name)
			continue
		}
		check(t, a, name, imports)
	}
	for name := range a {
		if _, ok := pkgs[name]; !ok && name != generatedCode && name != generatedTests {
			t.Errorf("docs/architecture.md has a line for %s, but the module has no such package: remove it", name)
		}
	}
}

// TestGeneratedImports checks the code esgen generates against the lines
// "generated code" and "generated tests" of docs/architecture.md: every
// golden file, and every generated file of the examples and benchmarks
// (those that carry esgen's marker), imports what those lines allow, and
// all of it.
func TestGeneratedImports(t *testing.T) {
	a := readArrows(t)
	imports := map[string][]string{} // generatedCode, generatedTests -> import paths
	where := map[string]string{}     // import path -> a file that imports it
	add := func(path string, golden bool) error {
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, ok := marker.Parse(data); !ok && !golden {
			return nil // the user's code of an example
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, data, parser.ImportsOnly)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		kind := generatedCode
		if strings.HasSuffix(path, "_test.go") {
			kind = generatedTests
		}
		for _, im := range f.Imports {
			p, err := strconv.Unquote(im.Path.Value)
			if err != nil {
				return err
			}
			imports[kind] = append(imports[kind], p)
			if !isStd(p) {
				where[kind+" "+p] = path
			}
		}
		return nil
	}
	walk := func(dir string, golden bool) {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if golden && strings.Contains(filepath.ToSlash(path), "/bad_") {
				return nil
			}
			return add(path, golden)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	walk(filepath.Join("testdata", "golden"), true)
	walk("examples", false)
	walk("bench", false)
	for _, kind := range []string{generatedCode, generatedTests} {
		if len(imports[kind]) == 0 {
			t.Fatalf("found no %s", kind)
		}
		slices.Sort(imports[kind])
		check(t, a, kind, slices.Compact(imports[kind]))
	}
	if t.Failed() {
		for k, v := range where {
			t.Logf("%s: e.g. %s", k, v)
		}
	}
}
