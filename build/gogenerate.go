package build

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/esgen/esgen/internal/marker"
)

// Under go generate: `go generate` lists a package's Go files, then reads
// each in turn for its directives, and stops with an error when one it
// listed is gone. A run of esgen from a directive that removed a stale Go
// file of that package which go generate had yet to read would so fail
// the whole go generate, although esgen did its work. Such a file is
// emptied instead: its marker and package clause stay, so that it still
// compiles and esgen still owns it, with a comment asking for it to be
// deleted; esgen generate run outside go generate removes it.

// emptyUnread marks p's stale Go files that go generate, running the
// directive of goFile (an absolute path), has yet to read: Apply empties
// them instead of removing them (Output.Emptied).
func (p *goPackage) emptyUnread(goFile, pkg string) {
	if goFile == "" || absPath(filepath.Dir(goFile)) != absPath(p.dir) {
		return
	}
	for _, in := range p.inputs {
		for _, o := range in.Outputs {
			if o.Action != Remove || !strings.HasSuffix(o.Name, ".go") || strings.Contains(o.Name, "/") || readByGoGenerate(filepath.Base(goFile), o.Name) {
				continue
			}
			name := pkg
			if name == "" {
				name = in.Model.Package
			}
			source := in.Source
			if o.Orphan != "" {
				source = relSource(in.Dir, o.Orphan)
			}
			if clause := packageClause(o.Path()); clause != "" {
				name = clause
			}
			o.Emptied = true
			o.Data = emptiedFile(source, name)
		}
	}
}

// readByGoGenerate reports whether go generate, running a directive of
// goFile, has read name, a file of the same directory: it reads the
// package's files in name order, its test files after the others (and a
// package's external test files after its own, which is why a test file
// is never taken for read by a test file's directive).
func readByGoGenerate(goFile, name string) bool {
	goTest, test := strings.HasSuffix(goFile, "_test.go"), strings.HasSuffix(name, "_test.go")
	switch {
	case test:
		return false
	case goTest:
		return true
	}
	return name < goFile
}

// emptiedFile is the content of a stale Go file emptied under go
// generate.
func emptiedFile(source, pkg string) []byte {
	return []byte(marker.Go.Comment(source) + `
// esgen no longer generates this file. It was emptied, not removed,
// because go generate had yet to read it: delete it (esgen generate run
// outside go generate removes it).

package ` + pkg + "\n")
}

// packageClause returns the package name of the Go file at path, "" when
// it cannot be read or has none.
func packageClause(path string) string {
	src, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.PackageClauseOnly)
	if err != nil {
		return ""
	}
	return f.Name.Name
}

// orphanSkeletons warns of the test skeletons (<name>_test.go, the user's)
// beside a stale <name>_gen_test.go: the aggregate or process they test is
// no longer generated, so they no longer compile, and being the user's,
// esgen never removes them.
func (p *goPackage) orphanSkeletons() []Warning {
	planned := map[string]bool{}
	for _, in := range p.inputs {
		for _, o := range in.Outputs {
			if o.Action != Remove {
				planned[o.Name] = true
			}
		}
	}
	var ws []Warning
	for _, in := range p.inputs {
		for _, o := range in.Outputs {
			base, ok := strings.CutSuffix(o.Name, "_gen_test.go")
			if o.Action != Remove || !ok || planned[base+"_test.go"] {
				continue
			}
			path := filepath.Join(p.dir, base+"_test.go")
			if _, err := os.Stat(path); err != nil {
				continue
			}
			ws = append(ws, Warning{Path: path, Message: fmt.Sprintf(
				"the test skeleton of an aggregate or process that is no longer generated (%s goes with it): move its cases to the skeleton of what replaced it, or delete it; esgen leaves your files alone",
				o.Name)})
		}
	}
	return ws
}
