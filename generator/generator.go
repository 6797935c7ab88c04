// Package generator turns a checked .esm model into Go source files (and,
// through generator/diagram, diagrams and docs). It only emits: every rule
// about the input lives in package dsl.
//
// For each aggregate it writes, all with jennifer, gofmt'd and byte for
// byte deterministic:
//
//	<aggregate>.gen.go             sealed states (and <Agg>StateName), commands and events
//	<aggregate>_decide.gen.go      the decider, Evolve hooks, Decide, Evolve, the definition, the machine
//	<aggregate>_codec.gen.go       upcast hooks, event and state codecs (runtime/esjson, no reflection)
//	<aggregate>_repository.gen.go  the typed repository (es.Repository)
//	<aggregate>_log.gen.go         the append-only log of an eventual aggregate (es.Log), instead of the three above
//	<aggregate>_gen_test.go        tests of every invalid transition, upcast and codec round trip
//	<aggregate>_test.go            the user's given-when-then skeleton, written once (File.Once)
//
// and, for the file, <name>_types.gen.go with the package doc comment, the
// value types and the JSON helpers of slice, map and pointer field types.
// internal/outname spells every one of these names, and the checker
// reserves them with it, so a checked model never makes two files with one
// name or a file the go tool skips.
// docs/generator.md shows the output for the orders example.
package generator

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"slices"
	"strings"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/marker"
	"github.com/esgen/esgen/internal/outname"
)

// File is one generated file.
type File struct {
	// Name is the slash-separated path relative to the output directory.
	Name string
	// Data is the complete content.
	Data []byte
	// Once marks a file written only when absent and never overwritten or
	// compared (the user's test skeleton).
	Once bool
}

// Options tune generation.
type Options struct {
	// Package overrides the Go package name of the .esm package clause.
	Package string
	// NoTests leaves out the generated tests and the test skeleton.
	NoTests bool
	// Siblings are the other .esm files whose code is generated into the
	// same Go package (one output directory), checked together with the
	// file by dsl.CheckPackage. The files are taken in dsl.PackageOrder:
	// the JSON helper of a field type is declared by the first file that
	// needs it and called by the others, and the first file with a doc
	// comment gives the package doc; the doc comments of the others stay
	// at the top of their types files, detached from the package clause.
	Siblings []*dsl.File
	// Source is the path of the .esm file relative to the output
	// directory, slash-separated, that the line after the header of every
	// generated file names ("// source: orders.esm"); by default the base
	// name of the file's Name.
	Source string
}

// ErrInvalidInput is matched by the errors of Generate for a model it
// cannot generate code for (nil, a bad package name, an aggregate id type
// with no string form, output files that would clash).
var ErrInvalidInput = errors.New("generator: invalid input")

// Generate returns every file generated for f, sorted by Name. It never
// writes anything; it fails, with nothing returned, when ctx is done or
// the model cannot be generated (errors matching ErrInvalidInput).
func Generate(ctx context.Context, f *dsl.File, opt Options) ([]File, error) {
	if f == nil {
		return nil, fmt.Errorf("%w: no model", ErrInvalidInput)
	}
	pkg := f.Package
	if opt.Package != "" {
		pkg = opt.Package
	}
	if !token.IsIdentifier(pkg) || pkg == "_" {
		return nil, fmt.Errorf("%w: %q is not a Go package name", ErrInvalidInput, pkg)
	}
	steps, err := fileSteps(f, pkg, opt)
	if err != nil {
		return nil, err
	}
	files, err := runPipeline(ctx, steps)
	var inv *invalidError
	if errors.As(err, &inv) {
		return nil, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	for i := 1; i < len(files); i++ {
		if files[i].Name == files[i-1].Name {
			return nil, fmt.Errorf("%w: two outputs would be written to %s: rename an aggregate", ErrInvalidInput, files[i].Name)
		}
	}
	return files, nil
}

// fileSteps returns the functions generating the files of f, unformatted.
func fileSteps(f *dsl.File, pkg string, opt Options) ([]func() (unformatted, error), error) {
	g := newGen(f, pkg, opt)
	if g.planErr != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidInput, g.planErr)
	}
	var steps []func() (unformatted, error)
	if f.Doc != "" || len(f.Types) > 0 || len(g.uses.writers) > 0 || len(g.uses.readers) > 0 {
		steps = append(steps, g.typesFile)
	}
	for i, a := range f.Aggregates {
		steps = append(steps, (&aggGen{gen: g, p: g.plans[i], a: a}).steps(opt)...)
	}
	for _, p := range f.Processes {
		steps = append(steps, newProcGen(g, p).steps(opt)...)
	}
	return steps, nil
}

// steps are the functions generating the files of one aggregate, the
// largest first so that parallel runs end together.
func (ag *aggGen) steps(opt Options) []func() (unformatted, error) {
	var steps []func() (unformatted, error)
	if !ag.a.Eventual {
		steps = append(steps, ag.decideFile)
	}
	if !opt.NoTests {
		steps = append(steps, ag.genTestFile)
		if !ag.a.Eventual {
			steps = append(steps, ag.skeletonFile)
		}
	}
	steps = append(steps, ag.codecFile, ag.typesFile)
	if len(ag.a.Timers) > 0 {
		steps = append(steps, ag.timersFile)
	}
	if ag.a.Eventual {
		steps = append(steps, ag.logFile)
	} else {
		steps = append(steps, ag.repositoryFile)
	}
	return steps
}

// invalidError is a model the generator cannot generate code for;
// Generate wraps it with ErrInvalidInput.
type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }

// typesFile emits <name>_types.gen.go: the package doc comment of the .esm
// file, its value types with their JSON methods, and the JSON helpers of
// composite field types that every codec of the package calls.
func (g *gen) typesFile() (unformatted, error) {
	detached := g.f.Doc != "" && !g.packageDoc
	jf := g.newFile(!detached)
	switch {
	case g.f.Doc == "":
	case g.packageDoc:
		text := g.f.Doc
		if !startsWithName(text, "Package "+g.pkg) {
			text = joinDoc(fmt.Sprintf("Package %s is generated by esgen from %s.esm.", g.pkg, g.base), text)
		}
		jf.PackageComment(commentText(text))
	default:
		// Another file of the package gives the package doc: this one
		// stays a comment of the file, a blank line above the package
		// clause.
		jf.HeaderComment(marker.Go.Comment(g.source))
		jf.HeaderComment(commentText(g.f.Doc))
	}
	for _, v := range g.f.Types {
		ident := goname.Exported(v.Name)
		jf.Add(doc(ident, v.Name, v.Doc, fmt.Sprintf("%s is a value type of %s.esm.", ident, g.base), ""))
		jf.Type().Id(ident).Struct(g.structFields(v.Fields)...)
	}
	for _, v := range g.f.Types {
		ident := goname.Exported(v.Name)
		if g.uses.write[v] {
			jf.Add(g.writeMethod(ident, v.Fields))
		}
		if g.uses.read[v] {
			jf.Add(g.readMethod(ident, v.Fields))
		}
	}
	for _, t := range g.uses.writers {
		jf.Add(g.writeHelperFunc(t))
	}
	for _, t := range g.uses.readers {
		jf.Add(g.readHelperFunc(t))
	}
	return render(outname.FileTypes(g.f.Name), jf)
}
