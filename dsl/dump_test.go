package dsl

import (
	"fmt"
	"strconv"
	"strings"
)

// dumpModel writes a model as indented text, one declaration per line, for
// golden comparisons. Positions are written as line:column.
func dumpModel(f *File) string {
	var b strings.Builder
	p := func(indent int, format string, args ...any) {
		b.WriteString(strings.Repeat("  ", indent))
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	at := func(pos Position) string { return fmt.Sprintf("@%d:%d", pos.Line, pos.Column) }
	doc := func(s string) string {
		if s == "" {
			return ""
		}
		return " doc=" + strconv.Quote(s)
	}
	fields := func(indent int, fs []*Field) {
		for _, f := range fs {
			def := ""
			if f.Default != nil {
				def = fmt.Sprintf(" = %s (kind %d)", f.Default.Text, f.Default.Kind)
			}
			p(indent, "field %s %s%s %s%s", f.Name, f.Type, def, at(f.Pos), doc(f.Doc))
		}
	}
	names := func(ss []*State) string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = s.Name
		}
		return strings.Join(out, ", ")
	}
	p(0, "file %s package %s %s%s", f.Name, f.Package, at(f.Pos), doc(f.Doc))
	for _, im := range f.Imports {
		p(0, "import %s %q %s", im.Alias, im.Path, at(im.Pos))
	}
	for _, x := range f.Externs {
		p(0, "extern %s %s%s", x.Name, at(x.Pos), doc(x.Doc))
	}
	for _, vt := range f.Types {
		p(0, "type %s %s%s", vt.Name, at(vt.Pos), doc(vt.Doc))
		fields(1, vt.Fields)
	}
	for _, a := range f.Aggregates {
		p(0, "aggregate %s eventual=%v id=%s stream=%q subject=%q snapshot=%d %s%s",
			a.Name, a.Eventual, a.IDType, a.Stream, a.Subject, a.SnapshotEvery, at(a.Pos), doc(a.Doc))
		if a.Initial != nil {
			p(1, "initial %s", a.Initial.Name)
		}
		for _, s := range a.States {
			p(1, "state %s initial=%v final=%v %s%s", s.Name, s.Initial, s.Final, at(s.Pos), doc(s.Doc))
			fields(2, s.Fields)
		}
		for _, c := range a.Commands {
			p(1, "command %s %s%s", c.Name, at(c.Pos), doc(c.Doc))
			fields(2, c.Fields)
		}
		for _, e := range a.Events {
			p(1, "event %s %s%s", e.Name, at(e.Pos), doc(e.Doc))
			for _, v := range e.Versions {
				p(2, "v%d hook=%v %s%s", v.Number, v.Hook, at(v.Pos), doc(v.Doc))
				fields(3, v.Fields)
			}
		}
		for _, t := range a.Transitions {
			p(1, "on %s %s%s", t.Command.Name, at(t.Pos), doc(t.Doc))
			for _, br := range t.Branches {
				evs := make([]string, len(br.Emits))
				for i, e := range br.Emits {
					evs[i] = e.Name
				}
				p(2, "%s -> %s emits [%s] selfloop=%v %s", names(br.From), br.To.Name, strings.Join(evs, ", "), br.SelfLoop(), at(br.Pos))
			}
		}
		for _, e := range a.Evolutions {
			p(1, "evolve %s + %s = %s (branch %s): %s", e.From.Name, e.Event.Name, e.To.Name, at(e.Branch.Pos), evolutionSummary(e))
		}
	}
	return b.String()
}

// evolutionSummary says how an entry of the Evolve table computes its new
// state: "hook (reasons)", "unchanged", or "generated" with the source of
// every field; then the dropped event fields.
func evolutionSummary(e *Evolution) string {
	var b strings.Builder
	switch {
	case e.Hook:
		b.WriteString("hook")
		if len(e.HookReasons) > 0 {
			b.WriteString(" (" + strings.Join(e.HookReasons, "; ") + ")")
		}
	case e.Unchanged:
		b.WriteString("unchanged")
	default:
		b.WriteString("generated")
		for _, fs := range e.Fields {
			switch fs.Origin {
			case FromEvent:
				fmt.Fprintf(&b, " %s<-event.%s", fs.Field.Name, fs.From.Name)
			case FromState:
				fmt.Fprintf(&b, " %s<-state.%s", fs.Field.Name, fs.From.Name)
			case ZeroValue:
				fmt.Fprintf(&b, " %s=zero", fs.Field.Name)
			}
		}
	}
	if len(e.Dropped) > 0 {
		names := make([]string, len(e.Dropped))
		for i, f := range e.Dropped {
			names[i] = f.Name
		}
		b.WriteString(" dropped[" + strings.Join(names, ",") + "]")
	}
	if e.Decl != nil {
		fmt.Fprintf(&b, " (declared at %d:%d)", e.Decl.Pos.Line, e.Decl.Pos.Column)
	}
	return b.String()
}
