package dsl

import (
	"slices"

	"github.com/esgen/esgen/dsl/ast"
)

// Load parses and checks a .esm file. The File is nil when any diagnostic
// is an error; the diagnostics are sorted by position.
func Load(filename string, src []byte) (*File, Diagnostics) {
	f, diags := Parse(filename, src)
	if diags.HasErrors() {
		return nil, diags
	}
	m, cdiags := Check(f)
	return m, append(diags, cdiags...)
}

// Source is one .esm file to load: its name and its bytes.
type Source struct {
	Name string
	Data []byte
}

// LoadPackage parses and checks the .esm files whose code is generated
// into one Go package, together: a process of one may name the aggregates
// of any of them. It returns one File per source, in order, all nil when
// any file has errors, and the diagnostics of all of them, sorted. With
// one source it is Load. Identifiers that collide across the files are
// CheckPackage's.
func LoadPackage(srcs []Source) ([]*File, Diagnostics) {
	var diags Diagnostics
	parsed := make([]*ast.File, len(srcs))
	for i, s := range srcs {
		f, ds := Parse(s.Name, s.Data)
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			parsed[i] = f
		}
	}
	files, cdiags := CheckParsed(parsed)
	diags = append(diags, cdiags...)
	diags.Sort()
	if diags.HasErrors() {
		clear(files)
	}
	return files, diags
}

// CheckParsed checks parsed files of one Go package together, as
// LoadPackage does once it has parsed them: a nil file (one that did not
// parse) is left out, and its File is nil. It returns one File per file,
// all nil when any has errors, and the diagnostics of the check, sorted.
// The syntax trees are only read: a tool that keeps them (an editor's
// language server) can check them again when another file changes.
func CheckParsed(parsed []*ast.File) ([]*File, Diagnostics) {
	var diags Diagnostics
	// First the aggregates of every file, which the processes of other
	// files may name: a file is checked twice only when another file has
	// processes.
	procs := 0
	for _, f := range parsed {
		if hasProcess(f) {
			procs++
		}
	}
	first := map[string]*Aggregate{}
	for _, f := range parsed {
		if f == nil || procs == 0 || procs == 1 && hasProcess(f) {
			continue
		}
		m, _ := check(f, nil, false)
		for _, a := range m.Aggregates {
			if first[a.Name] == nil {
				first[a.Name] = a
			}
		}
	}
	files := make([]*File, len(parsed))
	for i, f := range parsed {
		if f == nil {
			continue
		}
		external := map[string]*Aggregate{}
		if hasProcess(f) {
			own := aggregateNames(f)
			for name, a := range first {
				if !own[name] {
					external[name] = a
				}
			}
		}
		m, ds := check(f, external, true)
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			files[i] = m
		}
	}
	if !diags.HasErrors() {
		relink(files)
	}
	diags.Sort()
	if diags.HasErrors() {
		clear(files)
	}
	return files, diags
}

// hasProcess reports whether a parsed file declares a process.
func hasProcess(f *ast.File) bool {
	if f == nil {
		return false
	}
	return slices.ContainsFunc(f.Decls, func(d ast.Decl) bool { _, ok := d.(*ast.Process); return ok })
}

// aggregateNames returns the names of the aggregates a parsed file
// declares.
func aggregateNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, d := range f.Decls {
		if a, ok := d.(*ast.Aggregate); ok {
			names[a.Name.Name] = true
		}
	}
	return names
}

// relink points the processes of files at the aggregates of the final
// models: a process of one file was checked against the aggregates of
// another file's first check. Nil files (that did not parse) are left
// out.
func relink(files []*File) {
	files = slices.DeleteFunc(slices.Clone(files), func(f *File) bool { return f == nil })
	aggs := map[string]*Aggregate{}
	for _, f := range files {
		for _, a := range f.Aggregates {
			if aggs[a.Name] == nil {
				aggs[a.Name] = a
			}
		}
	}
	for _, f := range files {
		for _, p := range f.Processes {
			for _, co := range p.Correlations {
				co.Aggregate = aggs[co.Aggregate.Name]
			}
			for _, in := range p.Inputs {
				if in.Aggregate == nil {
					continue
				}
				in.Aggregate = aggs[in.Aggregate.Name]
				if in.Event != nil {
					in.Event = lookupEvent(in.Aggregate, in.Event.Name)
				}
				if in.Command != nil {
					in.Command = lookupCommand(in.Aggregate, in.Command.Name)
				}
			}
			for _, r := range p.Reactions {
				for _, br := range r.Branches {
					for _, snd := range br.Sends {
						snd.Aggregate = aggs[snd.Aggregate.Name]
						snd.Command = lookupCommand(snd.Aggregate, snd.Command.Name)
					}
				}
			}
		}
	}
}
