package build

import "errors"

// ErrDiagnostics is matched (errors.Is) by the error of Load when an input
// has errors, or the inputs of one package clash: Plan.Diagnostics holds
// them, positioned. Nothing is generated.
var ErrDiagnostics = errors.New("build: the .esm files have errors")

// ConflictError is the error of Load when the outputs cannot go where they
// would: two inputs writing one file into one directory, two package
// clauses in one directory, or a Go file another run of esgen generated
// into the directory that would not build with them. Nothing is written.
type ConflictError struct {
	// Input is the .esm file the conflict is reported for, as given.
	Input string
	// Dir is the output directory.
	Dir string
	// Msg names the files in conflict and says what to do.
	Msg string
}

func (e *ConflictError) Error() string { return e.Msg }
