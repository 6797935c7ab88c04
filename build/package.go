package build

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
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
	dir    string
	inputs []*Input
	// generated are the files of dir that start with esgen's marker (by
	// any run), as scanDir found them.
	generated map[string]bool
}

// packages groups inputs by output directory (compared as absolute
// paths), in the order the directories first appear, and records each
// input's siblings.
func packages(inputs []*Input) []*goPackage {
	var out []*goPackage
	index := map[string]*goPackage{}
	for _, in := range inputs {
		key := absPath(in.Dir)
		p := index[key]
		if p == nil {
			p = &goPackage{dir: in.Dir}
			index[key] = p
			out = append(out, p)
		}
		p.inputs = append(p.inputs, in)
	}
	for _, p := range out {
		for _, in := range p.inputs {
			for _, o := range p.inputs {
				if o != in && o.Model != nil {
					in.siblings = append(in.siblings, o.Model)
				}
			}
		}
	}
	return out
}

// models are the checked models of p's inputs.
func (p *goPackage) models() []*dsl.File {
	var ms []*dsl.File
	for _, in := range p.inputs {
		ms = append(ms, in.Model)
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
	first := p.inputs[0]
	for _, in := range p.inputs[1:] {
		if in.Model.Package != first.Model.Package {
			return &ConflictError{Input: in.Name, Dir: p.dir, Msg: fmt.Sprintf(
				"%s (package %s) and %s (package %s) would both be generated into %s, but a directory holds one Go package: give them one package clause, or generate them into different directories",
				first.Name, first.Model.Package, in.Name, in.Model.Package, p.dir)}
		}
	}
	return nil
}

// scanDir reads what earlier runs of esgen generated into p's directory:
// the files that name one of p's inputs as their source but that the
// inputs no longer generate become the stale files of that input, removed
// by generate and reported by diff (only Go files and the formats asked
// for: a diagram of a format not asked for is left alone); so do those
// that name an .esm file that no longer exists, renamed or deleted (of
// every format: nothing generates them); the Go files generated from other
// .esm files are checked against p's (checkDir).
func (p *goPackage) scanDir(formats []diagram.Format, log *slog.Logger) error {
	existing, err := outdir.Generated(p.dir)
	if err != nil {
		return err
	}
	ours := map[string]bool{}
	bySource := map[string]*Input{}
	inputDirs := map[string]bool{} // the directories of p's inputs, as source comments spell them
	for _, in := range p.inputs {
		inputDirs[path.Dir(in.Source)] = true
		for _, f := range in.Outputs {
			ours[outname.Key(f.Name)] = true
		}
		bySource[marker.SourceText(in.Source)] = in
	}
	kinds := map[string]bool{".go": true}
	for _, f := range formats {
		kinds[map[diagram.Format]string{diagram.FormatSVG: ".svg", diagram.FormatMarkdown: ".md", diagram.FormatDOT: ".dot", diagram.FormatMermaid: ".mmd",
			diagram.FormatJSONSchema: ".json", diagram.FormatAsyncAPI: ".yaml"}[f]] = true
	}
	p.generated = map[string]bool{}
	var foreign []outdir.Existing
	orphans := map[string][]string{} // by the path of the .esm file that no longer exists
	for _, e := range existing {
		p.generated[e.Name] = true
		if ours[outname.Key(e.Name)] {
			continue
		}
		if in := bySource[e.Source]; in != nil && e.Source != "" {
			if kinds[filepath.Ext(e.Name)] {
				log.Debug("no longer generated", "input", in.Name, "file", filepath.Join(p.dir, e.Name))
				in.Outputs = append(in.Outputs, &Output{Dir: in.Dir, Name: e.Name, Action: Remove})
			}
			continue
		}
		if e.Source != "" && inputDirs[path.Dir(e.Source)] && !sourceExists(p.dir, e.Source) {
			// Its .esm file, beside one of p's inputs, was renamed or
			// deleted: nothing generates it.
			esm := sourcePath(p.dir, e.Source)
			log.Debug("generated from an .esm file that no longer exists", "esm", esm, "file", filepath.Join(p.dir, e.Name))
			orphans[esm] = append(orphans[esm], e.Name)
			continue
		}
		if strings.HasSuffix(e.Name, ".go") {
			foreign = append(foreign, e)
		}
	}
	// The files of .esm files that no longer exist go with the first of
	// p's inputs.
	first := p.inputs[0]
	for _, esm := range slices.Sorted(maps.Keys(orphans)) {
		for _, name := range orphans[esm] {
			first.Outputs = append(first.Outputs, &Output{Dir: first.Dir, Name: name, Action: Remove, Orphan: esm})
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
		in *Input
	}
	var ms []mine
	for _, in := range p.inputs {
		for _, f := range in.Outputs {
			if f.Action != Remove && strings.HasSuffix(f.Name, ".go") {
				if d, ok := parseDecls(f.Name, f.Data); ok {
					ms = append(ms, mine{d, in})
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
			for _, in := range p.inputs {
				names = append(names, in.Name)
			}
			advice += ": esgen generate " + strings.Join(names, " ")
		}
		for _, m := range ms {
			path := filepath.Join(p.dir, m.name)
			if m.pkg != o.pkg {
				return &ConflictError{Input: m.in.Name, Dir: p.dir, Msg: fmt.Sprintf(
					"%s: %s would be in package %s, but %s, generated by esgen%s, is in package %s: a directory holds one Go package",
					m.in.Name, path, m.pkg, other, from, o.pkg)}
			}
			for _, n := range m.names {
				if declared[n] {
					return &ConflictError{Input: m.in.Name, Dir: p.dir, Msg: fmt.Sprintf(
						"%s: %s would declare %s, which %s, generated by esgen%s, declares: %s",
						m.in.Name, path, n, other, from, advice)}
				}
			}
		}
	}
	return nil
}
