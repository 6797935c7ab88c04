package dsl

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Breaking compares the .esm files of one Go package as they were
// published (old: at a git ref, in another directory) with the same
// package now (cur), and reports every change that breaks the events
// stored under the old files or read by other consumers: an event
// version edited in place, a version or an event removed, an aggregate
// removed or renamed or moved to another stream or subject, a process
// removed, or one of its states or inputs removed; an Evolve table that
// no longer replays the stored histories as it did (an entry gone, one
// leading elsewhere, a field of the new state taken from elsewhere; for a
// process, an entry gone). Each diagnostic (codes
// B001...) is positioned in cur: at the declaration that changed, or, for
// what is gone, at the declaration that held it (the file's package
// clause when nothing does).
//
// Changes that stored events survive pass: a new event version, a new
// event, aggregate or process, docs, new transitions, states of aggregates
// (snapshots carry the shape of the states they were taken with, and
// older ones are ignored), fields reordered. Both sides must have loaded
// without errors. The diagnostics are sorted.
func Breaking(old, cur []*File) Diagnostics {
	b := &breaking{}
	curAggs := map[string]*Aggregate{}
	curProcs := map[string]*Process{}
	curFile := map[string]*File{}
	owner := map[any]*File{}
	for _, f := range cur {
		curFile[f.Name] = f
		for _, a := range f.Aggregates {
			curAggs[a.Name] = a
			owner[a] = f
		}
		for _, p := range f.Processes {
			curProcs[p.Name] = p
			owner[p] = f
		}
	}
	// where places what is gone: the file that had it, else the first
	// file of its directory, else the file that had it as it was (a
	// package deleted), at its first line.
	where := func(oldFile *File) Position {
		if f := curFile[oldFile.Name]; f != nil {
			return f.Pos
		}
		for _, f := range cur {
			if filepath.Dir(f.Name) == filepath.Dir(oldFile.Name) {
				return f.Pos
			}
		}
		return Position{Filename: oldFile.Name, Line: 1, Column: 1}
	}
	oldAggs := map[string]bool{}
	oldProcs := map[string]bool{}
	for _, f := range old {
		for _, a := range f.Aggregates {
			oldAggs[a.Name] = true
		}
		for _, p := range f.Processes {
			oldProcs[p.Name] = true
		}
	}
	for _, f := range old {
		for _, oa := range f.Aggregates {
			na := curAggs[oa.Name]
			if na == nil {
				b.report(where(f), codeAggregateRemoved, renamedTo(oa.Name, curAggs, oldAggs, func(a *Aggregate) bool { return sameEvents(oa, a) }),
					"aggregate %s is gone: its stored events can no longer be loaded", oa.Name)
				continue
			}
			b.aggregate(oa, na)
			b.evolution(oa, na)
		}
		for _, op := range f.Processes {
			np := curProcs[op.Name]
			if np == nil {
				b.report(where(f), codeProcessRemoved, renamedTo(op.Name, curProcs, oldProcs, func(p *Process) bool { return sameInputs(op, p) }), "process %s is gone: its stored steps can no longer be loaded", op.Name)
				continue
			}
			b.process(op, np)
			b.processEvolution(op, np)
		}
	}
	b.diags.Sort()
	return b.diags
}

// renamedTo suggests the new name of something gone: the one name of cur
// absent from old for which same holds.
func renamedTo[T any](name string, cur map[string]T, old map[string]bool, same func(T) bool) string {
	var cands []string
	for n, v := range cur {
		if !old[n] && same(v) {
			cands = append(cands, n)
		}
	}
	if len(cands) != 1 {
		return ""
	}
	return "renamed to " + cands[0] + "? stored data keeps the name " + name + ": keep it"
}

// breaking collects the diagnostics of Breaking.
type breaking struct {
	diags Diagnostics
}

func (b *breaking) report(pos Position, code, suggestion, format string, args ...any) {
	b.diags = append(b.diags, newDiag(pos, code, fmt.Sprintf(format, args...), suggestion))
}

// aggregate compares an aggregate with the one of the same name at the
// reference.
func (b *breaking) aggregate(oa, na *Aggregate) {
	// Declaring the runtime's default, or dropping a declaration of it,
	// moves nothing.
	if o, n := optionOr(oa.Subject, defaultSubjectPrefix), optionOr(na.Subject, defaultSubjectPrefix); o != n {
		b.report(na.Pos, codeSubjectChanged, "", "aggregate %s moved from subject prefix %s to %s: its stored events stay where they are",
			na.Name, optionText(oa.Subject, defaultSubjectPrefix), optionText(na.Subject, defaultSubjectPrefix))
	}
	if o, n := optionOr(oa.Stream, defaultStream), optionOr(na.Stream, defaultStream); o != n {
		b.report(na.Pos, codeStreamChanged, "", "aggregate %s moved from stream %s to %s: its stored events stay where they are",
			na.Name, optionText(oa.Stream, defaultStream), optionText(na.Stream, defaultStream))
	}
	if oa.Eventual && !na.Eventual {
		b.report(na.Pos, codeKindChanged, "", "aggregate %s was eventual and is now a state machine: its stored events were appended without one, and may not follow its transitions", na.Name)
	}
	// A string id reads every other id type's spelling; the other way,
	// or between two other types, the stored ids may not parse.
	if o, n := oa.IDType.String(), na.IDType.String(); o != n && n != "string" {
		b.report(na.Pos, codeIDTypeChanged, "", "aggregate %s changed its id type from %s to %s: the ids of its stored events may not be of the new type", na.Name, o, n)
	}
	curEvents := map[string]*Event{}
	for _, e := range na.Events {
		curEvents[e.Name] = e
	}
	oldEvents := map[string]bool{}
	for _, e := range oa.Events {
		oldEvents[e.Name] = true
	}
	for _, oe := range oa.Events {
		ne := curEvents[oe.Name]
		if ne == nil {
			b.report(na.Pos, codeEventRemoved, renamedTo(oe.Name, curEvents, oldEvents, func(e *Event) bool { return sameVersions(oe, e) }),
				"event %s of %s is gone: its stored events can no longer be decoded", oe.Name, na.Name)
			continue
		}
		b.event(na, oe, ne)
	}
}

// The stream and subject prefix of an aggregate that declares none: the
// runtime's (jsstore.DefaultStream, jsstore.DefaultSubjectPrefix), which
// the generated code leaves to the store.
const (
	defaultStream        = "EVENTS"
	defaultSubjectPrefix = "events"
)

// optionOr is a declared option, or its default when none is declared.
func optionOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// optionText spells a stream or subject prefix: quoted, the default
// named as such.
func optionText(s, def string) string {
	if s == "" {
		return strconv.Quote(def) + " (the default)"
	}
	return strconv.Quote(s)
}

// sameEvents reports whether two aggregates declare the same events, for a
// rename's suggestion.
func sameEvents(a, b *Aggregate) bool {
	if len(a.Events) != len(b.Events) || len(a.Events) == 0 {
		return false
	}
	for i := range a.Events {
		if a.Events[i].Name != b.Events[i].Name {
			return false
		}
	}
	return true
}

// sameInputs reports whether two processes handle the same inputs, for a
// rename's suggestion.
func sameInputs(a, b *Process) bool {
	if len(a.Inputs) != len(b.Inputs) {
		return false
	}
	for i := range a.Inputs {
		if a.Inputs[i].Name != b.Inputs[i].Name {
			return false
		}
	}
	return true
}

// sameVersions reports whether two events have the same versions, field
// for field, for a rename's suggestion.
func sameVersions(a, b *Event) bool {
	if len(a.Versions) != len(b.Versions) {
		return false
	}
	for i := range a.Versions {
		if fieldsShape(a.Versions[i].Fields) != fieldsShape(b.Versions[i].Fields) {
			return false
		}
	}
	return true
}

// event compares the versions of an event with those at the reference.
func (b *breaking) event(na *Aggregate, oe, ne *Event) {
	for _, ov := range oe.Versions {
		if ov.Number > len(ne.Versions) {
			b.report(ne.Pos, codeVersionRemoved, "", "event %s v%d is gone: its stored events can no longer be decoded", ne.Name, ov.Number)
			continue
		}
		b.version(ne, len(oe.Versions), ov, ne.Versions[ov.Number-1])
	}
}

// version compares one version of an event, which must not change at all:
// events stored in it are decoded with it and upcast from it. published
// is the number of versions at the reference: the next one is where a
// change belongs.
func (b *breaking) version(ne *Event, published int, ov, nv *EventVersion) {
	label := ne.Name + " v" + strconv.Itoa(nv.Number)
	next := fmt.Sprintf("%s v%d", ne.Name, published+1)
	fix := "declare the change as " + next
	if len(ne.Versions) > published {
		// The new version is declared already: the published one was
		// edited too, and must be put back.
		fix = fmt.Sprintf("keep %s as published: the change belongs in %s, which is new", label, next)
	}
	oldFields := map[string]*Field{}
	for _, f := range ov.Fields {
		oldFields[f.Name] = f
	}
	curFields := map[string]*Field{}
	for _, f := range nv.Fields {
		curFields[f.Name] = f
	}
	var removed, added []*Field
	for _, f := range ov.Fields {
		if curFields[f.Name] == nil {
			removed = append(removed, f)
		}
	}
	for _, f := range nv.Fields {
		if oldFields[f.Name] == nil {
			added = append(added, f)
		}
	}
	if len(removed) == 1 && len(added) == 1 && typeShape(removed[0].Type) == typeShape(added[0].Type) {
		b.report(added[0].Pos, codeFieldRenamed, fix, "field %s of %s was %s: the stored %s events name it %s",
			added[0].Name, label, removed[0].Name, label, removed[0].Name)
		removed, added = nil, nil
	}
	for _, f := range removed {
		b.report(nv.Pos, codeFieldRemoved, fix, "field %s of %s is gone: the stored %s events hold it", f.Name, label, label)
	}
	for _, f := range added {
		b.report(f.Pos, codeFieldAdded, fix, "field %s is new in %s: the stored %s events lack it", f.Name, label, label)
	}
	for _, nf := range nv.Fields {
		of := oldFields[nf.Name]
		if of == nil {
			continue
		}
		if o, n := typeShape(of.Type), typeShape(nf.Type); o != n {
			retypeFix := fix
			// A value type changed in place changes every version that
			// holds it, the new one's included: the new version needs a
			// type of its own.
			if v := changedValueType(of.Type, nf.Type, map[string]bool{}); v != "" {
				retypeFix = fmt.Sprintf("keep %s as published and give %s a new type, e.g. %s", v, next, nextName(v))
			}
			b.report(nf.Type.Pos, codeFieldRetyped, retypeFix, "field %s of %s changed type from %s to %s: the stored %s events hold %s",
				nf.Name, label, o, n, label, article(o))
		}
		// A default is the value the upcast from the version before gives
		// the field: the events stored in that version would read
		// differently.
		if o, n := defaultText(of.Default), defaultText(nf.Default); o != n && nv.Number > 1 {
			pos := nf.Pos
			if nf.Default != nil {
				pos = nf.Default.Pos
			}
			b.report(pos, codeDefaultChanged, "keep the default "+o, "default of field %s of %s changed from %s to %s: the stored %s v%d events would read differently",
				nf.Name, label, o, n, ne.Name, nv.Number-1)
		}
	}
}

// defaultText is a default's value, spelt so that equal values are equal
// text (2 and 2.0 of a float field).
func defaultText(l *Literal) string {
	if l == nil {
		return "none"
	}
	if l.Kind == LiteralFloat || l.Kind == LiteralInt {
		if v, err := strconv.ParseFloat(l.Text, 64); err == nil {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	return l.Text
}

// process compares a process with the one of the same name at the
// reference: its stored steps name its states and inputs.
func (b *breaking) process(op, np *Process) {
	states := map[string]bool{}
	for _, s := range np.States {
		states[s.Name] = true
	}
	for _, s := range op.States {
		if !states[s.Name] {
			b.report(np.Pos, codeProcessStateRemoved, "", "state %s of process %s is gone: its stored steps name it", s.Name, np.Name)
		}
	}
	inputs := map[string]bool{}
	for _, in := range np.Inputs {
		inputs[in.Name] = true
	}
	for _, in := range op.Inputs {
		if !inputs[in.Name] {
			b.report(np.Pos, codeProcessInputRemoved, "", "process %s no longer handles %s: its stored steps of %s can no longer be loaded", np.Name, inputPhrase(in), in.Name)
		}
	}
}

// inputPhrase names an input in a sentence: an event, the refusal of a
// command, or a timer.
func inputPhrase(in *Input) string {
	switch in.Kind {
	case InputEvent:
		return in.Aggregate.Name + "." + in.Event.Name
	case InputRejection:
		return "the refusal of " + in.Aggregate.Name + "." + in.Command.Name
	default:
		return "timer " + in.Name
	}
}

// fieldsShape is the shape of a list of fields as JSON reads them: names
// and types, in name order (the order of JSON members does not matter).
func fieldsShape(fields []*Field) string {
	return shapeOf(fields, map[*ValueType]bool{})
}

func shapeOf(fields []*Field, open map[*ValueType]bool) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Name + " " + typeShapeIn(f.Type, open)
	}
	slices.Sort(parts)
	return "{" + strings.Join(parts, "; ") + "}"
}

// typeShape spells a type with every value type expanded
// ([]LineItem{qty int; sku string}), so that a change deep inside a value
// type changes the shape of every field that holds it. A value type inside
// itself (through a pointer, a slice or a map) is spelt by name only.
func typeShape(t *TypeExpr) string {
	return typeShapeIn(t, map[*ValueType]bool{})
}

func typeShapeIn(t *TypeExpr, open map[*ValueType]bool) string {
	switch t.Kind {
	case TypeSlice:
		return "[]" + typeShapeIn(t.Elem, open)
	case TypeMap:
		return "map[" + typeShapeIn(t.Key, open) + "]" + typeShapeIn(t.Elem, open)
	case TypePointer:
		return "*" + typeShapeIn(t.Elem, open)
	case TypeQualified:
		return t.Import.Path + "." + t.Name
	case TypeValue:
		if open[t.Value] {
			return t.Name
		}
		open[t.Value] = true
		defer delete(open, t.Value)
		return t.Name + shapeOf(t.Value.Fields, open)
	default:
		return t.Name
	}
}

// changedValueType returns the name of the value type whose own fields
// changed between two spellings of a field's type that are the same on
// the surface ([]Pet and []Pet), the outermost one first; "" when the type
// itself was changed (string to int, Pet to Animal).
func changedValueType(o, n *TypeExpr, seen map[string]bool) string {
	if o.Kind != n.Kind {
		return ""
	}
	switch n.Kind {
	case TypeSlice, TypePointer:
		return changedValueType(o.Elem, n.Elem, seen)
	case TypeMap:
		if typeShape(o.Key) != typeShape(n.Key) {
			return ""
		}
		return changedValueType(o.Elem, n.Elem, seen)
	case TypeValue:
		if o.Name != n.Name || o.Value == nil || n.Value == nil || seen[n.Name] {
			return ""
		}
		seen[n.Name] = true
		if surface(o.Value.Fields) != surface(n.Value.Fields) {
			return n.Name
		}
		old := map[string]*Field{}
		for _, f := range o.Value.Fields {
			old[f.Name] = f
		}
		for _, f := range n.Value.Fields {
			if v := changedValueType(old[f.Name].Type, f.Type, seen); v != "" {
				return v
			}
		}
	}
	return ""
}

// surface spells a list of fields with their types' value types by name
// only, in name order: what the declaration itself says.
func surface(fields []*Field) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Name + " " + surfaceType(f.Type)
	}
	slices.Sort(parts)
	return strings.Join(parts, "; ")
}

func surfaceType(t *TypeExpr) string {
	switch t.Kind {
	case TypeSlice:
		return "[]" + surfaceType(t.Elem)
	case TypeMap:
		return "map[" + surfaceType(t.Key) + "]" + surfaceType(t.Elem)
	case TypePointer:
		return "*" + surfaceType(t.Elem)
	case TypeQualified:
		return t.Import.Path + "." + t.Name
	default:
		return t.Name
	}
}

// nextName suggests the name of a new value type beside name: Pet2 beside
// Pet, Pet3 beside Pet2.
func nextName(name string) string {
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(name[i:])
	if err != nil || i == 0 {
		return name + "2"
	}
	return name[:i] + strconv.Itoa(n+1)
}
