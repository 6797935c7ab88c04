package main

import (
	"errors"

	"github.com/esgen/esgen/build"
	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/generator/diagram/svg"
)

// genFlags are shared by generate and diff, which must agree on what is
// generated.
type genFlags struct {
	diagFlags
	Out     string   `placeholder:"DIR" completion:"dir" help:"Write into DIR instead of the directory of each .esm file."`
	Pkg     string   `placeholder:"NAME" help:"Go package name of the generated code, instead of the .esm package clause."`
	Formats string   `default:"${default_formats}" placeholder:"LIST" completion:"formats" help:"Diagrams, pages and schemas to generate: a comma-separated list of svg, md, dot, mermaid, jsonschema, asyncapi, or none (default ${default_formats})."`
	Fields  bool     `name:"diagram-fields" help:"List each state's fields in its box in the svg and dot diagrams."`
	Against string   `placeholder:"REF" help:"Fail, writing nothing, on a change that breaks the events stored under the files at REF: a git reference (.git#branch=main) or a directory (see esgen check --against)."`
	Files   []string `arg:"" name:"file" completion:"esm" help:"The .esm files."`
}

// load reads and loads the files, printing the diagnostics and warnings:
// any error in any file stops before anything is generated, and an error
// of the files generated into one directory checked together, or with
// what other runs generated there, stops before anything is written.
//
// Under go generate (goGenerate and e.goGenerateFile set), stale Go files
// go generate has yet to read are emptied instead of removed (see
// build.Options.GoGenerateFile).
func (g genFlags) load(e env, goGenerate bool) (*build.Plan, error) {
	formats, err := diagram.ParseFormats(g.Formats)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	var against *build.Against
	if g.Against != "" {
		if against, err = build.ParseAgainst(g.Against); err != nil {
			return nil, usageErrorf("%v", err)
		}
	}
	for _, f := range g.Files {
		if f == "-" {
			return nil, usageErrorf("standard input (-) cannot be generated from: output goes beside the .esm file or into -out DIR")
		}
	}
	srcs, err := readSources(e, g.Files)
	if err != nil {
		return nil, err
	}
	in := make([]dsl.Source, len(srcs))
	for i, s := range srcs {
		in[i] = dsl.Source{Name: s.name, Data: s.data}
	}
	opts := build.Options{Out: g.Out, Package: g.Pkg, Formats: formats, RenderSVG: svg.Render, DiagramFields: g.Fields}
	if goGenerate {
		opts.GoGenerateFile = e.goGenerateFile
	}
	plan, err := build.Load(e.ctx, in, opts)
	if plan != nil {
		rep := newReporter(e, g.diagFlags, srcs)
		rep.print(plan.Diagnostics)
		for _, w := range plan.Warnings {
			rep.goWarning(w.Path, w.Line, w.Column, w.Message, w.Src)
		}
	}
	if errors.Is(err, build.ErrDiagnostics) {
		return nil, failed()
	}
	if err != nil {
		return nil, err
	}
	if against != nil {
		bs, err := build.Breaking(e.ctx, in, against)
		if err != nil {
			return nil, err
		}
		if len(bs) > 0 {
			newReporter(e, g.diagFlags, srcs).print(bs)
			return nil, failed()
		}
	}
	return plan, nil
}
