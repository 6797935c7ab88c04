package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/esgen/esgen/internal/outdir"
)

// generateCmd is `esgen generate`.
type generateCmd struct {
	genFlags
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
from these .esm files that they no longer generate are removed; the output
directory is never left half-written. One line per aggregate says what was
done.

Examples:

	esgen generate orders.esm
	esgen generate -out internal/orders -pkg orders orders.esm
	esgen generate -formats svg,md,mermaid orders.esm
	esgen generate -formats none *.esm

In a package (with "tool github.com/esgen/esgen/cmd/esgen" in go.mod):

	//go:generate go tool esgen generate orders.esm`
}

// Run generates and writes every file.
func (c generateCmd) Run(e env) error {
	units, err := c.build(e)
	if err != nil {
		return err
	}
	reps, err := outdir.WriteAll(sets(units))
	if err != nil {
		return err
	}
	status := map[string]map[string]string{} // dir -> name -> what happened
	for _, r := range reps {
		m := map[string]string{}
		for _, n := range r.Written {
			m[n] = "written"
		}
		for _, n := range r.Unchanged {
			m[n] = "unchanged"
		}
		for _, n := range r.Kept {
			m[n] = "kept"
		}
		for _, n := range r.Removed {
			m[n] = "removed"
		}
		status[r.Dir] = m
	}
	for _, u := range units {
		for n := range u.grown {
			if status[u.dir][n] == "written" {
				status[u.dir][n] = "extended"
			}
		}
	}
	var b strings.Builder
	for _, u := range units {
		for _, l := range summary(u, status[u.dir]) {
			b.WriteString(l)
			if u.dir != filepath.Dir(u.src.name) {
				fmt.Fprintf(&b, " in %s", u.dir)
			}
			b.WriteByte('\n')
		}
	}
	_, err = e.stdout.Write([]byte(b.String()))
	return err
}
