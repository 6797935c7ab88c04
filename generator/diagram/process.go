package diagram

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"text/template"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/runtime/machine"
	"github.com/esgen/esgen/templates"
)

// ProcessMachine returns the plain-data machine of a process: its states
// (with their fields),
// and one transition per source state of every branch, labelled with the
// input (Aggregate.Event, "refused Aggregate.Command", or "after 30m" for a
// timer) and the commands the branch sends.
func ProcessMachine(p *dsl.Process) machine.Machine {
	m := machine.Machine{Name: p.Name}
	for _, s := range p.States {
		m.States = append(m.States, machine.State{Name: s.Name, Initial: s.Initial, Final: s.Final, Fields: fieldNames(s.Fields)})
	}
	for _, r := range p.Reactions {
		label := InputLabel(r.Input)
		for _, b := range r.Branches {
			var sends []string
			for _, s := range b.Sends {
				sends = append(sends, s.Aggregate.Name+"."+s.Command.Name)
			}
			for _, from := range b.From {
				m.Transitions = append(m.Transitions, machine.Transition{From: from.Name, To: b.To.Name, Command: label, Events: sends})
			}
		}
	}
	return m
}

// InputLabel spells an input of a process on a diagram's edge.
func InputLabel(in *dsl.Input) string {
	switch in.Kind {
	case dsl.InputEvent:
		return in.Aggregate.Name + "." + in.Event.Name
	case dsl.InputRejection:
		return "refused " + in.Aggregate.Name + "." + in.Command.Name
	}
	return "after " + in.Text
}

// ProcessPage is what templates/process.md.tmpl lays out: the page of one
// process. Strings are escaped for Markdown.
type ProcessPage struct {
	Name, Doc, Package, Source string
	SVG, Mermaid               string
	Correlations               []CorrelationRow
	States                     []StateRow
	Reactions                  []ReactionSection
	Evolutions                 []EvolutionRow
}

// CorrelationRow says how the events of one aggregate find their process.
type CorrelationRow struct{ Aggregate, By string }

// ReactionSection is one input of a process and its branches.
type ReactionSection struct {
	Input    string
	Doc      string
	Branches []string
}

// NewProcessPage builds the page of process p of file f; svgName links the
// SVG, or the Mermaid text is embedded when it is empty.
func NewProcessPage(f *dsl.File, p *dsl.Process, svgName string) ProcessPage {
	pg := ProcessPage{
		Name: mdText(p.Name), Doc: paragraphs(p.Doc), Package: f.Package,
		Source: path.Base(strings.ReplaceAll(f.Name, "\\", "/")), SVG: svgName,
	}
	if svgName == "" {
		pg.Mermaid = string(ProcessMachine(p).Mermaid(machine.Options{}))
	}
	for _, co := range p.Correlations {
		by := "its aggregate id"
		if co.Field != "" {
			by = "field " + codeCell(co.Field)
		}
		pg.Correlations = append(pg.Correlations, CorrelationRow{Aggregate: mdText(co.Aggregate.Name), By: by})
	}
	for _, s := range p.States {
		kind := ""
		switch {
		case s.Initial:
			kind = "initial"
		case s.Final:
			kind = "final"
		}
		pg.States = append(pg.States, StateRow{Name: mdText(s.Name), Kind: kind, Fields: fieldList(s.Fields), Doc: cell(s.Doc)})
	}
	for _, r := range p.Reactions {
		sec := ReactionSection{Input: code(InputLabel(r.Input)), Doc: paragraphs(r.Doc)}
		for _, b := range r.Branches {
			var from []string
			for _, s := range b.From {
				from = append(from, mdText(s.Name))
			}
			text := strings.Join(from, ", ") + " → " + mdText(b.To.Name)
			if len(b.Sends) > 0 {
				var sends []string
				for _, s := range b.Sends {
					sends = append(sends, code(s.Aggregate.Name+"."+s.Command.Name))
				}
				text += ", sending " + strings.Join(sends, ", ")
			}
			sec.Branches = append(sec.Branches, text)
		}
		pg.Reactions = append(pg.Reactions, sec)
	}
	for _, e := range p.Evolutions {
		r := EvolutionRow{State: mdText(e.From.Name), Event: mdText(e.Input.Name), To: mdText(e.To.Name), Dropped: "none"}
		var lines []string
		if e.Hook {
			r.By = "hook"
			for _, why := range e.HookReasons {
				lines = append(lines, cell(why))
			}
		} else {
			r.By = "generated"
			for _, fs := range e.Fields {
				from := "kept from " + mdText(e.From.Name)
				if fs.Origin == dsl.FromEvent {
					from = "from the input's " + codeCell(fs.From.Name)
				}
				lines = append(lines, codeCell(fs.Field.Name)+" "+from)
			}
			if len(lines) == 0 {
				lines = append(lines, "no fields")
			}
		}
		r.Fields = strings.Join(lines, "<br>")
		pg.Evolutions = append(pg.Evolutions, r)
	}
	return pg
}

// ProcessMarkdown renders the page of a process.
func ProcessMarkdown(p ProcessPage) ([]byte, error) { return processMarkdown(p, "") }

// processMarkdown is ProcessMarkdown marked as generated from the .esm
// file source (none when empty).
func processMarkdown(p ProcessPage, source string) ([]byte, error) {
	t, err := template.New(templates.ProcessPage).Option("missingkey=error").ParseFS(templates.FS(), templates.ProcessPage)
	if err != nil {
		return nil, fmt.Errorf("diagram: parse %s: %w", templates.ProcessPage, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("diagram: page of %s: %w", p.Name, err)
	}
	return markPage(collapseBlankLines(b.Bytes()), source), nil
}
