package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/generator/diagram/svg"
	"github.com/esgen/esgen/internal/outdir"
	"github.com/esgen/esgen/runtime/machine"
)

// diagramCmd is `esgen diagram`.
type diagramCmd struct {
	diagFlags
	Format    string `enum:"dot,svg,mermaid" default:"dot" help:"Output format: dot (canonical Graphviz text), svg or mermaid (stateDiagram-v2)."`
	Highlight string `placeholder:"STATE" help:"Fill STATE with a highlight colour, e.g. an instance's current state."`
	Fields    bool   `help:"List each state's fields in its box (dot and svg)."`
	Output    string `short:"o" placeholder:"FILE" completion:"file" help:"Write to FILE (only when its bytes change) instead of stdout."`
	File      string `arg:"" completion:"esm" help:"The .esm file; - reads standard input."`
	Aggregate string `arg:"" optional:"" help:"The aggregate or process to draw; required when the file has several with a state machine."`
}

// Help is the detailed help of the verb.
func (diagramCmd) Help() string {
	return `Diagram draws the state machine of one aggregate, with its timers, or of one
process manager: states as
rounded boxes (the initial one entered from a dot, final ones double-bordered
and leading to a bullseye), transitions as edges labelled "Command / Event".

Examples:

	esgen diagram orders.esm                          # DOT on stdout
	esgen diagram -format svg -o order.svg orders.esm
	esgen diagram -format svg -fields -o order.svg orders.esm
	esgen diagram -format mermaid graph.esm Graph
	esgen diagram -highlight Submitted orders.esm | dot -Tpng > now.png`
}

// Run draws the diagram.
func (c diagramCmd) Run(e env) error {
	srcs, err := readSources(e, []string{c.File})
	if err != nil {
		return err
	}
	f, ds := dsl.Load(srcs[0].name, srcs[0].data)
	newReporter(e, c.diagFlags, srcs).print(ds)
	if f == nil || ds.HasErrors() {
		return failed()
	}
	m, err := c.pick(f, srcs[0].name)
	if err != nil {
		return err
	}
	if c.Highlight != "" && !m.HasState(c.Highlight) {
		return usageErrorf("diagram: %s has no state %q; its states are %s", m.Name, c.Highlight, strings.Join(m.StateNames(), ", "))
	}
	opt := machine.Options{Highlight: c.Highlight, Fields: c.Fields}
	var out []byte
	switch c.Format {
	case "svg":
		out, err = svg.Render(e.ctx, m.DOT(opt))
		if err != nil {
			return err
		}
	case "mermaid":
		out = m.Mermaid(opt)
	default:
		out = m.DOT(opt)
	}
	if c.Output == "" {
		_, err = e.stdout.Write(out)
		return err
	}
	dir, base := filepath.Split(c.Output)
	if base == "" {
		return usageErrorf("diagram: -o %s: want a file name", c.Output)
	}
	_, err = outdir.Write(dir, []outdir.File{{Name: base, Data: out}})
	return err
}

// pick returns the machine to draw: of the named aggregate or process, or
// of the only one with a state machine. Processes count as machines; the
// messages name them among the aggregates with a state machine.
func (c diagramCmd) pick(f *dsl.File, name string) (machine.Machine, error) {
	var machines []string
	for _, a := range f.Aggregates {
		if diagram.HasMachine(a) {
			machines = append(machines, a.Name)
		}
	}
	for _, p := range f.Processes {
		machines = append(machines, p.Name)
	}
	list := strings.Join(machines, ", ")
	want := c.Aggregate
	if want == "" {
		switch len(machines) {
		case 0:
			return machine.Machine{}, fmt.Errorf("diagram: %s has no aggregate with a state machine", name)
		case 1:
			want = machines[0]
		default:
			return machine.Machine{}, usageErrorf("diagram: %s has several aggregates with a state machine; name one of %s", name, list)
		}
	}
	for _, a := range f.Aggregates {
		if a.Name != want {
			continue
		}
		if !diagram.HasMachine(a) {
			return machine.Machine{}, usageErrorf("diagram: %s is an eventual aggregate: it has no state machine to draw%s", a.Name, choose(list))
		}
		return diagram.Drawn(a), nil
	}
	for _, p := range f.Processes {
		if p.Name == want {
			return diagram.ProcessMachine(p), nil
		}
	}
	return machine.Machine{}, usageErrorf("diagram: %s has no aggregate %s%s", name, want, choose(list))
}

// choose is "; aggregates with a state machine: A, B", or empty.
func choose(list string) string {
	if list == "" {
		return "; the file has no aggregate with a state machine"
	}
	return "; aggregates with a state machine: " + list
}
