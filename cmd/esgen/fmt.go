package main

import (
	"bytes"
	"path/filepath"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/outdir"
	"github.com/rogpeppe/go-internal/diff"
)

// fmtCmd is `esgen fmt`.
type fmtCmd struct {
	diagFlags
	Write bool     `short:"w" help:"Rewrite files whose formatting differs (atomically), instead of printing them."`
	List  bool     `short:"l" help:"List the files whose formatting differs."`
	Diff  bool     `short:"d" help:"Print a unified diff of the formatting changes; exit 1 if there is any."`
	Files []string `arg:"" name:"file" completion:"esm" help:"The .esm files to format; - reads standard input."`
}

// Help is the detailed help of the verb.
func (fmtCmd) Help() string {
	return `Fmt lays each file out in the one canonical .esm layout, keeping comments.
With no flag it prints the formatted text on stdout. A file with syntax errors is
reported and left untouched (exit 1).

Examples:

	esgen fmt orders.esm          # print formatted
	esgen fmt -w examples/*.esm   # rewrite in place
	esgen fmt -l .esm/*.esm       # which files need formatting?
	esgen fmt -d orders.esm       # in CI: show the diff, exit 1 if unformatted
	cat orders.esm | esgen fmt -`
}

// Run formats every file.
func (c fmtCmd) Run(e env) error {
	if c.Write {
		for _, f := range c.Files {
			if f == "-" {
				return usageErrorf("fmt: -w cannot rewrite standard input")
			}
		}
	}
	srcs, err := readSources(e, c.Files)
	if err != nil {
		return err
	}
	rep := newReporter(e, c.diagFlags, srcs)
	bad, unformatted := false, false
	for _, s := range srcs {
		out, ds := dsl.Format(s.name, s.data)
		if ds.HasErrors() {
			rep.print(ds)
			bad = true
			continue
		}
		changed := !bytes.Equal(out, s.data)
		if changed {
			unformatted = true
		}
		if c.List && changed {
			if _, err := e.stdout.Write([]byte(s.name + "\n")); err != nil {
				return err
			}
		}
		if c.Diff && changed {
			if _, err := e.stdout.Write(diff.Diff(s.name+".orig", s.data, s.name, out)); err != nil {
				return err
			}
		}
		if c.Write && changed {
			dir, base := filepath.Split(s.name)
			if _, err := outdir.Write(dir, []outdir.File{{Name: base, Data: out}}); err != nil {
				return err
			}
		}
		if !c.Write && !c.List && !c.Diff {
			if _, err := e.stdout.Write(out); err != nil {
				return err
			}
		}
	}
	if bad || c.Diff && unformatted {
		return failed()
	}
	return nil
}
