package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/internal/marker"
	"github.com/esgen/esgen/internal/outdir"
	"github.com/esgen/esgen/internal/outname"
)

// goPackage is the inputs generated into one output directory: one Go
// package.
type goPackage struct {
	dir   string
	units []*unit
	// generated are the files of dir that start with esgen's header (by
	// any run), as scanDir found them.
	generated map[string]bool
}

// packages groups units by output directory (compared as absolute paths),
// in the order the directories first appear, and records each unit's
// siblings.
func packages(units []unit) []*goPackage {
	var out []*goPackage
	index := map[string]*goPackage{}
	for i := range units {
		u := &units[i]
		key := u.dir
		if abs, err := filepath.Abs(key); err == nil {
			key = abs
		}
		p := index[key]
		if p == nil {
			p = &goPackage{dir: u.dir}
			index[key] = p
			out = append(out, p)
		}
		p.units = append(p.units, u)
	}
	for _, p := range out {
		for _, u := range p.units {
			for _, o := range p.units {
				if o != u && o.model != nil {
					u.siblings = append(u.siblings, o.model)
				}
			}
		}
	}
	return out
}

// models are the checked models of p's inputs.
func (p *goPackage) models() []*dsl.File {
	var ms []*dsl.File
	for _, u := range p.units {
		ms = append(ms, u.model)
	}
	return ms
}

// checkPackageNames refuses inputs generated into one directory that
// declare different packages, which Go does not allow (unless -pkg names
// one for all).
func (p *goPackage) checkPackageNames(override string) error {
	if override != "" {
		return nil
	}
	first := p.units[0]
	for _, u := range p.units[1:] {
		if u.model.Package != first.model.Package {
			return fmt.Errorf("%s (package %s) and %s (package %s) would both be generated into %s, but a directory holds one Go package: give them one package clause, or generate them into different directories",
				first.src.name, first.model.Package, u.src.name, u.model.Package, p.dir)
		}
	}
	return nil
}

// goDecls is what a Go file declares at package level.
type goDecls struct {
	name  string // the file's name in its directory
	pkg   string
	names []string // package-level identifiers, methods left out
}

// parseDecls reads the package clause and the package-level identifiers of
// a Go file; ok is false when it does not parse.
func parseDecls(name string, src []byte) (d goDecls, ok bool) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		return goDecls{}, false
	}
	d = goDecls{name: name, pkg: f.Name.Name}
	add := func(id *ast.Ident) {
		if id.Name != "_" && id.Name != "init" {
			d.names = append(d.names, id.Name)
		}
	}
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			if decl.Recv == nil {
				add(decl.Name)
			}
		case *ast.GenDecl:
			for _, spec := range decl.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					add(spec.Name)
				case *ast.ValueSpec:
					for _, id := range spec.Names {
						add(id)
					}
				}
			}
		}
	}
	return d, true
}

// scanDir reads what earlier runs of esgen generated into p's directory:
// the files that name one of p's inputs as their source but that the
// inputs no longer generate become the stale files of that input, removed
// by generate and reported by diff (only Go files and the formats asked
// for: a diagram of a format not asked for is left alone); so do those
// that name an .esm file that no longer exists, renamed or deleted (of
// every format: nothing generates them); the Go files generated from other
// .esm files are checked against p's (checkDir).
func (p *goPackage) scanDir(formats []diagram.Format) error {
	existing, err := outdir.Generated(p.dir)
	if err != nil {
		return err
	}
	ours := map[string]bool{}
	bySource := map[string]*unit{}
	inputDirs := map[string]bool{} // the directories of p's inputs, as source comments spell them
	for _, u := range p.units {
		inputDirs[path.Dir(u.source)] = true
		for _, f := range u.files {
			ours[outname.Key(f.Name)] = true
		}
		bySource[marker.SourceText(u.source)] = u
	}
	kinds := map[string]bool{".go": true}
	for _, f := range formats {
		kinds[map[diagram.Format]string{diagram.FormatSVG: ".svg", diagram.FormatMarkdown: ".md", diagram.FormatDOT: ".dot", diagram.FormatMermaid: ".mmd"}[f]] = true
	}
	p.generated = map[string]bool{}
	var foreign []outdir.Existing
	for _, e := range existing {
		p.generated[e.Name] = true
		if ours[outname.Key(e.Name)] {
			continue
		}
		if u := bySource[e.Source]; u != nil && e.Source != "" {
			if kinds[filepath.Ext(e.Name)] {
				u.stale = append(u.stale, e.Name)
			}
			continue
		}
		if e.Source != "" && inputDirs[path.Dir(e.Source)] && !sourceExists(p.dir, e.Source) {
			// Its .esm file, beside one of p's inputs, was renamed or
			// deleted: nothing generates it.
			p.orphan(e)
			continue
		}
		if strings.HasSuffix(e.Name, ".go") {
			foreign = append(foreign, e)
		}
	}
	return p.checkDir(foreign)
}

// sourceExists reports whether the .esm file a source comment names
// (relative to dir, escaped as marker.SourceText escapes it) may still exist:
// false only when it surely does not, as written or unescaped.
func sourceExists(dir, source string) bool {
	for _, s := range marker.SourcePaths(source) {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(s))); !errors.Is(err, fs.ErrNotExist) {
			return true
		}
	}
	return false
}

// sourcePath is the path of the .esm file a source comment names,
// unescaped, joined to dir: how messages name it.
func sourcePath(dir, source string) string {
	paths := marker.SourcePaths(source)
	return filepath.Join(dir, filepath.FromSlash(paths[len(paths)-1]))
}

// orphan makes e, generated from an .esm file that no longer exists, a
// file removed with the first of p's inputs, reported on a line of its
// own (orphaned), whatever its format.
func (p *goPackage) orphan(e outdir.Existing) {
	u := p.units[0]
	if u.orphaned == nil {
		u.orphaned = map[string][]string{}
	}
	esm := sourcePath(p.dir, e.Source)
	u.orphaned[esm] = append(u.orphaned[esm], e.Name)
}

// checkDir refuses to write p's files when a Go file esgen generated into
// the directory from another .esm file (by another run: one go:generate
// line per file) would not build with them: it declares an identifier one
// of them declares, or another package. (Two package doc comments build:
// go doc shows one.) Inputs generated in one run are checked together
// before this (dsl.CheckPackage).
func (p *goPackage) checkDir(foreign []outdir.Existing) error {
	if len(foreign) == 0 {
		return nil
	}
	type mine struct {
		goDecls
		u *unit
	}
	var ms []mine
	for _, u := range p.units {
		for _, f := range u.files {
			if strings.HasSuffix(f.Name, ".go") {
				if d, ok := parseDecls(f.Name, f.Data); ok {
					ms = append(ms, mine{d, u})
				}
			}
		}
	}
	for _, e := range foreign {
		o, ok := parseDecls(e.Name, e.Data)
		if !ok {
			continue
		}
		declared := map[string]bool{}
		for _, n := range o.names {
			declared[n] = true
		}
		other, from := filepath.Join(p.dir, e.Name), ""
		advice := "generate the .esm files of one Go package in one run of esgen generate, which checks them together"
		if e.Source != "" {
			esm := sourcePath(p.dir, e.Source)
			from = " from " + esm
			names := []string{esm}
			for _, u := range p.units {
				names = append(names, u.src.name)
			}
			advice += ": esgen generate " + strings.Join(names, " ")
		}
		for _, m := range ms {
			path := filepath.Join(p.dir, m.name)
			if m.pkg != o.pkg {
				return fmt.Errorf("%s: %s would be in package %s, but %s, generated by esgen%s, is in package %s: a directory holds one Go package",
					m.u.src.name, path, m.pkg, other, from, o.pkg)
			}
			for _, n := range m.names {
				if declared[n] {
					return fmt.Errorf("%s: %s would declare %s, which %s, generated by esgen%s, declares: %s",
						m.u.src.name, path, n, other, from, advice)
				}
			}
		}
	}
	return nil
}
