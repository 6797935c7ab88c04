package main

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/generator/diagram/svg"
	"github.com/esgen/esgen/internal/outdir"
	"github.com/esgen/esgen/internal/outname"
)

// genFlags are shared by generate and diff, which must agree on what is
// generated.
type genFlags struct {
	diagFlags
	Out     string   `placeholder:"DIR" help:"Write into DIR instead of the directory of each .esm file."`
	Pkg     string   `placeholder:"NAME" help:"Go package name of the generated code, instead of the .esm package clause."`
	Formats string   `default:"${default_formats}" placeholder:"LIST" help:"Diagrams and pages to generate: a comma-separated list of svg, md, dot, mermaid, or none (default ${default_formats})."`
	Files   []string `arg:"" name:"file" help:"The .esm files."`
}

// unit is one .esm file with everything generated from it.
type unit struct {
	src   source
	model *dsl.File
	dir   string // output directory
	files []generator.File
	// siblings are the other inputs generated into dir, one Go package.
	siblings []*dsl.File
	// source is the .esm file's path relative to dir, slash-separated,
	// as the source comment of every generated file names it.
	source string
	// stale are the files of dir generated from this .esm file that it no
	// longer generates (an aggregate renamed or removed).
	stale []string
	// orphaned are the files of dir generated from .esm files that no
	// longer exist, by the path of that file (see goPackage.orphan).
	orphaned map[string][]string
	// grown are the test skeletons to which cases are added, by name,
	// with the functions added (see goPackage.growSkeletons); expect
	// holds the bytes each was grown from, which it is written over.
	grown  map[string][]string
	expect map[string][]byte
}

// build loads every file and generates everything in memory. Diagnostics
// are printed; any error in any file stops before anything is generated,
// and an error of the files generated into one directory checked together
// (dsl.CheckPackage) or with what other runs generated there (checkDir)
// stops before anything is written.
func (g genFlags) build(e env) ([]unit, error) {
	formats, err := diagram.ParseFormats(g.Formats)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	for _, f := range g.Files {
		if f == "-" {
			return nil, usageErrorf("standard input (-) cannot be generated from: output goes beside the .esm file or into -out DIR")
		}
	}
	srcs, err := readSources(e, g.Files)
	if err != nil {
		return nil, err
	}
	var (
		units []unit
		all   dsl.Diagnostics
	)
	// The files generated into one directory are one Go package: loaded
	// together, so that a process may name another file's aggregates.
	byOut := map[string][]int{}
	var dirs []string
	for _, s := range srcs {
		dir := g.Out
		if dir == "" {
			dir = filepath.Dir(s.name)
		}
		dir = filepath.Clean(dir)
		if _, ok := byOut[dir]; !ok {
			dirs = append(dirs, dir)
		}
		byOut[dir] = append(byOut[dir], len(units))
		units = append(units, unit{src: s, dir: dir, source: relSource(dir, s.name)})
	}
	for _, dir := range dirs {
		group := make([]dsl.Source, len(byOut[dir]))
		for i, u := range byOut[dir] {
			group[i] = dsl.Source{Name: units[u].src.name, Data: units[u].src.data}
		}
		models, ds := dsl.LoadPackage(group)
		all = append(all, ds...)
		for i, u := range byOut[dir] {
			units[u].model = models[i]
		}
	}
	rep := newReporter(e, g.diagFlags, srcs)
	if all.HasErrors() {
		all.Sort()
		rep.print(all)
		return nil, failed()
	}
	pkgs := packages(units)
	for i := range units {
		u := &units[i]
		files, err := generator.Generate(e.ctx, u.model, generator.Options{Package: g.Pkg, Siblings: u.siblings, Source: u.source})
		if err == nil {
			var pics []diagram.File
			pics, err = diagram.Files(e.ctx, u.model, diagram.Options{Formats: formats, RenderSVG: svg.Render, Source: u.source})
			for _, p := range pics {
				files = append(files, generator.File{Name: p.Name, Data: p.Data})
			}
		}
		if err != nil {
			all.Sort()
			rep.print(all)
			return nil, fmt.Errorf("%s: %w", u.src.name, err)
		}
		u.files = files
	}
	// Two inputs writing one file is the clearer report when they also
	// generate one identifier (the same aggregate in both).
	if err := checkOutputNames(units); err != nil {
		all.Sort()
		rep.print(all)
		return nil, err
	}
	// Two package clauses in one directory are the error to report there,
	// not what their files would generate twice into one package.
	var pkgErr error
	for _, p := range pkgs {
		if err := p.checkPackageNames(g.Pkg); err != nil {
			if pkgErr == nil {
				pkgErr = err
			}
			continue
		}
		all = append(all, dsl.CheckPackage(p.models())...)
	}
	all.Sort()
	rep.print(all)
	if pkgErr != nil {
		return nil, pkgErr
	}
	if all.HasErrors() {
		return nil, failed()
	}
	for _, p := range pkgs {
		if err := p.scanDir(formats); err != nil {
			return nil, err
		}
	}
	for _, p := range pkgs {
		if err := p.growSkeletons(rep); err != nil {
			return nil, err
		}
	}
	return units, nil
}

// relSource is the path of the .esm file name relative to the output
// directory dir, slash-separated: what the source comment of the files
// generated from it names, the same wherever esgen runs.
func relSource(dir, name string) string {
	absDir, err1 := filepath.Abs(dir)
	absName, err2 := filepath.Abs(name)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absDir, absName); err == nil {
			return filepath.ToSlash(rel)
		}
		// Another volume: the absolute path, which is never taken for a
		// sibling of another input (see goPackage.scanDir).
		return filepath.ToSlash(absName)
	}
	return filepath.ToSlash(name)
}

// checkOutputNames refuses two input files that would write files of one
// name (ignoring case, as macOS and Windows do) into one directory, naming
// both inputs and what each writes the file for. The checker has already
// refused such names within one file.
func checkOutputNames(units []unit) error {
	type use struct {
		u    *unit
		name string
	}
	seen := map[[2]string]use{}
	for i := range units {
		u := &units[i]
		dir := u.dir
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		for _, f := range u.files {
			key := [2]string{dir, outname.Key(f.Name)}
			prev, ok := seen[key]
			if !ok {
				seen[key] = use{u, f.Name}
				continue
			}
			if prev.u == u {
				continue
			}
			name := f.Name
			if prev.name != f.Name {
				name = fmt.Sprintf("%s and %s, one file where case is ignored,", prev.name, f.Name)
			}
			return fmt.Errorf("%s and %s would both write %s into %s (%s; %s): rename one, or generate them into different directories",
				prev.u.src.name, u.src.name, name, u.dir, writtenFor(prev.u, prev.name), writtenFor(u, f.Name))
		}
	}
	return nil
}

// writtenFor says what u writes file name for: "aggregate Order at
// orders.esm:3", "the package doc and value types of orders.esm".
func writtenFor(u *unit, name string) string {
	for _, a := range u.model.Aggregates {
		if slices.Contains(outname.AggregateFiles(a.Name, a.Eventual), name) {
			return fmt.Sprintf("aggregate %s at %s:%d", a.Name, u.src.name, a.Pos.Line)
		}
	}
	return "the package doc and value types of " + u.src.name
}

// sets groups the units' files by output directory, in the order the
// directories first appear, so that one directory is written (and checked
// for two files with one name) as a whole.
func sets(units []unit) []outdir.Set {
	var out []outdir.Set
	index := map[string]int{}
	for _, u := range units {
		i, ok := index[u.dir]
		if !ok {
			i = len(out)
			index[u.dir] = i
			out = append(out, outdir.Set{Dir: u.dir})
		}
		out[i].Files = append(out[i].Files, u.files...)
		out[i].Remove = append(out[i].Remove, u.stale...)
		for name, data := range u.expect {
			if out[i].Expect == nil {
				out[i].Expect = map[string][]byte{}
			}
			out[i].Expect[name] = data
		}
		for _, src := range slices.Sorted(maps.Keys(u.orphaned)) {
			out[i].Remove = append(out[i].Remove, u.orphaned[src]...)
		}
	}
	return out
}

// summary returns one line per aggregate of u: its size and what became of
// its files (those internal/outname names for it, as order.gen.go,
// order_test.go, order.svg), and one line for the files that belong to
// none.
func summary(u unit, status map[string]string) []string {
	owned := map[string]bool{}
	var lines []string
	for _, a := range u.model.Aggregates {
		names := outname.AggregateFiles(a.Name, a.Eventual)
		var mine []string
		for _, f := range u.files {
			if slices.Contains(names, f.Name) && !owned[f.Name] {
				owned[f.Name] = true
				mine = append(mine, f.Name)
			}
		}
		lines = append(lines, fmt.Sprintf("%s: %s: %s; %s", u.src.name, aggregateLabel(a), shape(a), fileCounts(mine, status)))
		if added := u.grown[outname.Skeleton(a.Name)]; len(added) > 0 && status[outname.Skeleton(a.Name)] == "extended" {
			lines = append(lines, fmt.Sprintf("%s: %s: added to %s: %s", u.src.name, a.Name, outname.Skeleton(a.Name), strings.Join(added, ", ")))
		}
	}
	var rest []string
	for _, f := range u.files {
		if !owned[f.Name] {
			rest = append(rest, f.Name)
		}
	}
	if len(rest) > 0 {
		lines = append(lines, fmt.Sprintf("%s: shared by the file's aggregates: %s", u.src.name, fileCounts(rest, status)))
	}
	if len(u.stale) > 0 {
		lines = append(lines, fmt.Sprintf("%s: no longer generated: %s", u.src.name, fileCounts(u.stale, status)))
	}
	for _, src := range slices.Sorted(maps.Keys(u.orphaned)) {
		lines = append(lines, fmt.Sprintf("%s: no longer exists: %s", src, fileCounts(u.orphaned[src], status)))
	}
	return lines
}

func aggregateLabel(a *dsl.Aggregate) string {
	if a.Eventual {
		return a.Name + " (eventual)"
	}
	return a.Name
}

// shape is the size of an aggregate: "5 states, 4 commands, 5 events (6
// versions), 7 transitions".
func shape(a *dsl.Aggregate) string {
	versions := 0
	for _, e := range a.Events {
		versions += len(e.Versions)
	}
	events := fmt.Sprintf("%s (%s)", plural(len(a.Events), "event"), plural(versions, "version"))
	if a.Eventual {
		return events
	}
	return fmt.Sprintf("%s, %s, %s, %s", plural(len(a.States), "state"), plural(len(a.Commands), "command"),
		events, plural(len(diagram.Machine(a).Transitions), "transition"))
}

// fileCounts is "4 files: 2 written, 1 unchanged, 1 kept".
func fileCounts(names []string, status map[string]string) string {
	counts := map[string]int{}
	for _, n := range names {
		counts[status[n]]++
	}
	parts := []string{}
	for _, s := range []string{"written", "extended", "unchanged", "kept", "removed", "stale", "missing", "current"} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	s := plural(len(names), "file")
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
