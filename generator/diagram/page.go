package diagram

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
)

// Page is what templates/aggregate.md.tmpl lays out: the documentation of
// one aggregate. Every string is ready to print as Markdown (names and
// table cells escaped, code in code spans); the template adds no escaping.
type Page struct {
	Name     string // aggregate name
	Doc      string // doc comment, as paragraphs
	Package  string // Go package name
	Source   string // base name of the .esm file
	Eventual bool   // events only: no machine, states, commands or matrix
	Options  []Option

	SVG     string // file name of the SVG diagram beside the page, or empty
	Mermaid string // Mermaid text, used when there is no SVG
	Initial string // the initial state
	Finals  string // the final states, comma-separated; empty when none

	States     []StateRow
	Matrix     Matrix
	Evolutions []EvolutionRow
	Evolver    string   // the Go interface of the Evolve hooks
	Timers     []string // "after 30m in Submitted: Cancel { reason = ... }"
	Commands   []CommandSection
	Events     []EventSection
	Types      []TypeSection // value types the aggregate's fields use
}

// Option is one aggregate option shown in the options table.
type Option struct{ Name, Value string }

// StateRow is one row of the states table.
type StateRow struct {
	Name   string
	Kind   string // "initial", "final" or empty
	Fields string // "`name` `type`" pairs, comma-separated; "none"
	Doc    string // one line
}

// Matrix is the state × command table: one row per state, one column per
// command, in declaration order.
type Matrix struct {
	Commands []string
	Rows     []MatrixRow
}

// MatrixRow is one state's row: one cell per command, either the declared
// targets and events ("→ Submitted / OrderSubmitted", several joined by
// <br>) or "*invalid*".
type MatrixRow struct {
	State string
	Cells []string
}

// InvalidCell is the text of a matrix cell whose (state, command) pair is
// not declared.
const InvalidCell = "*invalid*"

// EvolutionRow is one row of the evolutions table: how an event changes
// the state it applies to.
type EvolutionRow struct {
	State, Event, To string
	// By is "generated", "unchanged" or "hook `Method`", with the line of
	// the evolve declaration that says so, if any.
	By string
	// Fields says where each field of the new state comes from, or why a
	// hook computes it; lines joined by <br>.
	Fields string
	// Dropped lists the event fields that do not reach the new state
	// (each declared in the .esm); "none".
	Dropped string
}

// CommandSection documents one command.
type CommandSection struct {
	Name string
	Doc  string
	// Lead introduces the branches: how many there are and the
	// transition's doc comment; empty for a single undocumented branch.
	Lead     string
	Branches []string // "Draft → Submitted, emitting OrderSubmitted"
	Fields   FieldTable
}

// EventSection documents one event with its versions, newest first.
type EventSection struct {
	Name      string
	Doc       string
	EmittedBy string // the commands and branches that emit it; empty for eventual aggregates
	Versions  []VersionSection
}

// VersionSection documents one schema version of an event.
type VersionSection struct {
	Title  string // "v2 (current)", "v1"; empty when the event has one version
	Doc    string
	Upcast string // how the previous version becomes this one; empty for v1
	Fields FieldTable
}

// TypeSection documents a value type.
type TypeSection struct {
	Name   string
	Doc    string
	Fields FieldTable
}

// FieldTable is the fields of a state, command, event version or value
// type. Defaults is set when any field has a default, Docs when any has a
// doc comment: each adds a column.
type FieldTable struct {
	Defaults bool
	Docs     bool
	Rows     []FieldRow
}

// FieldRow is one field.
type FieldRow struct{ Name, Type, Default, Doc string }

// NewPage builds the page of aggregate a of file f. svgName is the file
// name of the SVG diagram linked from the page, or empty to embed the
// Mermaid text instead.
func NewPage(f *dsl.File, a *dsl.Aggregate, svgName string) Page {
	p := Page{
		Name:     mdText(a.Name),
		Doc:      paragraphs(a.Doc),
		Package:  f.Package,
		Source:   path.Base(strings.ReplaceAll(f.Name, "\\", "/")),
		Eventual: a.Eventual,
		Options:  options(a),
	}
	p.Events = eventSections(a)
	p.Types = typeSections(f, a)
	if a.Eventual {
		return p
	}
	if svgName != "" {
		p.SVG = svgName
	} else {
		p.Mermaid = string(Mermaid(a))
	}
	var finals []string
	for _, s := range a.States {
		kind := ""
		switch {
		case s.Initial:
			kind = "initial"
			p.Initial = "**" + mdText(s.Name) + "**"
		case s.Final:
			kind = "final"
			finals = append(finals, mdText(s.Name))
		}
		p.States = append(p.States, StateRow{Name: mdText(s.Name), Kind: kind, Fields: fieldList(s.Fields), Doc: cell(s.Doc)})
	}
	p.Finals = strings.Join(finals, ", ")
	p.Matrix = matrix(a)
	p.Evolutions = evolutionRows(a)
	for _, t := range a.Timers {
		text := fmt.Sprintf("after %s in %s: %s", t.Text, t.State.Name, t.Command.Name)
		if len(t.Values) > 0 {
			var vs []string
			for _, fv := range t.Values {
				vs = append(vs, fv.Field.Name+" = "+fv.Value.Text)
			}
			text += " { " + strings.Join(vs, "; ") + " }"
		}
		doc := ""
		if t.Doc != "" {
			doc = ": " + cell(t.Doc)
		}
		p.Timers = append(p.Timers, code(text)+doc)
	}
	p.Evolver = goname.Evolver(a.Name)
	p.Commands = commandSections(a)
	return p
}

func options(a *dsl.Aggregate) []Option {
	id := "string"
	if a.IDType != nil {
		id = a.IDType.String()
	}
	opts := []Option{{"ID type", codeCell(id)}}
	if a.Stream != "" {
		opts = append(opts, Option{"Stream", codeCell(a.Stream)})
	}
	if a.Subject != "" {
		opts = append(opts, Option{"Subject prefix", codeCell(a.Subject)})
	}
	if !a.Eventual {
		snap := "none"
		if a.SnapshotEvery > 0 {
			snap = "every " + strconv.Itoa(a.SnapshotEvery) + " events"
		}
		opts = append(opts, Option{"Snapshots", snap})
	}
	return opts
}

// matrix builds the state × command table.
func matrix(a *dsl.Aggregate) Matrix {
	m := Matrix{Commands: make([]string, len(a.Commands))}
	for i, c := range a.Commands {
		m.Commands[i] = mdText(c.Name)
	}
	for _, s := range a.States {
		row := MatrixRow{State: mdText(s.Name), Cells: make([]string, len(a.Commands))}
		for i, c := range a.Commands {
			var outs []string
			for _, t := range a.Transitions {
				if t.Command != c {
					continue
				}
				for _, br := range t.Branches {
					if slices.Contains(br.From, s) {
						outs = append(outs, "→ "+mdText(br.To.Name)+emitsSuffix(br.Emits))
					}
				}
			}
			row.Cells[i] = InvalidCell
			if len(outs) > 0 {
				row.Cells[i] = strings.Join(outs, "<br>")
			}
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

// emitsSuffix is " / E1, E2" in Mealy notation, or empty for no events.
func emitsSuffix(evs []*dsl.Event) string {
	if len(evs) == 0 {
		return ""
	}
	return " / " + eventNames(evs)
}

func eventNames(evs []*dsl.Event) string {
	names := make([]string, len(evs))
	for i, e := range evs {
		names[i] = mdText(e.Name)
	}
	return strings.Join(names, ", ")
}

func stateNames(ss []*dsl.State) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = mdText(s.Name)
	}
	return strings.Join(names, ", ")
}

// branchText describes one branch: "Draft → Submitted, emitting OrderSubmitted".
func branchText(br *dsl.Branch) string {
	s := stateNames(br.From) + " → " + mdText(br.To.Name)
	if len(br.Emits) == 0 {
		return s + ", emitting no event"
	}
	return s + ", emitting " + eventNames(br.Emits)
}

func commandSections(a *dsl.Aggregate) []CommandSection {
	secs := make([]CommandSection, len(a.Commands))
	for i, c := range a.Commands {
		sec := CommandSection{Name: mdText(c.Name), Doc: paragraphs(c.Doc), Fields: fieldTable(c.Fields)}
		for _, t := range a.Transitions {
			if t.Command != c {
				continue
			}
			var lead []string
			if t.Doc != "" {
				lead = append(lead, paragraphs(t.Doc))
			}
			if len(t.Branches) > 1 {
				lead = append(lead, fmt.Sprintf("One of %d branches, picked by the decision:", len(t.Branches)))
			}
			sec.Lead = strings.Join(lead, "\n\n")
			for _, br := range t.Branches {
				sec.Branches = append(sec.Branches, branchText(br))
			}
		}
		if len(sec.Branches) == 0 {
			sec.Lead = "Accepted in no state: every use is an invalid transition."
		}
		secs[i] = sec
	}
	return secs
}

func eventSections(a *dsl.Aggregate) []EventSection {
	secs := make([]EventSection, len(a.Events))
	for i, e := range a.Events {
		sec := EventSection{Name: mdText(e.Name), Doc: paragraphs(e.Doc)}
		var by []string
		for _, t := range a.Transitions {
			for _, br := range t.Branches {
				if slices.Contains(br.Emits, e) {
					by = append(by, mdText(t.Command.Name)+" ("+stateNames(br.From)+" → "+mdText(br.To.Name)+")")
				}
			}
		}
		sec.EmittedBy = strings.Join(by, "; ")
		for j := len(e.Versions) - 1; j >= 0; j-- {
			v := e.Versions[j]
			vs := VersionSection{Doc: paragraphs(v.Doc), Fields: fieldTable(v.Fields)}
			if len(e.Versions) > 1 {
				vs.Title = "v" + strconv.Itoa(v.Number)
				if j == len(e.Versions)-1 {
					vs.Title += " (current)"
				}
			}
			if j > 0 {
				vs.Upcast = upcastText(a, e.Versions[j-1], v)
			}
			sec.Versions = append(sec.Versions, vs)
		}
		secs[i] = sec
	}
	return secs
}

// upcastText says how version prev of an event becomes version v.
func upcastText(a *dsl.Aggregate, prev, v *dsl.EventVersion) string {
	from := "Upcast from v" + strconv.Itoa(prev.Number) + ": "
	if v.Hook {
		return from + "written by the user, as a method of " + code(goname.Upcaster(a.Name)) + "."
	}
	had := map[string]bool{}
	for _, f := range prev.Fields {
		had[f.Name] = true
	}
	has := map[string]bool{}
	var parts []string
	for _, f := range v.Fields {
		has[f.Name] = true
		if had[f.Name] {
			continue
		}
		if f.Default != nil {
			parts = append(parts, code(f.Name)+" is set to "+code(f.Default.Text))
		} else {
			parts = append(parts, code(f.Name)+" is set to the zero "+code(f.Type.String()))
		}
	}
	for _, f := range prev.Fields {
		if !has[f.Name] {
			parts = append(parts, code(f.Name)+" is dropped")
		}
	}
	if len(parts) == 0 {
		return from + "every field is copied."
	}
	return from + "the other fields are copied; " + strings.Join(parts, "; ") + "."
}

// typeSections documents the value types the aggregate's fields use,
// directly or through other value types, in declaration order.
func typeSections(f *dsl.File, a *dsl.Aggregate) []TypeSection {
	used := map[*dsl.ValueType]bool{}
	var visitType func(t *dsl.TypeExpr)
	visitFields := func(fs []*dsl.Field) {
		for _, fl := range fs {
			visitType(fl.Type)
		}
	}
	visitType = func(t *dsl.TypeExpr) {
		if t == nil {
			return
		}
		if t.Kind == dsl.TypeValue && t.Value != nil && !used[t.Value] {
			used[t.Value] = true
			visitFields(t.Value.Fields)
		}
		visitType(t.Key)
		visitType(t.Elem)
	}
	visitType(a.IDType)
	for _, s := range a.States {
		visitFields(s.Fields)
	}
	for _, c := range a.Commands {
		visitFields(c.Fields)
	}
	for _, e := range a.Events {
		for _, v := range e.Versions {
			visitFields(v.Fields)
		}
	}
	var secs []TypeSection
	for _, vt := range f.Types {
		if used[vt] {
			secs = append(secs, TypeSection{Name: mdText(vt.Name), Doc: paragraphs(vt.Doc), Fields: fieldTable(vt.Fields)})
		}
	}
	return secs
}

// evolutionRows documents the Evolve table, in the order of the states
// and then of the transitions.
func evolutionRows(a *dsl.Aggregate) []EvolutionRow {
	var rows []EvolutionRow
	for _, s := range a.States {
		for _, e := range a.Evolutions {
			if e.From != s {
				continue
			}
			rows = append(rows, evolutionRow(e))
		}
	}
	return rows
}

func evolutionRow(e *dsl.Evolution) EvolutionRow {
	r := EvolutionRow{State: mdText(e.From.Name), Event: mdText(e.Event.Name), To: mdText(e.To.Name), Dropped: "none"}
	declared := ""
	if e.Decl != nil {
		declared = fmt.Sprintf(" (evolve at line %d)", e.Decl.Pos.Line)
	}
	var lines []string
	switch {
	case e.Hook:
		r.By = "hook " + codeCell(goname.EvolveHook(e.From.Name, e.Event.Name)) + declared
		if len(e.HookReasons) == 0 {
			lines = append(lines, "the .esm asks for a hook")
		}
		for _, why := range e.HookReasons {
			lines = append(lines, cell(why))
		}
		for _, f := range e.Zero {
			lines = append(lines, codeCell(f.Name)+" zero")
		}
	case e.Unchanged:
		r.By = "unchanged" + declared
		lines = append(lines, "the state as it was")
	default:
		r.By = "generated" + declared
		for _, fs := range e.Fields {
			var from string
			switch fs.Origin {
			case dsl.FromEvent:
				from = "from the event's " + codeCell(fs.From.Name)
				if e.From == e.To {
					from = "replaced by the event's " + codeCell(fs.From.Name)
				}
			case dsl.FromState:
				from = "kept from " + mdText(e.From.Name)
			default:
				from = "zero"
			}
			lines = append(lines, codeCell(fs.Field.Name)+" "+from)
		}
		if len(lines) == 0 {
			lines = append(lines, "no fields")
		}
	}
	r.Fields = strings.Join(lines, "<br>")
	if len(e.Dropped) > 0 {
		names := make([]string, len(e.Dropped))
		for i, f := range e.Dropped {
			names[i] = codeCell(f.Name)
		}
		r.Dropped = strings.Join(names, ", ")
	}
	return r
}

func fieldTable(fs []*dsl.Field) FieldTable {
	var t FieldTable
	for _, f := range fs {
		row := FieldRow{Name: codeCell(f.Name), Type: codeCell(f.Type.String()), Doc: cell(f.Doc)}
		if f.Doc != "" {
			t.Docs = true
		}
		if f.Default != nil {
			t.Defaults = true
			row.Default = codeCell(f.Default.Text)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// fieldList is the compact list of fields in a states-table cell.
func fieldList(fs []*dsl.Field) string {
	if len(fs) == 0 {
		return "none"
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = codeCell(f.Name + " " + f.Type.String())
	}
	return strings.Join(parts, ", ")
}
