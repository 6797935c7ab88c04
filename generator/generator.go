// Package generator turns a checked .esm model into Go source files (and,
// through generator/diagram, diagrams and docs). It only emits: every rule
// about the input lives in package dsl.
package generator

import (
	"context"
	"errors"

	"github.com/esgen/esgen/dsl"
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
}

// Generate returns every file generated for f, sorted by Name. PLACEHOLDER
// until issue 3 lands.
func Generate(ctx context.Context, f *dsl.File, opt Options) ([]File, error) {
	return nil, errors.New("generator: not built yet")
}
