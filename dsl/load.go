package dsl

import "github.com/esgen/esgen/dsl/ast"

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
	// First the aggregates of every file, which processes may name.
	first := map[string]*Aggregate{}
	byFile := make([]map[string]*Aggregate, len(srcs))
	for i, f := range parsed {
		if f == nil {
			continue
		}
		m, _ := check(f, nil, false)
		byFile[i] = map[string]*Aggregate{}
		for _, a := range m.Aggregates {
			byFile[i][a.Name] = a
			if first[a.Name] == nil {
				first[a.Name] = a
			}
		}
	}
	files := make([]*File, len(srcs))
	for i, f := range parsed {
		if f == nil {
			continue
		}
		external := map[string]*Aggregate{}
		for name, a := range first {
			if byFile[i][name] == nil {
				external[name] = a
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

// relink points the processes of files at the aggregates of the final
// models: a process of one file was checked against the aggregates of
// another file's first check.
func relink(files []*File) {
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
