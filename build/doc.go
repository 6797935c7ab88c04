// Package build is esgen's pipeline from .esm files to the files on disk,
// as a library: the esgen command, the language server and tests use it,
// and a program can drive esgen without the command.
//
// It runs in two steps. Load parses and checks the inputs, groups them
// into Go packages (the inputs generated into one directory are one
// package, checked together), generates every file in memory, and reads
// the output directories: what earlier runs generated there that is no
// longer generated, Go files of other runs that would clash, and the
// user's test skeletons, to which the cases of new transitions are added.
// It writes nothing. The Plan it returns lists every output with its
// bytes and what applying it does (Action); then either Plan.Apply writes
// it, all or nothing, or Plan.Diff compares it with the disk.
//
//	srcs := []dsl.Source{{Name: "orders.esm", Data: data}}
//	plan, err := build.Load(ctx, srcs, build.Options{Formats: []diagram.Format{diagram.FormatMarkdown}})
//	// print plan.Diagnostics (warnings, or the errors when err matches ErrDiagnostics) and plan.Warnings
//	if err != nil {
//		return err
//	}
//	applied, err := plan.Apply(ctx)
//
// Check is the first step alone, for editors: the diagnostics of a set of
// .esm files, from memory, checked as generate checks them. ReadDir reads
// the .esm files of one package from disk with the unsaved contents of an
// editor laid over them.
//
// Bad input never half-writes: any error in any input stops Load before
// anything is generated, and Apply writes every directory or, on failure,
// leaves every one as it was.
package build
