package dsl

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/esgen/esgen/dsl/ast"
	"github.com/esgen/esgen/internal/goname"
)

// procScope holds the names of one process while it is checked.
type procScope struct {
	p          *Process
	aggs       map[string]*Aggregate // the aggregates the process may name
	aggNames   []string
	states     map[string]*State
	stateNames []string
	stateDecls map[*State]*ast.State
	corr       map[*Aggregate]*Correlation
	corrUsed   map[*Correlation]bool
	inputs     map[string]*Input // by Go name
	unknown    map[string]bool   // aggregate names reported undeclared
	sent       map[*Command]bool // commands some branch sends
	// unsure are the commands with a reaction to their refusal that is in
	// error: in which states it applies is not known.
	unsure     map[*Command]bool
	edges      map[*State][]*State
	isSource   map[*State]bool
	incomplete bool // a state did not resolve: reachability would repeat it
}

// process checks one process declaration against the aggregates it may
// name (those of its file, or of its package) and returns its model.
func (c *checker) process(d *ast.Process, aggs map[string]*Aggregate) *Process {
	p := &Process{Name: d.Name.Name, Doc: d.Doc.Text(), Pos: fromLexer(d.Pos)}
	s := &procScope{
		p: p, aggs: aggs,
		states: map[string]*State{}, stateDecls: map[*State]*ast.State{},
		corr: map[*Aggregate]*Correlation{}, corrUsed: map[*Correlation]bool{},
		inputs: map[string]*Input{}, sent: map[*Command]bool{}, unsure: map[*Command]bool{}, unknown: map[string]bool{},
		edges: map[*State][]*State{}, isSource: map[*State]bool{},
	}
	for name := range aggs {
		s.aggNames = append(s.aggNames, name)
	}
	slices.Sort(s.aggNames)
	c.checkExportable(d.Name, "process")
	var corrs []*ast.CorrelateOption
	idSeen := false
	for _, m := range d.Members {
		switch m := m.(type) {
		case *ast.IDOption:
			if idSeen {
				c.report(m.Pos, codeDuplicateOption, "", "option id of process %s is already set", p.Name)
				continue
			}
			idSeen = true
			if t := c.resolveType(m.Type); t != nil {
				if t.Kind != TypeBuiltin || t.Name != "string" {
					c.report(m.Type.Pos, codeInvalidOption, "leave the option out: a process id is a string",
						"process id type %s: a process is identified by a string, the correlation its inputs carry", t)
				} else {
					p.IDType = t
				}
			}
		case *ast.CorrelateOption:
			corrs = append(corrs, m)
		case *ast.State:
			c.declareProcessState(s, m)
		}
	}
	if p.IDType == nil {
		p.IDType = &TypeExpr{Kind: TypeBuiltin, Name: "string", Pos: p.Pos}
	}
	for _, st := range p.States {
		st.Fields = c.fields(s.stateDecls[st].Body, "state "+st.Name+" of process "+p.Name, false)
	}
	for _, m := range corrs {
		c.correlate(s, m)
	}
	c.processInitial(s, d)
	// Reactions and timers, in declaration order.
	var order []ast.ProcessMember
	for _, m := range d.Members {
		switch m.(type) {
		case *ast.Reaction, *ast.ProcessTimer:
			order = append(order, m)
		}
	}
	for _, m := range order {
		var r *Reaction
		switch m := m.(type) {
		case *ast.Reaction:
			r = c.reaction(s, m)
		case *ast.ProcessTimer:
			r = c.processTimer(s, m)
		}
		if r != nil {
			p.Reactions = append(p.Reactions, r)
			p.Inputs = append(p.Inputs, r.Input)
		}
	}
	c.processEvolutions(s)
	c.processReachability(s)
	c.processUnused(s, corrs)
	return p
}

// declareProcessState records a state of a process.
func (c *checker) declareProcessState(s *procScope, m *ast.State) {
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
	s.p.States = append(s.p.States, st)
}

// processInitial checks that exactly one state of the process is initial.
func (c *checker) processInitial(s *procScope, d *ast.Process) {
	p := s.p
	for _, st := range p.States {
		if !st.Initial {
			continue
		}
		if p.Initial != nil {
			c.report(s.stateDecls[st].Name.Pos, codeSeveralInitial, "", "state %s is initial, but state %s at line %d already is",
				st.Name, p.Initial.Name, p.Initial.Pos.Line)
			s.incomplete = true
			continue
		}
		p.Initial = st
	}
	if p.Initial == nil {
		sugg := "declare a state marked initial: state Name initial"
		if len(p.States) > 0 {
			sugg = "mark the state a process starts in: state " + p.States[0].Name + " initial"
		}
		c.report(d.Name.Pos, codeNoInitial, sugg, "process %s has no initial state", p.Name)
	}
}

// lookupAggregate resolves an aggregate named by a process.
func (c *checker) lookupAggregate(s *procScope, id *ast.Ident) *Aggregate {
	if a := s.aggs[id.Name]; a != nil {
		if a.Eventual {
			c.report(id.Pos, codeUndeclared, "", "aggregate %s is eventual: it has no commands, and a process reacts to the events of aggregates with a state machine", a.Name)
			return nil
		}
		return a
	}
	if s.unknown[id.Name] {
		return nil // reported once, at its first use
	}
	s.unknown[id.Name] = true
	c.reportName(id, codeUndeclared, s.aggNames,
		"a process names the aggregates of its file, or of its package when its files are checked together",
		"undeclared aggregate %s", id.Name)
	return nil
}

// lookupProcessState resolves a state of the process.
func (c *checker) lookupProcessState(s *procScope, id *ast.Ident) *State {
	if st := s.states[id.Name]; st != nil {
		return st
	}
	c.reportName(id, codeUndeclared, s.stateNames, "", "undeclared state %s", id.Name)
	s.incomplete = true
	return nil
}

// correlate checks `correlate Aggregate by field`.
func (c *checker) correlate(s *procScope, m *ast.CorrelateOption) {
	a := c.lookupAggregate(s, m.Aggregate)
	if a == nil {
		return
	}
	if prev := s.corr[a]; prev != nil {
		c.report(m.Aggregate.Pos, codeDuplicate, "", "the correlation of aggregate %s is already declared at line %d", a.Name, prev.Pos.Line)
		return
	}
	co := &Correlation{Aggregate: a, Pos: fromLexer(m.Pos)}
	if m.Field.Name != "id" {
		co.Field = m.Field.Name
	} else if a.IDType.String() != s.p.IDType.String() {
		c.report(m.Field.Pos, codeCorrelation, "correlate "+a.Name+" by a string field of its events instead",
			"the id of aggregate %s is of type %s, the id of process %s of type %s", a.Name, a.IDType, s.p.Name, s.p.IDType)
	}
	s.corr[a] = co
	s.p.Correlations = append(s.p.Correlations, co)
}

// reaction checks `on [rejected] Aggregate.Name: branches`.
func (c *checker) reaction(s *procScope, m *ast.Reaction) *Reaction {
	in := &Input{Pos: fromLexer(m.Input.Pos)}
	a := c.lookupAggregate(s, m.Input.Aggregate)
	ok := a != nil
	if a != nil {
		in.Aggregate = a
		if m.Rejected != nil {
			in.Kind = InputRejection
			in.Command = lookupCommand(a, m.Input.Name.Name)
			if in.Command == nil {
				c.reportName(m.Input.Name, codeUndeclared, aggregateCommandNames(a), "",
					"aggregate %s has no command %s", a.Name, m.Input.Name.Name)
				ok = false
			} else {
				in.Name = goname.Exported(in.Command.Name) + "Rejected"
			}
		} else {
			in.Kind = InputEvent
			in.Event = lookupEvent(a, m.Input.Name.Name)
			if in.Event == nil {
				c.reportName(m.Input.Name, codeUndeclared, aggregateEventNames(a), "",
					"aggregate %s has no event %s", a.Name, m.Input.Name.Name)
				ok = false
			} else {
				in.Name = goname.Exported(in.Event.Name)
				c.checkCorrelated(s, a, in.Event, m.Input)
			}
		}
	}
	r := &Reaction{Input: in, Doc: m.Doc.Text(), Pos: fromLexer(m.Pos)}
	r.Branches = c.processBranches(s, m.Branches, nil)
	if !ok || !c.newInput(s, in, m.Input.Pos, m.Input.String()) || len(r.Branches) == 0 {
		if in.Kind == InputRejection && in.Command != nil {
			s.unsure[in.Command] = true
		}
		return nil
	}
	if in.Kind == InputRejection && len(r.Branches) < len(m.Branches) {
		s.unsure[in.Command] = true
	}
	return r
}

// newInput records an input, reporting one handled twice.
func (c *checker) newInput(s *procScope, in *Input, pos ast.Position, what string) bool {
	if prev := s.inputs[in.Name]; prev != nil {
		c.report(pos, codeDuplicateDecision, "write the branches of the input in one reaction, separated by |",
			"%s is already handled at line %d", what, prev.Pos.Line)
		return false
	}
	s.inputs[in.Name] = in
	return true
}

// checkCorrelated checks that an event of aggregate a finds its process.
func (c *checker) checkCorrelated(s *procScope, a *Aggregate, ev *Event, q *ast.QualifiedName) {
	co := s.corr[a]
	if co == nil {
		c.report(q.Aggregate.Pos, codeCorrelation, "add correlate "+a.Name+" by id, or by the field of its events that names the process",
			"process %s reacts to %s but does not say how an event of %s finds its process", s.p.Name, q.String(), a.Name)
		return
	}
	s.corrUsed[co] = true
	if co.Field == "" {
		return
	}
	f := fieldNamed(ev.Latest().Fields, co.Field)
	switch {
	case f == nil:
		c.report(q.Name.Pos, codeCorrelation, "",
			"event %s of %s has no field %s, which correlates the events of %s at line %d", ev.Name, a.Name, co.Field, a.Name, co.Pos.Line)
	case f.Type != nil && f.Type.String() != s.p.IDType.String():
		c.report(q.Name.Pos, codeCorrelation, "",
			"field %s of event %s is a %s, the id of process %s a %s", co.Field, ev.Name, f.Type, s.p.Name, s.p.IDType)
	}
}

// processTimer checks `after D in State [as Name]: branches`.
func (c *checker) processTimer(s *procScope, m *ast.ProcessTimer) *Reaction {
	in := &Input{Kind: InputTimer, Text: m.After.Text, Pos: fromLexer(m.Pos)}
	in.After, _ = time.ParseDuration(m.After.Text)
	in.State = c.lookupProcessState(s, m.State)
	if m.Name != nil {
		if c.checkExportable(m.Name, "timer") {
			in.Name = goname.Exported(m.Name.Name)
		}
	} else if in.State != nil {
		in.Name = timerName(goname.Exported(in.State.Name), m.After.Text)
	}
	if in.State != nil && in.State.Final {
		c.report(m.State.Pos, codeTimerOnFinal, "", "state %s is final: a process in it has ended, and waits for nothing", in.State.Name)
	}
	r := &Reaction{Input: in, Doc: m.Doc.Text(), Pos: fromLexer(m.Pos)}
	r.Branches = c.processBranches(s, m.Branches, in.State)
	if in.State == nil || in.Name == "" || !c.newInput(s, in, m.Pos, "timer "+in.Name) || len(r.Branches) == 0 {
		return nil
	}
	return r
}

// processBranches resolves the branches of a reaction or a timer, leaving
// out those that do not resolve, and reporting two with the same target
// and sends (E032): they would have the same constructor, and are one
// branch with the sources of both.
func (c *checker) processBranches(s *procScope, branches []*ast.ProcessBranch, timerState *State) []*ProcessBranch {
	var out []*ProcessBranch
	seen := map[string]*ProcessBranch{}
	for _, b := range branches {
		br := c.processBranch(s, b, timerState)
		if br == nil {
			continue
		}
		key := br.To.Name
		for _, snd := range br.Sends {
			key += " " + snd.Aggregate.Name + "." + snd.Command.Name
		}
		if prev := seen[key]; prev != nil {
			fix := "list every source in one branch: " + mergedProcessBranch(prev, br)
			if !slices.ContainsFunc(br.From, func(st *State) bool { return !slices.Contains(prev.From, st) }) {
				fix = "remove it"
			}
			c.report(b.Pos, codeDuplicateBranch, fix,
				"this branch has the same target and commands as the branch at line %d", prev.Pos.Line)
			continue
		}
		seen[key] = br
		out = append(out, br)
	}
	return out
}

// mergedProcessBranch spells one branch with the sources of two.
func mergedProcessBranch(a, b *ProcessBranch) string {
	merged := &ProcessBranch{To: a.To, Sends: a.Sends}
	for _, br := range []*ProcessBranch{a, b} {
		for _, st := range br.From {
			if !slices.Contains(merged.From, st) {
				merged.From = append(merged.From, st)
			}
		}
	}
	return processBranchText(nil, merged)
}

// processBranch resolves a branch; timerState, when set, is the only
// state it may start in. Nil when a name does not resolve.
func (c *checker) processBranch(s *procScope, b *ast.ProcessBranch, timerState *State) *ProcessBranch {
	br := &ProcessBranch{Pos: fromLexer(b.Pos)}
	ok := true
	seen := map[*State]bool{}
	for _, id := range b.From {
		st := c.lookupProcessState(s, id)
		if st == nil {
			ok = false
			continue
		}
		if seen[st] {
			c.report(id.Pos, codeDuplicate, "", "state %s is already a source of this branch", st.Name)
			continue
		}
		seen[st] = true
		if st.Final {
			c.report(id.Pos, codeFromFinal, "", "state %s is final: no input can leave it", st.Name)
		}
		if timerState != nil && st != timerState {
			c.report(id.Pos, codeTimerBranch, "start the branch in "+timerState.Name,
				"the timer waits in state %s: its branches leave %s, not %s", timerState.Name, timerState.Name, st.Name)
			continue
		}
		s.isSource[st] = true
		br.From = append(br.From, st)
	}
	br.To = c.lookupProcessState(s, b.To)
	if br.To == nil {
		ok = false
	} else {
		for _, from := range br.From {
			s.edges[from] = append(s.edges[from], br.To)
		}
	}
	for _, q := range b.Sends {
		a := c.lookupAggregate(s, q.Aggregate)
		if a == nil {
			ok = false
			continue
		}
		cmd := lookupCommand(a, q.Name.Name)
		if cmd == nil {
			c.reportName(q.Name, codeUndeclared, aggregateCommandNames(a), "", "aggregate %s has no command %s", a.Name, q.Name.Name)
			ok = false
			continue
		}
		if a.IDType.String() != "string" {
			c.report(q.Aggregate.Pos, codeInvalidOption, "",
				"aggregate %s is identified by a %s: a process sends commands to aggregates identified by a string", a.Name, a.IDType)
		}
		if !accepted(a, cmd) {
			c.report(q.Name.Pos, codeNotAccepted, "add an on "+cmd.Name+" clause to aggregate "+a.Name,
				"aggregate %s accepts command %s in no state: sending it would always fail", a.Name, cmd.Name)
		}
		s.sent[cmd] = true
		br.Sends = append(br.Sends, &Send{Aggregate: a, Command: cmd, Pos: fromLexer(q.Pos)})
	}
	if !ok || len(br.From) == 0 {
		return nil
	}
	return br
}

// processEvolutions fills the process's Evolve table: the fields of each
// target from the input's fields of the same name and type, else from the
// source state's; any other field makes the entry a hook.
func (c *checker) processEvolutions(s *procScope) {
	type key struct {
		from, to *State
		in       *Input
	}
	seen := map[key]bool{}
	for _, r := range s.p.Reactions {
		for _, br := range r.Branches {
			for _, from := range br.From {
				k := key{from, br.To, r.Input}
				if seen[k] {
					continue
				}
				seen[k] = true
				e := &ProcessEvolution{From: from, To: br.To, Input: r.Input, Branch: br}
				in := inputFields(r.Input)
				for _, f := range br.To.Fields {
					if g := findField(in, f); g != nil {
						e.Fields = append(e.Fields, &FieldSource{Field: f, Origin: FromEvent, From: g})
						continue
					}
					if g := findField(from.Fields, f); g != nil {
						e.Fields = append(e.Fields, &FieldSource{Field: f, Origin: FromState, From: g})
						continue
					}
					e.HookReasons = append(e.HookReasons, fmt.Sprintf("field %s of %s is set neither by %s nor by state %s", f.Name, br.To.Name, r.Input.Name, from.Name))
				}
				if len(e.HookReasons) > 0 {
					e.Hook, e.Fields = true, nil
				}
				s.p.Evolutions = append(s.p.Evolutions, e)
			}
		}
	}
}

// ProcessInputFields are the fields an input of a process brings to its
// states: an event's newest version's, a refused command's; a timer brings
// none. A field of a new state with the name and type of one of them
// comes from the input.
func ProcessInputFields(in *Input) []*Field { return inputFields(in) }

// inputFields are the fields an input brings: an event's newest version's,
// a refused command's; a timer brings none.
func inputFields(in *Input) []*Field {
	switch in.Kind {
	case InputEvent:
		if len(in.Event.Versions) > 0 {
			return in.Event.Latest().Fields
		}
	case InputRejection:
		return in.Command.Fields
	}
	return nil
}

// processReachability reports states the initial state cannot reach,
// non-final states no input leaves, and a process that can never end.
func (c *checker) processReachability(s *procScope) {
	p := s.p
	if s.incomplete || p.Initial == nil {
		return
	}
	for _, st := range p.States {
		if !st.Final && !s.isSource[st] {
			c.report(s.stateDecls[st].Name.Pos, codeDeadEnd, "mark it final, or add a reaction or a timer that leaves it",
				"state %s is not final but no input leaves it", st.Name)
		}
	}
	reached := map[*State]bool{p.Initial: true}
	queue := []*State{p.Initial}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		for _, to := range s.edges[st] {
			if !reached[to] {
				reached[to] = true
				queue = append(queue, to)
			}
		}
	}
	ends := false
	for _, st := range p.States {
		if !reached[st] {
			c.report(s.stateDecls[st].Name.Pos, codeUnreachable, "", "state %s is unreachable from the initial state %s", st.Name, p.Initial.Name)
		}
		ends = ends || reached[st] && st.Final
	}
	if !ends {
		c.reportAt(p.Pos, codeNeverEnds, "mark the state a process ends in final, and reach it",
			"process %s never ends: no final state is reachable from %s", p.Name, p.Initial.Name)
		return
	}
	decl := func(st *State) Position { return fromLexer(s.stateDecls[st].Name.Pos) }
	c.processLiveness(p, decl)
	if !c.diags.HasErrors() {
		// The protocol analysis needs a sound model of the process and of
		// the aggregates it names.
		c.analyseProtocol(p, decl)
	}
}

// processUnused warns of correlations no reaction uses, reactions to the
// refusal of commands the process never sends, and commands it sends with
// no reaction to their refusal.
func (c *checker) processUnused(s *procScope, decls []*ast.CorrelateOption) {
	for _, m := range decls {
		for _, co := range s.p.Correlations {
			if co.Pos == fromLexer(m.Pos) && !s.corrUsed[co] {
				c.report(m.Aggregate.Pos, codeUnusedInProcess, "remove it", "process %s reacts to no event of %s", s.p.Name, co.Aggregate.Name)
			}
		}
	}
	for _, in := range s.p.Inputs {
		if in.Kind == InputRejection && !s.sent[in.Command] {
			c.reportAt(in.Pos, codeUnusedInProcess, "remove it", "process %s never sends %s.%s, so it is never refused", s.p.Name, in.Aggregate.Name, in.Command.Name)
		}
	}
	c.unhandledRefusals(s)
}

// unhandledRefusals warns of each place a command is sent where its
// refusal finds no reaction (W013). The refusal comes back as an input
// while the process is in the state the sending branch entered: a
// reaction to it counts only if it applies in that state, and none can
// in a final one. A reaction in error says nothing of where it applies:
// its command is not warned of.
func (c *checker) unhandledRefusals(s *procScope) {
	handled := map[*Command]map[*State]bool{}
	handlers := map[*Command][]string{}
	for _, r := range s.p.Reactions {
		if r.Input.Kind != InputRejection {
			continue
		}
		cmd := r.Input.Command
		if handled[cmd] == nil {
			handled[cmd] = map[*State]bool{}
		}
		for _, br := range r.Branches {
			for _, st := range br.From {
				if !handled[cmd][st] {
					handled[cmd][st] = true
					handlers[cmd] = append(handlers[cmd], st.Name)
				}
			}
		}
	}
	for _, r := range s.p.Reactions {
		for _, br := range r.Branches {
			for _, snd := range br.Sends {
				name := snd.Aggregate.Name + "." + snd.Command.Name
				switch {
				case s.unsure[snd.Command] || handled[snd.Command][br.To]:
				case br.To.Final:
					c.reportAt(snd.Pos, codeUnhandledReject, "send it before the process ends if its refusal matters",
						"%s is sent as the process ends (%s is final): a refusal is logged, and nothing can react to it", name, br.To.Name)
				case handled[snd.Command] != nil:
					c.reportAt(snd.Pos, codeUnhandledReject, fmt.Sprintf("add %s to the sources of on rejected %s", br.To.Name, name),
						"no reaction to %s refused in %s, the state it is sent in (on rejected %s starts in %s): a refusal stops the process, which then waits for an operator",
						name, br.To.Name, name, strings.Join(handlers[snd.Command], ", "))
				default:
					c.reportAt(snd.Pos, codeUnhandledReject, fmt.Sprintf("add on rejected %s: and what to do then", name),
						"no reaction to %s refused: a refusal stops the process, which then waits for an operator", name)
				}
			}
		}
	}
}

// accepted reports whether aggregate a accepts cmd in some state.
func accepted(a *Aggregate, cmd *Command) bool {
	return slices.ContainsFunc(a.Transitions, func(t *Transition) bool { return t.Command == cmd })
}

func lookupCommand(a *Aggregate, name string) *Command {
	for _, cmd := range a.Commands {
		if cmd.Name == name {
			return cmd
		}
	}
	return nil
}

func lookupEvent(a *Aggregate, name string) *Event {
	for _, e := range a.Events {
		if e.Name == name {
			return e
		}
	}
	return nil
}

func aggregateCommandNames(a *Aggregate) []string {
	names := make([]string, len(a.Commands))
	for i, cmd := range a.Commands {
		names[i] = cmd.Name
	}
	return names
}

func aggregateEventNames(a *Aggregate) []string {
	names := make([]string, len(a.Events))
	for i, e := range a.Events {
		names[i] = e.Name
	}
	return names
}
