package generator

import (
	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
)

// This file builds checked models in Go for the generator's own tests, as
// dsl.Check would produce them.

type fileBuilder struct {
	f    *dsl.File
	line int
}

func newModel(name, pkg string) *fileBuilder {
	return &fileBuilder{f: &dsl.File{Name: name, Package: pkg}}
}

func (b *fileBuilder) pos() dsl.Position {
	b.line++
	return dsl.Position{Filename: b.f.Name, Line: b.line, Column: 1, Offset: b.line * 10}
}

func (b *fileBuilder) value(name, doc string, fields ...*dsl.Field) *dsl.ValueType {
	v := &dsl.ValueType{Name: name, Doc: doc, Fields: fields, Pos: b.pos()}
	b.f.Types = append(b.f.Types, v)
	return v
}

// Type expressions.
func tb(name string) *dsl.TypeExpr { return &dsl.TypeExpr{Kind: dsl.TypeBuiltin, Name: name} }
func tv(v *dsl.ValueType) *dsl.TypeExpr {
	return &dsl.TypeExpr{Kind: dsl.TypeValue, Name: v.Name, Value: v}
}
func tslice(e *dsl.TypeExpr) *dsl.TypeExpr { return &dsl.TypeExpr{Kind: dsl.TypeSlice, Elem: e} }

func fd(name string, t *dsl.TypeExpr) *dsl.Field { return &dsl.Field{Name: name, Type: t} }

type aggBuilder struct {
	fb *fileBuilder
	a  *dsl.Aggregate
}

func (b *fileBuilder) aggregate(name, doc string) *aggBuilder {
	a := &dsl.Aggregate{Name: name, Doc: doc, Pos: b.pos()}
	b.f.Aggregates = append(b.f.Aggregates, a)
	return &aggBuilder{fb: b, a: a}
}

func (ab *aggBuilder) id(t *dsl.TypeExpr) *aggBuilder {
	ab.a.IDType = t
	return ab
}

func (ab *aggBuilder) state(name, doc string, initial, final bool, fields ...*dsl.Field) *dsl.State {
	s := &dsl.State{Name: name, Doc: doc, Initial: initial, Final: final, Fields: fields, Pos: ab.fb.pos()}
	ab.a.States = append(ab.a.States, s)
	if initial {
		ab.a.Initial = s
	}
	return s
}

func (ab *aggBuilder) command(name, doc string, fields ...*dsl.Field) *dsl.Command {
	c := &dsl.Command{Name: name, Doc: doc, Fields: fields, Pos: ab.fb.pos()}
	ab.a.Commands = append(ab.a.Commands, c)
	return c
}

// event declares an event with one version per fields list; hooks[i]
// marks version i+1 as needing an upcast hook.
func (ab *aggBuilder) event(name, doc string, versions ...*dsl.EventVersion) *dsl.Event {
	e := &dsl.Event{Name: name, Doc: doc, Pos: ab.fb.pos()}
	for i, v := range versions {
		v.Number = i + 1
		v.Pos = ab.fb.pos()
	}
	e.Versions = versions
	ab.a.Events = append(ab.a.Events, e)
	return e
}

func ver(doc string, hook bool, fields ...*dsl.Field) *dsl.EventVersion {
	return &dsl.EventVersion{Doc: doc, Hook: hook, Fields: fields}
}

func br(from []*dsl.State, to *dsl.State, emits ...*dsl.Event) *dsl.Branch {
	return &dsl.Branch{From: from, To: to, Emits: emits}
}

func from(states ...*dsl.State) []*dsl.State { return states }

// on declares a transition and extends the Evolve table as Check does:
// the first event of a branch moves each source to the target, further
// events apply to the target.
func (ab *aggBuilder) on(cmd *dsl.Command, doc string, branches ...*dsl.Branch) {
	t := &dsl.Transition{Command: cmd, Doc: doc, Branches: branches, Pos: ab.fb.pos()}
	for _, b := range branches {
		b.Pos = ab.fb.pos()
		for i, e := range b.Emits {
			if i == 0 {
				for _, s := range b.From {
					ab.a.Evolutions = append(ab.a.Evolutions, &dsl.Evolution{From: s, Event: e, To: b.To, Branch: b})
				}
				continue
			}
			ab.a.Evolutions = append(ab.a.Evolutions, &dsl.Evolution{From: b.To, Event: e, To: b.To, Branch: b})
		}
	}
	ab.a.Transitions = append(ab.a.Transitions, t)
}

func goNameOf(name string) string { return goname.Exported(name) }
