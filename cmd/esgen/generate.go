package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/esgen/esgen/build"
)

// generateCmd is `esgen generate`.
type generateCmd struct {
	genFlags
	Verbose bool `short:"v" help:"Print one line per aggregate and process: its size, and how many of its files were written, left unchanged, kept or removed."`
}

// Help is the detailed help of the verb.
func (generateCmd) Help() string {
	return `Generate checks each file and writes its Go code, diagrams and docs pages into
the directory of the .esm file (or -out DIR). Nothing is written for any file
when one has errors; a file is rewritten only when its bytes change; the test
skeleton <aggregate>_test.go is yours: written whole when absent, and
afterwards only extended, at its end, with the cases of new transitions that
no Go file of the package declares or names in an //esgen:skip comment (cases
of transitions that are gone are reported, never deleted); files generated
from these .esm files that they no longer generate are removed (under go
generate, Go files it has yet to read are emptied instead: delete them); the output
directory is never left half-written. It prints nothing but diagnostics
unless -v: then one line per aggregate says what was done.

Examples:

	esgen generate orders.esm
	esgen generate -v orders.esm
	esgen generate -out internal/orders -pkg orders orders.esm
	esgen generate -formats svg,md,mermaid orders.esm
	esgen generate -formats none *.esm

In a package (with "tool github.com/esgen/esgen/cmd/esgen" in go.mod):

	//go:generate go tool esgen generate orders.esm`
}

// Run generates and writes every file.
func (c generateCmd) Run(e env) error {
	plan, err := c.load(e, true)
	if err != nil {
		return err
	}
	applied, err := plan.Apply(e.ctx)
	if err != nil {
		return err
	}
	var emptied []string
	for _, in := range plan.Inputs {
		for _, o := range in.Outputs {
			if applied.Status(o) == build.Emptied {
				emptied = append(emptied, o.Path())
			}
		}
	}
	if len(emptied) > 0 {
		fmt.Fprintf(e.stderr, "esgen: %s no longer generated, emptied instead of removed because go generate has yet to read them: delete them\n\trm %s\n", plural(len(emptied), "file"), strings.Join(emptied, " "))
	}
	if !c.Verbose {
		return nil
	}
	var b strings.Builder
	for _, in := range plan.Inputs {
		for _, l := range summary(in, applied.Status) {
			b.WriteString(l)
			if in.Dir != filepath.Dir(in.Name) {
				fmt.Fprintf(&b, " in %s", in.Dir)
			}
			b.WriteByte('\n')
		}
	}
	_, err = e.stdout.Write([]byte(b.String()))
	return err
}
