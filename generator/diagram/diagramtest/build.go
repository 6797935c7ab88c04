// Package diagramtest builds checked .esm models in Go, for the tests of
// the diagram renderers: the models of the examples and of the edge cases
// every renderer must handle (a single state, finals reached only by
// branches, names that need escaping, an eventual aggregate).
//
// The models are what dsl.Load returns for the equivalent .esm text,
// without depending on the parser.
package diagramtest

import (
	"fmt"
	"strings"

	"github.com/esgen/esgen/dsl"
)

// Builder assembles a dsl.File. Its methods panic on a name that does not
// resolve: a broken fixture is a bug in the test, not an input error.
type Builder struct {
	f    *dsl.File
	line int
}

// NewFile starts a file with the given name, package and doc comment.
func NewFile(name, pkg, doc string) *Builder {
	b := &Builder{f: &dsl.File{Name: name, Package: pkg, Doc: doc}}
	b.f.Pos = b.pos()
	return b
}

// File returns the model built so far.
func (b *Builder) File() *dsl.File { return b.f }

// pos gives every node a distinct, increasing position, as a parser would.
func (b *Builder) pos() dsl.Position {
	b.line++
	return dsl.Position{Filename: b.f.Name, Line: b.line, Column: 1, Offset: b.line * 10}
}

// Import declares an imported package.
func (b *Builder) Import(path string) *Builder {
	alias := path[strings.LastIndex(path, "/")+1:]
	b.f.Imports = append(b.f.Imports, &dsl.Import{Alias: alias, Path: path, Pos: b.pos()})
	return b
}

// Type declares a value type with fields given as F values.
func (b *Builder) Type(name, doc string, fields ...F) *Builder {
	vt := &dsl.ValueType{Name: name, Doc: doc, Pos: b.pos()}
	b.f.Types = append(b.f.Types, vt)
	vt.Fields = b.fields(fields)
	return b
}

// F is a field: name, type as written in .esm, optional default literal
// (Go spelling, "" for none) and doc.
type F struct {
	Name, Type, Default, Doc string
}

func (b *Builder) fields(fs []F) []*dsl.Field {
	var out []*dsl.Field
	for _, f := range fs {
		fl := &dsl.Field{Name: f.Name, Doc: f.Doc, Type: b.typ(f.Type), Pos: b.pos()}
		if f.Default != "" {
			kind := dsl.LiteralInt
			switch {
			case strings.HasPrefix(f.Default, `"`) || strings.HasPrefix(f.Default, "`"):
				kind = dsl.LiteralString
			case f.Default == "true" || f.Default == "false":
				kind = dsl.LiteralBool
			case strings.ContainsAny(f.Default, ".eE"):
				kind = dsl.LiteralFloat
			}
			fl.Default = &dsl.Literal{Kind: kind, Text: f.Default, Pos: b.pos()}
		}
		out = append(out, fl)
	}
	return out
}

// typ resolves a type expression: builtins, []T, map[K]V, *T, pkg.Name,
// value types declared before.
func (b *Builder) typ(s string) *dsl.TypeExpr {
	p := b.pos()
	switch {
	case strings.HasPrefix(s, "[]"):
		return &dsl.TypeExpr{Kind: dsl.TypeSlice, Elem: b.typ(s[2:]), Pos: p}
	case strings.HasPrefix(s, "*"):
		return &dsl.TypeExpr{Kind: dsl.TypePointer, Elem: b.typ(s[1:]), Pos: p}
	case strings.HasPrefix(s, "map["):
		depth, i := 0, 3
		for ; i < len(s); i++ {
			if s[i] == '[' {
				depth++
			} else if s[i] == ']' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		return &dsl.TypeExpr{Kind: dsl.TypeMap, Key: b.typ(s[4:i]), Elem: b.typ(s[i+1:]), Pos: p}
	case strings.Contains(s, "."):
		q, name, _ := strings.Cut(s, ".")
		for _, im := range b.f.Imports {
			if im.Alias == q {
				return &dsl.TypeExpr{Kind: dsl.TypeQualified, Name: name, Import: im, Pos: p}
			}
		}
		panic(fmt.Sprintf("diagramtest: type %s: no import %s", s, q))
	}
	for _, vt := range b.f.Types {
		if vt.Name == s {
			return &dsl.TypeExpr{Kind: dsl.TypeValue, Name: s, Value: vt, Pos: p}
		}
	}
	for _, x := range b.f.Externs {
		if x.Name == s {
			return &dsl.TypeExpr{Kind: dsl.TypeExtern, Name: s, Extern: x, Pos: p}
		}
	}
	return &dsl.TypeExpr{Kind: dsl.TypeBuiltin, Name: s, Pos: p}
}

// Aggregate starts an aggregate; declare its parts on the returned
// AggregateBuilder and finish with Done.
func (b *Builder) Aggregate(name, doc string) *AggregateBuilder {
	a := &dsl.Aggregate{Name: name, Doc: doc, Pos: b.pos()}
	b.f.Aggregates = append(b.f.Aggregates, a)
	return &AggregateBuilder{b: b, a: a}
}

// AggregateBuilder declares the parts of one aggregate.
type AggregateBuilder struct {
	b *Builder
	a *dsl.Aggregate
}

// Eventual marks the aggregate as events only.
func (ab *AggregateBuilder) Eventual() *AggregateBuilder { ab.a.Eventual = true; return ab }

// Options sets the id type (empty: string), stream, subject and snapshot policy.
func (ab *AggregateBuilder) Options(idType, stream, subject string, snapshotEvery int) *AggregateBuilder {
	if idType != "" {
		ab.a.IDType = ab.b.typ(idType)
	}
	ab.a.Stream, ab.a.Subject, ab.a.SnapshotEvery = stream, subject, snapshotEvery
	return ab
}

// State declares a state; kind is "", "initial" or "final".
func (ab *AggregateBuilder) State(name, kind, doc string, fields ...F) *AggregateBuilder {
	s := &dsl.State{Name: name, Doc: doc, Initial: kind == "initial", Final: kind == "final", Pos: ab.b.pos()}
	s.Fields = ab.b.fields(fields)
	ab.a.States = append(ab.a.States, s)
	if s.Initial {
		ab.a.Initial = s
	}
	return ab
}

// Command declares a command.
func (ab *AggregateBuilder) Command(name, doc string, fields ...F) *AggregateBuilder {
	c := &dsl.Command{Name: name, Doc: doc, Pos: ab.b.pos()}
	c.Fields = ab.b.fields(fields)
	ab.a.Commands = append(ab.a.Commands, c)
	return ab
}

// V is one event version: its fields, doc and whether its upcast from the
// previous version is a user hook.
type V struct {
	Doc    string
	Hook   bool
	Fields []F
}

// Event declares an event with versions 1, 2, ... in order.
func (ab *AggregateBuilder) Event(name, doc string, versions ...V) *AggregateBuilder {
	e := &dsl.Event{Name: name, Doc: doc, Pos: ab.b.pos()}
	for i, v := range versions {
		e.Versions = append(e.Versions, &dsl.EventVersion{Number: i + 1, Doc: v.Doc, Hook: v.Hook, Fields: ab.b.fields(v.Fields), Pos: ab.b.pos()})
	}
	ab.a.Events = append(ab.a.Events, e)
	return ab
}

// B is one branch: source states, target, events.
type B struct {
	From  []string
	To    string
	Emits []string
}

// On declares the transition of a command with its branches.
func (ab *AggregateBuilder) On(command, doc string, branches ...B) *AggregateBuilder {
	t := &dsl.Transition{Command: ab.command(command), Doc: doc, Pos: ab.b.pos()}
	for _, br := range branches {
		mb := &dsl.Branch{To: ab.state(br.To), Pos: ab.b.pos()}
		for _, f := range br.From {
			mb.From = append(mb.From, ab.state(f))
		}
		for _, e := range br.Emits {
			mb.Emits = append(mb.Emits, ab.event(e))
		}
		t.Branches = append(t.Branches, mb)
		for _, from := range mb.From {
			for i, ev := range mb.Emits {
				src := from
				if i > 0 {
					src = mb.To
				}
				ab.a.Evolutions = append(ab.a.Evolutions, &dsl.Evolution{From: src, Event: ev, To: mb.To, Branch: mb})
			}
		}
	}
	ab.a.Transitions = append(ab.a.Transitions, t)
	return ab
}

// Done returns the file builder.
func (ab *AggregateBuilder) Done() *Builder { return ab.b }

func (ab *AggregateBuilder) state(name string) *dsl.State {
	for _, s := range ab.a.States {
		if s.Name == name {
			return s
		}
	}
	panic("diagramtest: no state " + name)
}

func (ab *AggregateBuilder) command(name string) *dsl.Command {
	for _, c := range ab.a.Commands {
		if c.Name == name {
			return c
		}
	}
	panic("diagramtest: no command " + name)
}

func (ab *AggregateBuilder) event(name string) *dsl.Event {
	for _, e := range ab.a.Events {
		if e.Name == name {
			return e
		}
	}
	panic("diagramtest: no event " + name)
}
