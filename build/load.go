package build

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/generator/schema"
	"github.com/esgen/esgen/internal/outname"
)

// Load parses and checks srcs, generates everything in memory and reads
// the output directories, and returns the Plan. It writes nothing.
//
// The inputs generated into one directory are one Go package: they are
// loaded together (a process may name another file's aggregates) and
// checked together (dsl.CheckPackage). Any error in any input stops Load
// before anything is generated (ErrDiagnostics); so does an error of the
// inputs of one package checked together. A *ConflictError reports outputs
// that cannot go where they would. On every error but ctx's the Plan is
// returned too, with the diagnostics and warnings found so far, for the
// caller to print.
func Load(ctx context.Context, srcs []dsl.Source, opt Options) (*Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	p := &Plan{}
	var all dsl.Diagnostics
	// The files generated into one directory are one Go package: loaded
	// together, so that a process may name another file's aggregates.
	byOut := map[string][]*Input{}
	var dirs []string
	for _, s := range srcs {
		dir := opt.Out
		if dir == "" {
			dir = filepath.Dir(s.Name)
		}
		dir = filepath.Clean(dir)
		if _, ok := byOut[dir]; !ok {
			dirs = append(dirs, dir)
		}
		in := &Input{Name: s.Name, Dir: dir, Source: relSource(dir, s.Name), data: s.Data}
		byOut[dir] = append(byOut[dir], in)
		p.Inputs = append(p.Inputs, in)
	}
	for _, dir := range dirs {
		group := make([]dsl.Source, len(byOut[dir]))
		for i, in := range byOut[dir] {
			group[i] = dsl.Source{Name: in.Name, Data: in.data}
		}
		models, ds := dsl.LoadPackage(group)
		all = append(all, ds...)
		for i, in := range byOut[dir] {
			in.Model = models[i]
		}
	}
	if all.HasErrors() {
		all.Sort()
		p.Diagnostics = all
		return p, ErrDiagnostics
	}
	pkgs := packages(p.Inputs)
	for _, in := range p.Inputs {
		if err := in.generate(ctx, opt); err != nil {
			all.Sort()
			p.Diagnostics = all
			return p, fmt.Errorf("%s: %w", in.Name, err)
		}
	}
	// Two inputs writing one file is the clearer report when they also
	// generate one identifier (the same aggregate in both).
	if err := checkOutputNames(p.Inputs); err != nil {
		all.Sort()
		p.Diagnostics = all
		return p, err
	}
	// Two package clauses in one directory are the error to report there,
	// not what their files would generate twice into one package.
	var pkgErr error
	for _, pk := range pkgs {
		if err := pk.checkPackageNames(opt.Package); err != nil {
			if pkgErr == nil {
				pkgErr = err
			}
			continue
		}
		all = append(all, dsl.CheckPackage(pk.models())...)
	}
	all.Sort()
	p.Diagnostics = all
	if pkgErr != nil {
		return p, pkgErr
	}
	if all.HasErrors() {
		return p, ErrDiagnostics
	}
	for _, pk := range pkgs {
		if err := pk.scanDir(opt.Formats, opt.logger()); err != nil {
			return p, err
		}
		pk.emptyUnread(opt.GoGenerateFile, opt.Package)
		p.Warnings = append(p.Warnings, pk.orphanSkeletons()...)
	}
	for _, pk := range pkgs {
		ws, err := pk.growSkeletons(opt.logger())
		p.Warnings = append(p.Warnings, ws...)
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

// generate makes in's outputs: its Go code, then its diagrams and pages.
func (in *Input) generate(ctx context.Context, opt Options) error {
	files, err := generator.Generate(ctx, in.Model, generator.Options{Package: opt.Package, Siblings: in.siblings, Source: in.Source})
	if err != nil {
		return err
	}
	for _, f := range files {
		a := Write
		if f.Once {
			a = Create
		}
		in.Outputs = append(in.Outputs, &Output{Dir: in.Dir, Name: f.Name, Data: f.Data, Action: a})
	}
	pics, err := diagram.Files(ctx, in.Model, diagram.Options{Formats: opt.Formats, RenderSVG: opt.RenderSVG, Fields: opt.DiagramFields, Source: in.Source})
	if err != nil {
		return err
	}
	for _, f := range pics {
		in.Outputs = append(in.Outputs, &Output{Dir: in.Dir, Name: f.Name, Data: f.Data, Action: Write})
	}
	if slices.Contains(opt.Formats, diagram.FormatJSONSchema) {
		for _, f := range schema.JSONSchemas(in.Model, in.Source) {
			in.Outputs = append(in.Outputs, &Output{Dir: in.Dir, Name: f.Name, Data: f.Data, Action: Write})
		}
	}
	if slices.Contains(opt.Formats, diagram.FormatAsyncAPI) {
		if f := schema.AsyncAPI(in.Model, in.Source); f != nil {
			in.Outputs = append(in.Outputs, &Output{Dir: in.Dir, Name: f.Name, Data: f.Data, Action: Write})
		}
	}
	in.assignOwners()
	return nil
}

// assignOwners sets the Owner of each output: the aggregate, then the
// process, among those internal/outname names files for, in declaration
// order, that first claims its name.
func (in *Input) assignOwners() {
	owned := map[string]bool{}
	claim := func(owner string, names []string) {
		for _, o := range in.Outputs {
			if slices.Contains(names, o.Name) && !owned[o.Name] {
				owned[o.Name] = true
				o.Owner = owner
			}
		}
	}
	for _, a := range in.Model.Aggregates {
		claim(a.Name, outname.AggregateFiles(a.Name, a.Eventual))
	}
	for _, pr := range in.Model.Processes {
		claim(pr.Name, outname.ProcessFiles(pr.Name))
	}
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

// absPath is p made absolute, or cleaned when it cannot be: the key under
// which two spellings of one directory compare equal.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// checkOutputNames refuses two inputs that would write files of one name
// (ignoring case, as macOS and Windows do) into one directory, naming both
// inputs and what each writes the file for. The checker has already
// refused such names within one file.
func checkOutputNames(inputs []*Input) error {
	type use struct {
		in   *Input
		name string
	}
	seen := map[[2]string]use{}
	for _, in := range inputs {
		dir := absPath(in.Dir)
		for _, f := range in.Outputs {
			key := [2]string{dir, outname.Key(f.Name)}
			prev, ok := seen[key]
			if !ok {
				seen[key] = use{in, f.Name}
				continue
			}
			if prev.in == in {
				continue
			}
			name := f.Name
			if prev.name != f.Name {
				name = fmt.Sprintf("%s and %s, one file where case is ignored,", prev.name, f.Name)
			}
			return &ConflictError{Input: in.Name, Dir: in.Dir, Msg: fmt.Sprintf(
				"%s and %s would both write %s into %s (%s; %s): rename one, or generate them into different directories",
				prev.in.Name, in.Name, name, in.Dir, writtenFor(prev.in, prev.name), writtenFor(in, f.Name))}
		}
	}
	return nil
}

// writtenFor says what in writes file name for: "aggregate Order at
// orders.esm:3", "the package doc and value types of orders.esm".
func writtenFor(in *Input, name string) string {
	for _, a := range in.Model.Aggregates {
		if slices.Contains(outname.AggregateFiles(a.Name, a.Eventual), name) {
			return fmt.Sprintf("aggregate %s at %s:%d", a.Name, in.Name, a.Pos.Line)
		}
	}
	return "the package doc and value types of " + in.Name
}
