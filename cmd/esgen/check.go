package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/esgen/esgen/build"
	"github.com/esgen/esgen/dsl"
)

// checkCmd is `esgen check`.
type checkCmd struct {
	diagFlags
	ErrorFormat string   `name:"error-format" enum:"text,json,github-actions" default:"text" help:"How to report diagnostics: text (on stderr), json (an array on stdout) or github-actions (workflow commands on stdout)."`
	Strict      bool     `help:"Fail (exit 1) on warnings too."`
	Explain     string   `name:"explain" placeholder:"CODE" help:"Print the counterexample of every finding with this code (E045, E046, E047, W015 or W016) on stdout, as a given-when-then Go test to paste into the package's tests."`
	Against     string   `placeholder:"REF" help:"Also report every change that breaks the events stored under the files at REF: a git reference (.git#branch=main, .git#tag=v1.2.0, .git#ref=COMMIT) or a directory."`
	Files       []string `arg:"" name:"file" completion:"esm" help:"The .esm files to check; - reads standard input."`
}

// Help is the detailed help of the verb.
func (checkCmd) Help() string {
	return `Check parses and checks each file as esgen generate would, and reports every
problem: file:line:column: severity[code]: message (suggestion). It exits 0 when
the files are clean or have warnings only, 1 on errors (or warnings with
--strict), 2 when the command line is wrong.

Examples:

	esgen check orders.esm
	esgen check --strict examples/*.esm
	cat orders.esm | esgen check -
	esgen check --error-format json orders.esm
	esgen check --error-format github-actions *.esm   # in a GitHub workflow
	esgen check --against .git#branch=main *.esm     # breaking changes (B001...)
	esgen check -explain E045 orders.esm               # a finding's counterexample as a test

The liveness and protocol findings (E045 to E047, W015, W016) name the
shortest run from the initial state that shows them; -explain CODE prints
it as a given-when-then test in the style of the generated test skeletons.`
}

// Run checks every file.
func (c checkCmd) Run(e env) error {
	if c.Explain != "" && !slices.Contains(dsl.ExplainCodes, c.Explain) {
		return usageErrorf("check: -explain %s: only the findings %s have a counterexample to explain", c.Explain, strings.Join(dsl.ExplainCodes, ", "))
	}
	var against *build.Against
	if c.Against != "" {
		a, err := build.ParseAgainst(c.Against)
		if err != nil {
			return usageErrorf("%v", err)
		}
		against = a
	}
	srcs, err := readSources(e, c.Files)
	if err != nil {
		return err
	}
	// The files of one directory are one Go package: checked together, so
	// that a process may name the aggregates of another file.
	var all dsl.Diagnostics
	var clean []dsl.Source // the files compared with --against
	for _, group := range byDir(srcs) {
		_, ds := dsl.LoadPackage(group)
		all = append(all, ds...)
		if !ds.HasErrors() {
			clean = append(clean, group...)
		}
	}
	if against != nil && !all.HasErrors() {
		for _, s := range srcs {
			if s.stdin {
				return usageErrorf("--against compares files with their published version: standard input (-) has none")
			}
		}
		bs, err := build.Breaking(e.ctx, clean, against)
		if err != nil {
			return err
		}
		all = append(all, bs...)
	}
	all.Sort()
	switch c.ErrorFormat {
	case "json":
		err = writeJSON(e.stdout, all)
	case "github-actions":
		err = writeGitHub(e.stdout, all)
	default:
		newReporter(e, c.diagFlags, srcs).print(all)
	}
	if err != nil {
		return err
	}
	if c.Explain != "" {
		text := dsl.Explain(all, c.Explain)
		if text == "" {
			fmt.Fprintf(e.stderr, "esgen check: no %s finding to explain\n", c.Explain)
		}
		if _, err := io.WriteString(e.stdout, text); err != nil {
			return err
		}
	}
	if all.HasErrors() || c.Strict && len(all) > 0 {
		return failed()
	}
	return nil
}

// byDir groups sources by directory, in the order of their first file;
// standard input is a group of its own.
func byDir(srcs []source) [][]dsl.Source {
	var groups [][]dsl.Source
	index := map[string]int{}
	for _, s := range srcs {
		dir := filepath.Dir(s.name)
		if s.stdin {
			dir = "\x00stdin" // no directory's name
		}
		i, ok := index[dir]
		if !ok {
			i = len(groups)
			index[dir] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], dsl.Source{Name: s.name, Data: s.data})
	}
	return groups
}
