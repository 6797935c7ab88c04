package dsl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/esgen/esgen/dsl/ast"
)

// This file decides, for every entry of the Evolve table, how the new
// state is computed: generated from fields (when nothing can be lost or
// made up), kept unchanged, or left to a user hook; and checks the evolve
// declarations that say so in the .esm.

// evolveKey names one (state, event) pair of the Evolve table.
type evolveKey struct {
	from  *State
	event *Event
}

// evolveDecls checks the evolve declarations of an aggregate and returns
// them by the pairs they name. A declaration naming a pair no transition
// produces, or a pair another declaration already names, is reported.
func (c *checker) evolveDecls(s *aggScope, decls []*ast.Evolve) map[evolveKey]*evolveDecl {
	applies := map[evolveKey]*Evolution{}
	for _, e := range s.a.Evolutions {
		applies[evolveKey{e.From, e.Event}] = e
	}
	out := map[evolveKey]*evolveDecl{}
	for _, d := range decls {
		ed := c.evolveDecl(d)
		ev := s.events[d.Event.Name]
		if ev == nil {
			c.reportName(d.Event, codeUndeclared, s.eventNames, s.kindHint(d.Event.Name, "event"), "undeclared event %s", d.Event.Name)
		}
		seen := map[*State]bool{}
		for _, id := range d.States {
			st := s.states[id.Name]
			if st == nil {
				c.reportName(id, codeUndeclared, s.stateNames, s.kindHint(id.Name, "state"), "undeclared state %s", id.Name)
				continue
			}
			if seen[st] {
				c.report(id.Pos, codeDuplicate, "", "state %s is already named by this evolve declaration", st.Name)
				continue
			}
			seen[st] = true
			if ev == nil {
				continue
			}
			k := evolveKey{st, ev}
			if applies[k] == nil {
				if s.branchLost || s.incomplete {
					continue // the transition may be the one in error
				}
				c.report(id.Pos, codeEvolveNoTransition, appliesIn(s.a, ev),
					"no transition applies event %s in state %s", ev.Name, st.Name)
				continue
			}
			if prev := out[k]; prev != nil {
				c.report(id.Pos, codeDuplicate, "", "the evolution of state %s by event %s is already declared at line %d",
					st.Name, ev.Name, prev.decl.Pos.Line)
				continue
			}
			out[k] = &evolveDecl{decl: d, model: ed, stateID: id}
		}
	}
	return out
}

// evolveDecl is one evolve declaration as it applies to one pair: the
// model, and the syntax for positions.
type evolveDecl struct {
	decl    *ast.Evolve
	model   *EvolveDecl
	stateID *ast.Ident // the state's name in the declaration
}

// evolveDecl checks the clauses of one declaration on their own and
// returns its model.
func (c *checker) evolveDecl(d *ast.Evolve) *EvolveDecl {
	m := &EvolveDecl{Doc: d.Doc.Text(), Pos: fromLexer(d.Pos)}
	seen := map[string]*ast.EvolveClause{}
	for _, cl := range d.Clauses {
		w := cl.Word()
		if prev := seen[w]; prev != nil {
			c.report(cl.Pos, codeInvalidEvolve, "", "%s is already given at column %d: list its fields there", w, prev.Pos.Column)
			continue
		}
		seen[w] = cl
		names := map[string]bool{}
		var list []string
		for _, id := range cl.Fields {
			if names[id.Name] {
				c.report(id.Pos, codeDuplicate, "", "field %s is already listed in this %s clause", id.Name, w)
				continue
			}
			names[id.Name] = true
			list = append(list, id.Name)
		}
		switch w {
		case "drop":
			m.Drop = list
		case "zero":
			m.Zero = list
		case "set":
			m.Set = list
		case "unchanged":
			m.Unchanged = true
		case "hook":
			m.Hook = true
		}
	}
	conflict := func(a, b string, why string) {
		if seen[a] != nil && seen[b] != nil {
			c.report(seen[b].Pos, codeInvalidEvolve, "", "%s and %s contradict each other: %s", a, b, why)
		}
	}
	conflict("unchanged", "drop", "an unchanged state drops every field of the event")
	conflict("unchanged", "zero", "an unchanged state keeps every field")
	conflict("unchanged", "hook", "a hook computes a new state")
	conflict("unchanged", "set", "an unchanged state takes no field of the event")
	return m
}

// appliesIn suggests the states in which event ev does apply.
func appliesIn(a *Aggregate, ev *Event) string {
	var in []string
	for _, e := range a.Evolutions {
		if e.Event == ev && !slices.Contains(in, e.From.Name) {
			in = append(in, e.From.Name)
		}
	}
	if len(in) == 0 {
		return "no transition emits " + ev.Name
	}
	return ev.Name + " applies in " + strings.Join(in, ", ")
}

// planEvolutions decides how each entry of the Evolve table computes its
// new state, applying the evolve declarations.
func (c *checker) planEvolutions(s *aggScope, decls []*ast.Evolve) {
	byPair := c.evolveDecls(s, decls)
	for _, e := range s.a.Evolutions {
		d := byPair[evolveKey{e.From, e.Event}]
		if d != nil {
			e.Decl = d.model
		}
		c.planEvolution(e, d)
	}
}

// neverSet warns of each state field that can only ever be zero: no event
// sets it, no hook computes it, and no state it is carried from holds
// anything else. Such a field is a value the machine was meant to keep and
// never does (a counter no event increments).
// Check runs it last, and only on a file without errors: a field in a file
// with errors may well be set once they are fixed.
func (c *checker) neverSet(a *Aggregate) {
	type key struct {
		st *State
		f  *Field
	}
	set := map[key]bool{}
	for changed := true; changed; {
		changed = false
		for _, e := range a.Evolutions {
			for _, f := range e.To.Fields {
				k := key{e.To, f}
				if set[k] {
					continue
				}
				if e.Hook || e.Fields == nil && !e.Unchanged {
					set[k] = true // user code, or an entry in error
					changed = true
					continue
				}
				for _, fs := range e.Fields {
					if fs.Field != f {
						continue
					}
					if fs.Origin == FromEvent || fs.Origin == FromState && set[key{e.From, fs.From}] {
						set[k] = true
						changed = true
					}
				}
			}
		}
	}
	entered := map[*State]bool{}
	for _, e := range a.Evolutions {
		entered[e.To] = true
	}
	for _, st := range a.States {
		for _, f := range st.Fields {
			if set[key{st, f}] {
				continue
			}
			decl := c.fieldDecls[f]
			if decl == nil {
				continue
			}
			sugg := fmt.Sprintf("add %s %s to an event that leads to %s, or compute it in a hook", f.Name, f.Type, st.Name)
			if !entered[st] {
				sugg = fmt.Sprintf("%s is the state of an aggregate with no events: declare the field in the state the first event leads to", st.Name)
			}
			c.report(decl.Name.Pos, codeNeverSet, sugg,
				"field %s of state %s is always zero: no event sets it and no hook computes it", f.Name, st.Name)
		}
	}
}

// planEvolution fills the fields of one entry of the Evolve table.
func (c *checker) planEvolution(e *Evolution, d *evolveDecl) {
	if len(e.Event.Versions) == 0 {
		return // every declaration of the event is in error
	}
	evFields := e.Event.Latest().Fields
	dropped := map[*Field]bool{}
	zero := map[*Field]bool{}
	set := map[*Field]bool{}      // event fields declared to replace the state's
	replaced := map[*Field]bool{} // state fields declared replaced (set)
	if d != nil {
		for _, cl := range d.decl.Clauses {
			for _, id := range cl.Fields {
				switch cl.Word() {
				case "drop":
					f := fieldNamed(evFields, id.Name)
					if f == nil {
						c.reportName(id, codeUndeclared, fieldNames(evFields), "",
							"event %s has no field %s%s", e.Event.Name, id.Name, versionNote(e.Event))
						continue
					}
					dropped[f] = true
				case "zero":
					f := fieldNamed(e.To.Fields, id.Name)
					if f == nil {
						c.reportName(id, codeUndeclared, fieldNames(e.To.Fields), "",
							"state %s, which event %s leads %s to, has no field %s", e.To.Name, e.Event.Name, e.From.Name, id.Name)
						continue
					}
					if g := findField(evFields, f); g != nil && !dropped[g] && !d.model.Hook {
						c.report(id.Pos, codeInvalidEvolve, "drop "+g.Name+" as well, if the event's value is not wanted",
							"field %s of state %s cannot be zero: event %s sets it", f.Name, e.To.Name, e.Event.Name)
						continue
					}
					zero[f] = true
				case "set":
					if d.model.Hook {
						// With a hook, set names fields of the state that the
						// hook replaces from the event, under any name.
						f := fieldNamed(e.To.Fields, id.Name)
						if f == nil || findField(e.From.Fields, f) == nil {
							where := fmt.Sprintf("state %s has no field %s", e.To.Name, id.Name)
							if e.From != e.To {
								where += " that state " + e.From.Name + " has too"
							}
							c.report(id.Pos, codeInvalidEvolve, "set with hook names a field that the state left and the new state both have, whose old value the hook replaces",
								"set %s: %s: the hook has no value of it to replace", id.Name, where)
							continue
						}
						replaced[f] = true
						continue
					}
					g := fieldNamed(evFields, id.Name)
					if g == nil {
						c.reportName(id, codeUndeclared, fieldNames(evFields), "",
							"event %s has no field %s%s", e.Event.Name, id.Name, versionNote(e.Event))
						continue
					}
					if e.From != e.To || findField(e.From.Fields, g) == nil {
						c.report(id.Pos, codeInvalidEvolve, "",
							"set %s: field %s of event %s replaces no field of state %s (set is for an event that keeps the state, on a field of the same name and type)",
							g.Name, g.Name, e.Event.Name, e.From.Name)
						continue
					}
					if dropped[g] {
						c.report(id.Pos, codeInvalidEvolve, "", "field %s is both dropped and set", g.Name)
						continue
					}
					set[g] = true
					replaced[findField(e.To.Fields, g)] = true
				}
			}
		}
		if d.model.Unchanged && e.From != e.To {
			c.report(d.stateID.Pos, codeInvalidEvolve, "",
				"event %s in state %s cannot leave the state unchanged: it leads to state %s", e.Event.Name, e.From.Name, e.To.Name)
			return
		}
	}
	e.Zero = keepOrder(e.To.Fields, zero)
	e.Replaced = keepOrder(e.To.Fields, replaced)
	switch {
	case d != nil && d.model.Unchanged:
		e.Unchanged = true
		e.Dropped = slices.Clone(evFields)
		for _, f := range e.To.Fields {
			e.Fields = append(e.Fields, &FieldSource{Field: f, Origin: FromState, From: f})
		}
		return
	case d != nil && d.model.Hook:
		e.Hook = true
		e.Dropped = keepOrder(evFields, dropped)
		return
	}
	e.Dropped = keepOrder(evFields, dropped)
	used := map[*Field]bool{}
	var reasons []string
	for _, f := range e.To.Fields {
		if zero[f] {
			e.Fields = append(e.Fields, &FieldSource{Field: f, Origin: ZeroValue})
			continue
		}
		if g := findField(evFields, f); g != nil && !dropped[g] {
			used[g] = true
			if e.From == e.To && !set[g] {
				// The event keeps the state: its field of the state field's
				// name may be a new value or an amount to add.
				reasons = append(reasons, fmt.Sprintf("field %s of %s would replace field %s of %s, which the event keeps: "+
					"declare set %s if it is the new value, drop %s if the state does not need it", g.Name, e.Event.Name, f.Name, e.To.Name, g.Name, g.Name))
				continue
			}
			e.Fields = append(e.Fields, &FieldSource{Field: f, Origin: FromEvent, From: g})
			continue
		}
		if g := findField(e.From.Fields, f); g != nil {
			e.Fields = append(e.Fields, &FieldSource{Field: f, Origin: FromState, From: g})
			continue
		}
		reasons = append(reasons, fmt.Sprintf("field %s of %s is set neither by %s nor by %s", f.Name, e.To.Name, e.Event.Name, fieldOwner(e.From)))
	}
	for _, g := range evFields {
		if used[g] || dropped[g] {
			continue
		}
		why := fmt.Sprintf("field %s of %s reaches no field of %s", g.Name, e.Event.Name, e.To.Name)
		if f := fieldNamed(e.To.Fields, g.Name); f != nil && f.Type != nil && g.Type != nil {
			why = fmt.Sprintf("field %s of %s is a %s, field %s of %s a %s", g.Name, e.Event.Name, g.Type, f.Name, e.To.Name, f.Type)
		}
		reasons = append(reasons, why)
	}
	if len(reasons) > 0 {
		e.Hook = true
		e.HookReasons = reasons
		e.Fields = nil
	}
}

// fieldOwner names a state as the source of carried fields.
func fieldOwner(s *State) string { return "state " + s.Name }

// versionNote says which version a field list is of, for events with
// several.
func versionNote(ev *Event) string {
	if len(ev.Versions) < 2 {
		return ""
	}
	return fmt.Sprintf(" in its newest version v%d", ev.Latest().Number)
}

// keepOrder returns the fields of fields in set, in order.
func keepOrder(fields []*Field, set map[*Field]bool) []*Field {
	var out []*Field
	for _, f := range fields {
		if set[f] {
			out = append(out, f)
		}
	}
	return out
}

// fieldNamed returns the field of fields named name, or nil.
func fieldNamed(fields []*Field, name string) *Field {
	for _, f := range fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func fieldNames(fields []*Field) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return names
}

// findField returns the field of fields with f's name and type, or nil.
func findField(fields []*Field, f *Field) *Field {
	g := fieldNamed(fields, f.Name)
	if g == nil || g.Type == nil || f.Type == nil || g.Type.String() != f.Type.String() {
		return nil
	}
	return g
}
