package main

import (
	"fmt"

	"github.com/esgen/esgen/internal/outdir"
)

// diffCmd is `esgen diff`.
type diffCmd struct {
	genFlags
}

// Help is the detailed help of the verb.
func (diffCmd) Help() string {
	return `Diff generates in memory exactly as esgen generate would (same flags) and
compares with the files on disk. It prints a unified diff of every stale or
missing file, and of every file generate would remove as no longer generated,
and exits 1 if there is any, 0 when everything is current. It never writes. The test skeleton (<aggregate>_test.go) belongs to you and is not compared.

Examples:

	esgen diff orders.esm                  # in CI: fail when generated code is stale
	esgen diff -out internal/orders orders.esm
	esgen diff -formats none orders.esm    # compare the Go code only`
}

// Run prints the differences.
func (c diffCmd) Run(e env) error {
	units, err := c.build(e)
	if err != nil {
		return err
	}
	stale := 0
	for _, s := range sets(units) {
		ds, err := outdir.DiffSet(s)
		if err != nil {
			return err
		}
		for _, d := range ds {
			stale++
			if _, err := e.stdout.Write(d.Diff); err != nil {
				return err
			}
		}
	}
	if stale > 0 {
		return exitError{code: exitFail, msg: fmt.Sprintf("diff: %s stale or missing; run esgen generate", plural(stale, "generated file"))}
	}
	return nil
}
