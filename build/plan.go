package build

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
)

// Options tune Load and Check.
type Options struct {
	// Out is the output directory of every input; empty means the
	// directory of each .esm file.
	Out string
	// Package is the Go package name of the generated code, instead of
	// the package clause of the .esm files.
	Package string
	// Formats are the diagrams and pages generated beside the code; none
	// when empty. diagram.FormatSVG needs RenderSVG.
	Formats []diagram.Format
	// RenderSVG lays out DOT text as an SVG document
	// (generator/diagram/svg.Render). It is an option so that a program
	// that draws no SVG does not link Graphviz.
	RenderSVG func(ctx context.Context, dot []byte) ([]byte, error)
	// DiagramFields lists each state's fields in its box in the SVG and
	// DOT diagrams (diagram.Options.Fields).
	DiagramFields bool
	// Logger receives debug records of what Load finds on disk; nil
	// discards them.
	Logger *slog.Logger
	// GoGenerateFile is, when esgen runs from a //go:generate directive,
	// the absolute path of the file holding it (go generate's $GOFILE in
	// its directory). A stale Go file of that directory which go generate
	// has yet to read is then emptied instead of removed (Output.Emptied):
	// go generate fails when a file it listed is gone.
	GoGenerateFile string
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// Plan is everything generating the inputs of one Load would do, computed
// in memory: nothing is written until Apply.
type Plan struct {
	// Diagnostics are those of every input, sorted by position: warnings
	// when Load succeeds, and the errors too when it fails with
	// ErrDiagnostics.
	Diagnostics dsl.Diagnostics
	// Warnings are about Go files of the output (the user's test
	// skeletons): a case of a transition that is gone, a skeleton that
	// does not parse. They do not stop generation.
	Warnings []Warning
	// Inputs are the .esm files in the order given, each with its outputs.
	Inputs []*Input
}

// Input is one .esm file and everything generated from it.
type Input struct {
	// Name is the file's path as given to Load.
	Name string
	// Dir is the output directory.
	Dir string
	// Source is Name relative to Dir, slash-separated: what the
	// generated-file marker of its outputs names (internal/marker).
	Source string
	// Model is the checked model; nil when Load failed before checking.
	Model *dsl.File
	// Outputs are the files it generates, in the generator's order, then
	// the files of Dir that are no longer generated (Action Remove).
	Outputs []*Output

	data     []byte
	siblings []*dsl.File
}

// Action is what Apply does with an Output.
type Action int

const (
	// Write writes a generated file when its bytes differ from the
	// file's on disk.
	Write Action = iota + 1
	// Create writes the user's test skeleton when it is absent, and
	// keeps it otherwise.
	Create
	// Extend writes the user's test skeleton with the cases of new
	// transitions appended, over exactly the bytes Load read (if they
	// changed meanwhile, Apply fails and writes nothing).
	Extend
	// Remove removes a file no longer generated: one of the input's
	// that it no longer generates, or one of an .esm file that no longer
	// exists (Output.Orphan).
	Remove
)

// String is the action's name in lower case.
func (a Action) String() string {
	switch a {
	case Write:
		return "write"
	case Create:
		return "create"
	case Extend:
		return "extend"
	case Remove:
		return "remove"
	}
	return "action(?)"
}

// Output is one file of an output directory that applying the plan
// writes or removes.
type Output struct {
	// Dir is the output directory, as Input.Dir.
	Dir string
	// Name is the file's slash-separated path relative to Dir.
	Name string
	// Data is the file's content; nil for Remove unless Emptied.
	Data []byte
	// Action is what Apply does with the file.
	Action Action
	// Owner is the aggregate or process the file is generated for (its
	// name as declared), empty for a file the input's aggregates share
	// and for Remove.
	Owner string
	// Added are the test functions Extend appends to the skeleton.
	Added []string
	// Orphan is, for Remove, the path of the .esm file that no longer
	// exists and that the file was generated from; empty when the file
	// is one the input no longer generates.
	Orphan string
	// Emptied is set, for Remove, when Apply writes Data, the file
	// emptied of its code, instead of removing it (see
	// Options.GoGenerateFile).
	Emptied bool

	// expect holds the bytes Extend was grown from.
	expect []byte
}

// Path is the file's path: Dir joined with Name.
func (o *Output) Path() string { return filepath.Join(o.Dir, filepath.FromSlash(o.Name)) }

// Warning is a problem with a Go file of an output directory that does
// not stop generation: the file is left as it is.
type Warning struct {
	// Path is the file's path.
	Path string
	// Line and Column are 1-based; 0 when the warning is about the whole
	// file.
	Line, Column int
	// Message says what is wrong and what esgen does.
	Message string
	// Src is the file's content, for a caller that shows the line.
	Src []byte
}
