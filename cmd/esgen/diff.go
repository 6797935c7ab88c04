package main

import (
	"fmt"
	"strings"
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
and exits 1 if there is any, 0 when everything is current. It never writes.
The test skeleton (<aggregate>_test.go) belongs to you: diff shows only the
cases of new transitions generate would add to it (which make it out of date
too), and warns of cases of transitions that are gone.

Examples:

	esgen diff orders.esm                  # in CI: fail when generated code is stale
	esgen diff -out internal/orders orders.esm
	esgen diff -formats none orders.esm    # compare the Go code only`
}

// Run prints the differences.
func (c diffCmd) Run(e env) error {
	plan, err := c.load(e, false)
	if err != nil {
		return err
	}
	ds, err := plan.Diff(e.ctx)
	if err != nil {
		return err
	}
	stale, skeletons := 0, 0
	for _, d := range ds {
		if d.Skeleton {
			skeletons++
		} else {
			stale++
		}
		if _, err := e.stdout.Write(d.Diff); err != nil {
			return err
		}
	}
	var parts []string
	if stale > 0 {
		parts = append(parts, plural(stale, "generated file")+" stale or missing")
	}
	switch {
	case skeletons == 1:
		parts = append(parts, "1 test skeleton lacks the cases of new transitions")
	case skeletons > 1:
		parts = append(parts, fmt.Sprintf("%d test skeletons lack the cases of new transitions", skeletons))
	}
	if len(parts) > 0 {
		return exitError{code: exitFail, msg: fmt.Sprintf("diff: %s; run esgen generate", strings.Join(parts, ", and "))}
	}
	return nil
}
