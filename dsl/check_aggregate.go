package dsl

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/esgen/esgen/dsl/ast"
)

// aggScope holds the names declared in one aggregate while it is checked.
type aggScope struct {
	a        *Aggregate
	states   map[string]*State
	commands map[string]*Command
	events   map[string]*Event

	stateNames, commandNames, eventNames []string

	stateDecls map[*State]*ast.State
	cmdDecls   map[*Command]*ast.Command
	eventDecls map[*Event][]*ast.Event // in version order once versions are checked

	transitions map[*Command]*transitionInfo // first on clause of each command
	branchDecls map[*Branch]*ast.Branch
	edges       map[*State][]*State // from source to target, over every branch that resolves
	isSource    map[*State]bool     // states some branch leaves
	emitted     map[*Event]bool     // events some branch emits
	handled     map[*Command]bool   // commands some on clause handles
	// incomplete is set when a state of a branch or the initial state is
	// unknown: reachability would only repeat that error.
	incomplete bool
	// branchLost is set when a branch does not resolve: the Evolve table
	// misses its entries, which evolve declarations may name.
	branchLost bool
}

// kindOf explains what a name is when it is used as a type.
func (s *aggScope) kindOf(name string) string {
	switch {
	case s.states[name] != nil:
		return name + " is a state: fields can use value types, externs and Go types"
	case s.commands[name] != nil:
		return name + " is a command: fields can use value types, externs and Go types"
	case s.events[name] != nil:
		return name + " is an event: fields can use value types, externs and Go types"
	}
	return ""
}

// aggregate checks one aggregate declaration and returns its model.
func (c *checker) aggregate(d *ast.Aggregate) *Aggregate {
	a := &Aggregate{Name: d.Name.Name, Doc: d.Doc.Text(), Pos: fromLexer(d.Pos), Eventual: d.Eventual != nil}
	s := &aggScope{
		a:          a,
		states:     map[string]*State{},
		commands:   map[string]*Command{},
		events:     map[string]*Event{},
		stateDecls: map[*State]*ast.State{},
		cmdDecls:   map[*Command]*ast.Command{},
		eventDecls: map[*Event][]*ast.Event{},

		transitions: map[*Command]*transitionInfo{},
		branchDecls: map[*Branch]*ast.Branch{},
		edges:       map[*State][]*State{},
		isSource:    map[*State]bool{},
		emitted:     map[*Event]bool{},
		handled:     map[*Command]bool{},
	}
	c.agg = s
	defer func() { c.agg = nil }()
	c.checkExportable(d.Name, "aggregate")

	var transitions []*ast.Transition
	var evolves []*ast.Evolve
	var timers []*ast.Timer
	opts := map[string]ast.Position{}
	for _, m := range d.Members {
		switch m := m.(type) {
		case *ast.IDOption, *ast.StreamOption, *ast.SubjectOption, *ast.SnapshotOption, *ast.LivesOption, *ast.ArchiveOption:
			c.option(a, m, opts)
		case *ast.State:
			c.declareState(s, m)
		case *ast.Command:
			c.declareCommand(s, m)
		case *ast.Event:
			c.declareEvent(s, m)
		case *ast.Transition:
			if a.Eventual {
				c.report(m.Pos, codeEventualMachine, "", "eventual aggregate %s cannot have transitions: it only records events", a.Name)
				continue
			}
			transitions = append(transitions, m)
		case *ast.Evolve:
			if a.Eventual {
				c.report(m.Pos, codeEventualMachine, "", "eventual aggregate %s cannot have evolve declarations: it has no state", a.Name)
				continue
			}
			evolves = append(evolves, m)
		case *ast.Timer:
			if a.Eventual {
				c.report(m.Pos, codeEventualMachine, "", "eventual aggregate %s cannot have timers: it has no state", a.Name)
				continue
			}
			timers = append(timers, m)
		}
	}
	if a.IDType == nil {
		a.IDType = &TypeExpr{Kind: TypeBuiltin, Name: "string", Pos: a.Pos}
	}
	for _, st := range a.States {
		st.Fields = c.fields(s.stateDecls[st].Body, "state "+st.Name, false)
	}
	for _, cmd := range a.Commands {
		cmd.Fields = c.fields(s.cmdDecls[cmd].Body, "command "+cmd.Name, false)
	}
	for _, ev := range a.Events {
		c.versions(s, ev)
	}
	if a.Eventual {
		if len(a.Events) == 0 {
			c.report(d.Name.Pos, codeEmptyAggregate, "", "eventual aggregate %s declares no event", a.Name)
		}
		c.checkNaming(s)
		return a
	}
	c.initialState(s, d)
	for _, t := range transitions {
		if tr := c.transition(s, t); tr != nil {
			a.Transitions = append(a.Transitions, tr)
		}
	}
	c.evolutions(s)
	c.planEvolutions(s, evolves)
	c.timers(s, timers)
	c.reachability(s)
	c.archivable(a)
	if !s.incomplete {
		c.aggregateLiveness(a, func(st *State) Position { return fromLexer(s.stateDecls[st].Name.Pos) })
	}
	c.checkNaming(s)
	return a
}

// option checks one aggregate option.
func (c *checker) option(a *Aggregate, m ast.Member, seen map[string]ast.Position) {
	var name string
	switch m.(type) {
	case *ast.IDOption:
		name = "id"
	case *ast.StreamOption:
		name = "stream"
	case *ast.SubjectOption:
		name = "subject"
	case *ast.SnapshotOption:
		name = "snapshot"
	case *ast.LivesOption:
		name = "lives"
	case *ast.ArchiveOption:
		name = "archive"
	}
	if prev, ok := seen[name]; ok {
		c.report(m.Position(), codeDuplicateOption, "", "option %s of aggregate %s is already set at line %d", name, a.Name, prev.Line)
		return
	}
	seen[name] = m.Position()
	switch m := m.(type) {
	case *ast.IDOption:
		t := c.resolveType(m.Type)
		if t == nil {
			return
		}
		_, isInt := intBits[t.Name]
		if !(t.Kind == TypeBuiltin && (t.Name == "string" || isInt) || t.Kind == TypeExtern || t.Kind == TypeQualified) {
			c.report(m.Type.Pos, codeInvalidOption, "use string, an integer type, an extern or an imported type",
				"aggregate id type %s cannot identify an aggregate", t)
			return
		}
		a.IDType = t
	case *ast.StreamOption:
		v, _ := strconv.Unquote(m.Name.Text)
		if msg := streamNameProblem(v); msg != "" {
			c.report(m.Name.Pos, codeInvalidOption, "", "stream name %s %s", m.Name.Text, msg)
			return
		}
		a.Stream = v
	case *ast.SubjectOption:
		v, _ := strconv.Unquote(m.Prefix.Text)
		if msg := subjectProblem(v); msg != "" {
			c.report(m.Prefix.Pos, codeInvalidOption, "", "subject prefix %s %s", m.Prefix.Text, msg)
			return
		}
		a.Subject = v
	case *ast.SnapshotOption:
		if a.Eventual {
			c.report(m.Pos, codeEventualMachine, "", "eventual aggregate %s has no state to snapshot", a.Name)
			return
		}
		n, err := strconv.ParseInt(m.Every.Text, 10, 32)
		if err != nil || n < 1 {
			c.report(m.Every.Pos, codeInvalidOption, "", "snapshot every %s: the interval must be between 1 and %d events", m.Every.Text, int32(1<<31-1))
			return
		}
		a.SnapshotEvery = int(n)
	case *ast.LivesOption:
		if m.Forever.Name != "forever" {
			c.report(m.Forever.Pos, codeInvalidOption, "write lives forever", "lives %s: an aggregate that does not end lives forever", m.Forever.Name)
			a.LivesForever = true // what it means: its states are not checked to end
			return
		}
		if a.Eventual {
			c.report(m.Pos, codeEventualMachine, "", "eventual aggregate %s has no states: it never ends anyway", a.Name)
			return
		}
		a.LivesForever = true
		a.LivesPos = fromLexer(m.Pos)
	case *ast.ArchiveOption:
		if a.Eventual {
			c.report(m.Pos, codeEventualMachine, "", "eventual aggregate %s has no final state: it is never archived", a.Name)
			return
		}
		d, _ := time.ParseDuration(m.After.Text) // the lexer checked it
		if d < minArchiveAfter {
			c.report(m.After.Pos, codeArchiveTooSoon, "write at least 1h; retention periods are usually days, as in 2160h for 90 days",
				"archive after %s: an aggregate archived less than an hour after it ends may be purged before its projections and processes read its last events", m.After.Text)
			return
		}
		a.ArchiveAfter = d
		a.archivePos = fromLexer(m.Pos)
	}
}

// minArchiveAfter is the shortest retention period archive after accepts.
const minArchiveAfter = time.Hour

// archivable checks that an aggregate with a retention period can end:
// without a final state, none of its instances would ever be archived.
func (c *checker) archivable(a *Aggregate) {
	if a.ArchiveAfter == 0 {
		return
	}
	for _, st := range a.States {
		if st.Final {
			return
		}
	}
	c.reportAt(a.archivePos, codeArchiveNeverFinal, "mark the state its instances end in final, or drop the option",
		"aggregate %s is archived after it ends, but it has no final state: none of its instances would ever be archived", a.Name)
}

// streamNameProblem says why a JetStream stream name is unusable; "" when
// it is fine.
func streamNameProblem(v string) string {
	switch {
	case v == "":
		return "is empty"
	case len(v) > 255:
		return "is longer than 255 bytes"
	case strings.ContainsAny(v, ".*> \t\r\n/\\"):
		return "contains one of . * > / \\ or white space, which JetStream stream names cannot"
	}
	for _, r := range v {
		if r < ' ' || r == 0x7f {
			return "contains a control character"
		}
	}
	return ""
}

// subjectProblem says why a NATS subject prefix is unusable; "" when it is
// fine.
func subjectProblem(v string) string {
	if v == "" {
		return "is empty"
	}
	for _, tok := range strings.Split(v, ".") {
		switch {
		case tok == "":
			return "has an empty token: dots separate non-empty tokens"
		case tok == "*" || tok == ">" || strings.ContainsAny(tok, "*>"):
			return "contains a wildcard (* or >)"
		case strings.ContainsAny(tok, " \t\r\n"):
			return "contains white space"
		}
		for _, r := range tok {
			if r < ' ' || r == 0x7f {
				return "contains a control character"
			}
		}
	}
	return ""
}

// declareState records a state.
func (c *checker) declareState(s *aggScope, m *ast.State) {
	a := s.a
	if a.Eventual {
		c.report(m.Pos, codeEventualMachine, "", "eventual aggregate %s cannot have states: it only records events", a.Name)
		return
	}
	name := m.Name.Name
	if prev := s.states[name]; prev != nil {
		c.report(m.Name.Pos, codeDuplicate, "", "state %s is already declared at line %d", name, prev.Pos.Line)
		return
	}
	c.checkExportable(m.Name, "state")
	st := &State{Name: name, Doc: m.Doc.Text(), Pos: fromLexer(m.Pos)}
	for _, fl := range m.Flags {
		p := &st.Initial
		if fl.Name == "final" {
			p = &st.Final
		}
		if *p {
			c.report(fl.Pos, codeDuplicate, "", "state %s is already marked %s", name, fl.Name)
		}
		*p = true
	}
	s.states[name] = st
	s.stateNames = append(s.stateNames, name)
	s.stateDecls[st] = m
	a.States = append(a.States, st)
}

// declareCommand records a command.
func (c *checker) declareCommand(s *aggScope, m *ast.Command) {
	a := s.a
	if a.Eventual {
		c.report(m.Pos, codeEventualMachine, "", "eventual aggregate %s cannot have commands: events are appended directly", a.Name)
		return
	}
	name := m.Name.Name
	if prev := s.commands[name]; prev != nil {
		c.report(m.Name.Pos, codeDuplicate, "", "command %s is already declared at line %d", name, prev.Pos.Line)
		return
	}
	c.checkExportable(m.Name, "command")
	cmd := &Command{Name: name, Doc: m.Doc.Text(), Pos: fromLexer(m.Pos)}
	s.commands[name] = cmd
	s.commandNames = append(s.commandNames, name)
	s.cmdDecls[cmd] = m
	a.Commands = append(a.Commands, cmd)
}

// declareEvent records one version declaration of an event.
func (c *checker) declareEvent(s *aggScope, m *ast.Event) {
	name := m.Name.Name
	ev := s.events[name]
	if ev == nil {
		c.checkExportable(m.Name, "event")
		ev = &Event{Name: name, Doc: m.Doc.Text(), Pos: fromLexer(m.Pos)}
		s.events[name] = ev
		s.eventNames = append(s.eventNames, name)
		s.a.Events = append(s.a.Events, ev)
	}
	s.eventDecls[ev] = append(s.eventDecls[ev], m)
}

// versions checks the version declarations of an event and fills its
// Versions and their upcast hooks.
func (c *checker) versions(s *aggScope, ev *Event) {
	decls := s.eventDecls[ev]
	first := decls[0]
	type decl struct {
		n int
		d *ast.Event
	}
	var vs []decl
	seen := map[int]*ast.Event{}
	for i, d := range decls {
		n := 1
		if d.Version == nil {
			if len(decls) > 1 {
				if i == 0 {
					continue // reported at the other declarations
				}
				c.report(d.Name.Pos, codeDuplicate, "number every declaration of the event: v1, v2...",
					"event %s is already declared at line %d", ev.Name, first.Pos.Line)
				continue
			}
		} else {
			num, err := strconv.Atoi(d.Version.Text[1:])
			if err != nil || num < 1 {
				c.report(d.Version.Pos, codeInvalidVersion, "", "event version %s is invalid: versions count from v1", d.Version.Text)
				continue
			}
			n = num
			if first.Version == nil {
				c.report(d.Name.Pos, codeDuplicate, "number every declaration of the event: v1, v2...",
					"event %s is already declared without a version at line %d", ev.Name, first.Pos.Line)
				continue
			}
		}
		if prev := seen[n]; prev != nil {
			c.report(d.Version.Pos, codeDuplicate, "", "event %s v%d is already declared at line %d", ev.Name, n, prev.Pos.Line)
			continue
		}
		seen[n] = d
		vs = append(vs, decl{n, d})
	}
	slices.SortFunc(vs, func(a, b decl) int { return a.n - b.n })
	s.eventDecls[ev] = s.eventDecls[ev][:0]
	for i, v := range vs {
		d := v.d
		ver := &EventVersion{Number: v.n, Pos: fromLexer(d.Pos)}
		if d != first {
			ver.Doc = d.Doc.Text()
		}
		switch {
		case i == 0 && v.n != 1:
			c.report(d.Version.Pos, codeVersionGap, "", "event %s starts at v%d: versions start at v1", ev.Name, v.n)
		case i > 0 && v.n != vs[i-1].n+1:
			c.report(d.Version.Pos, codeVersionGap, "", "event %s jumps from v%d to v%d: declare v%d or renumber", ev.Name, vs[i-1].n, v.n, vs[i-1].n+1)
		}
		owner := "event " + ev.Name
		if d.Version != nil {
			owner += " " + d.Version.Text
		}
		ver.Fields = c.fields(d.Body, owner, true)
		if d.Upcast != nil {
			if i == 0 {
				c.report(d.Upcast.Pos, codeMisplacedUpcast, "", "%s is the first version: there is nothing to upcast from", owner)
			} else {
				ver.Hook = true
				ver.Dropped = c.upcastDropped(ev, ev.Versions[len(ev.Versions)-1], ver, d.Upcast.Drop)
			}
		}
		if i > 0 && !ver.Hook {
			c.derivableUpcast(ev, ev.Versions[len(ev.Versions)-1], ver, d)
		}
		ev.Versions = append(ev.Versions, ver)
		s.eventDecls[ev] = append(s.eventDecls[ev], d)
	}
}

// upcastDropped returns the fields of version prev that an upcast hook to
// version cur deliberately does not use, as d (upcast: drop f, g) lists
// them: a field cur keeps under its name and type that the hook does not
// carry, or one cur renames or converts that the hook computes nothing
// from.
func (c *checker) upcastDropped(ev *Event, prev, cur *EventVersion, d *ast.UpcastDrop) []*Field {
	if d == nil {
		return nil
	}
	var out []*Field
	for _, id := range d.Fields {
		f := fieldNamed(prev.Fields, id.Name)
		switch {
		case f == nil:
			c.reportName(id, codeUndeclared, fieldNames(prev.Fields), "",
				"event %s v%d, which v%d is upcast from, has no field %s", ev.Name, prev.Number, cur.Number, id.Name)
		case slices.Contains(out, f):
			c.report(id.Pos, codeDuplicate, "", "field %s is already listed in this drop", id.Name)
		default:
			out = append(out, f)
		}
	}
	return out
}

// derivableUpcast reports the fields of version cur that generated code
// cannot fill from version prev: a field whose type changed, and an added
// field with no default whose type has no natural empty value. It warns of
// the fields of prev that cur drops, whose values the step loses.
func (c *checker) derivableUpcast(ev *Event, prev, cur *EventVersion, d *ast.Event) {
	old := map[string]*Field{}
	for _, f := range prev.Fields {
		old[f.Name] = f
	}
	c.droppedFields(ev, prev, cur)
	for _, f := range cur.Fields {
		af := c.fieldDecls[f]
		if f.Type == nil {
			continue
		}
		p := old[f.Name]
		if p == nil {
			if f.Default == nil && af.Default == nil && !emptyable(f.Type) {
				c.report(af.Name.Pos, codeAddedFieldNoValue,
					fmt.Sprintf("give it a default, as in %s %s = %s, or mark v%d upcast", f.Name, f.Type, exampleDefault(f.Type), cur.Number),
					"field %s is new in event %s v%d and has no default", f.Name, ev.Name, cur.Number)
			}
			continue
		}
		if p.Type != nil && p.Type.String() != f.Type.String() {
			c.report(af.Type.Pos, codeChangedFieldType,
				fmt.Sprintf("mark v%d upcast and convert it in the upcast hook", cur.Number),
				"field %s of event %s changes type from %s in v%d to %s in v%d", f.Name, ev.Name, p.Type, prev.Number, f.Type, cur.Number)
		}
	}
}

// droppedFields warns of each field of version prev that version cur, a
// generated step, drops. esgen compares fields by name, so a renamed field
// is dropped and its values are lost on every upcast; the warning names the
// likely new name when cur adds exactly one field of the dropped field's
// type. A step with a hook is not checked: the user's code sees every field.
func (c *checker) droppedFields(ev *Event, prev, cur *EventVersion) {
	kept := map[string]bool{}
	for _, f := range cur.Fields {
		kept[f.Name] = true
	}
	oldNames := map[string]bool{}
	for _, f := range prev.Fields {
		oldNames[f.Name] = true
	}
	for _, p := range prev.Fields {
		if kept[p.Name] {
			continue
		}
		renamed := ""
		if p.Type != nil {
			n := 0
			for _, f := range cur.Fields {
				if !oldNames[f.Name] && f.Type != nil && f.Type.String() == p.Type.String() {
					renamed = f.Name
					n++
				}
			}
			if n != 1 {
				renamed = ""
			}
		}
		sugg := fmt.Sprintf("if it was renamed, mark v%d upcast and copy it in the upcast hook", cur.Number)
		if renamed != "" {
			sugg = fmt.Sprintf("if it was renamed to %s, mark v%d upcast and copy it in the upcast hook", renamed, cur.Number)
		}
		c.report(c.fieldDecls[p].Name.Pos, codeDroppedField, sugg,
			"field %s of event %s v%d is not in v%d: upcasting drops its value", p.Name, ev.Name, prev.Number, cur.Number)
	}
}

// exampleDefault spells a default for a type in a suggestion.
func exampleDefault(t *TypeExpr) string {
	switch {
	case t.Kind != TypeBuiltin:
		return "..."
	case t.Name == "string":
		return `""`
	case t.Name == "bool":
		return "false"
	}
	return "0"
}

// emptyable reports whether a field of type t added to an event version is
// upcast to its empty value (nil slice, map or pointer) without a default.
func emptyable(t *TypeExpr) bool {
	return t.Kind == TypeSlice || t.Kind == TypeMap || t.Kind == TypePointer
}

// initialState checks that exactly one state is initial.
func (c *checker) initialState(s *aggScope, d *ast.Aggregate) {
	a := s.a
	for _, st := range a.States {
		if !st.Initial {
			continue
		}
		if a.Initial != nil {
			c.report(s.stateDecls[st].Name.Pos, codeSeveralInitial, "", "state %s is initial, but state %s at line %d already is",
				st.Name, a.Initial.Name, a.Initial.Pos.Line)
			s.incomplete = true
			continue
		}
		a.Initial = st
	}
	if a.Initial == nil {
		sugg := "declare a state marked initial: state Name initial"
		if len(a.States) > 0 {
			sugg = "mark the state an aggregate starts in: state " + a.States[0].Name + " initial"
		}
		c.report(d.Name.Pos, codeNoInitial, sugg, "aggregate %s has no initial state", a.Name)
	}
}
