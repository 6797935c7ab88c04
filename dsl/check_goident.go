package dsl

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/esgen/esgen/internal/goname"
)

// goIdent is one package-level Go identifier the generated code declares,
// with the declaration of the .esm it comes from.
type goIdent struct {
	name string
	what string // "state Draft", "the state interface of aggregate Order"
	pos  Position
	kind identKind
	// goType is set for a generated identifier that names a Go type the
	// package declares (outside its tests): a value type, a state,
	// command or event, an interface or the struct of a transition.
	goType bool
}

// identKind says where a Go identifier of goIdents comes from: generated
// code declares it, or it names an extern (declared by the user's Go code)
// or an import (scoped to each generated file).
type identKind int

const (
	identGenerated identKind = iota
	identExtern
	identImport
)

// goIdents returns every package-level Go identifier generated for f,
// exported or not, tests included, ordered by the position of the
// declaration each comes from: import names, value types, externs, and per
// aggregate its fixed identifiers (internal/goname.AggregateIdents,
// AggregateUnexported and TestFuncs), states, commands, events, old event
// versions and the per-transition types and constants.
func (f *File) goIdents() []goIdent {
	var ids []goIdent
	add := func(name string, pos Position, format string, args ...any) {
		ids = append(ids, goIdent{name: name, what: fmt.Sprintf(format, args...), pos: pos})
	}
	for _, im := range f.Imports {
		add(im.Alias, im.Pos, "import %q", im.Path)
		ids[len(ids)-1].kind = identImport
	}
	typ := func() { ids[len(ids)-1].goType = true }
	for _, vt := range f.Types {
		add(goname.Exported(vt.Name), vt.Pos, "type %s", vt.Name)
		typ()
	}
	for _, x := range f.Externs {
		add(x.Name, x.Pos, "extern %s", x.Name)
		ids[len(ids)-1].kind = identExtern
	}
	for _, a := range f.Aggregates {
		desc := aggregateIdentNames(a.Name)
		fixed := goname.AggregateIdents(a.Name, a.Eventual)
		fixed = append(fixed, goname.AggregateUnexported(a.Name, a.Eventual)...)
		fixed = append(fixed, goname.TestFuncs(a.Name, a.Eventual)...)
		types := aggregateTypes(a.Name)
		for _, id := range fixed {
			what, ok := desc[id]
			if !ok {
				what = "an identifier generated"
			}
			add(id, a.Pos, "%s for aggregate %s", what, a.Name)
			if types[id] {
				typ()
			}
		}
		for _, st := range a.States {
			add(goname.Exported(st.Name), st.Pos, "state %s", st.Name)
			typ()
		}
		for _, cmd := range a.Commands {
			add(goname.Exported(cmd.Name), cmd.Pos, "command %s", cmd.Name)
			typ()
		}
		for _, ev := range a.Events {
			add(goname.Exported(ev.Name), ev.Pos, "event %s", ev.Name)
			typ()
			for _, v := range ev.Versions[:max(len(ev.Versions)-1, 0)] {
				add(goname.EventVersion(ev.Name, v.Number), v.Pos, "the v%d struct of event %s", v.Number, ev.Name)
				typ()
			}
		}
		for _, t := range a.Transitions {
			addTransitionIdents(t, func(name, what string, pos Position, isType bool) {
				add(name, pos, "%s", what)
				if isType {
					typ()
				}
			})
		}
	}
	for _, p := range f.Processes {
		addProcessIdents(p, func(name, what string, pos Position, isType bool) {
			add(name, pos, "%s", what)
			if isType {
				typ()
			}
		})
	}
	slices.SortStableFunc(ids, func(a, b goIdent) int { return cmp.Compare(a.pos.Offset, b.pos.Offset) })
	return ids
}

// addProcessIdents calls add with every package-level identifier the code
// generated for a process declares (generator/process*.go spells them).
func addProcessIdents(p *Process, add func(name, what string, pos Position, isType bool)) {
	n := goname.Exported(p.Name)
	of := " of process " + p.Name
	for _, f := range []struct {
		name, what string
		isType     bool
	}{
		{n + "State", "the state interface", true},
		{n + "StateName", "the state name function", false},
		{n + "Input", "the input interface", true},
		{n + "Decider", "the decider interface", true},
		{n + "Evolver", "the evolver interface", true},
		{"New" + n + "Definition", "the definition constructor", false},
		{goname.Unexported(p.Name + "_decide"), "the decide function", false},
		{goname.Unexported(p.Name + "_evolve"), "the evolve function", false},
		{goname.Unexported(p.Name + "_step_codec"), "the step codec", true},
		{goname.Unexported(p.Name + "_rejected"), "the refusal function", false},
		{goname.Unexported(p.Name + "_dispatch"), "the dispatch function", false},
		{goname.Unexported(p.Name + "_sent"), "the sent function", false},
		{goname.Unexported(p.Name + "_under_test"), "the skeleton's definition function", false},
		{goname.Unexported(p.Name + "_definition"), "the unchecked definition builder", false},
		{goname.Unexported(p.Name + "_test_definition"), "the definition of the generated tests", false},
		{goname.Unexported(p.Name + "_evolutions"), "the Evolve hook cases of the generated tests", false},
		{"Test" + n + "EvolveHooks", "a generated test", false},
		{"Test" + n + "StateName", "a generated test", false},
		{"Test" + n + "InvalidInputs", "a generated test", false},
		{"Test" + n + "Evolve", "a generated test", false},
	} {
		add(f.name, f.what+of, p.Pos, f.isType)
	}
	for _, st := range p.States {
		add(n+goname.Exported(st.Name), "the type of state "+st.Name+of, st.Pos, true)
	}
	sent := map[*Command]bool{}
	for _, r := range p.Reactions {
		in := r.Input
		if in.Kind != InputEvent {
			add(n+goname.Exported(in.Name), "the type of input "+in.Name+of, in.Pos, true)
		}
		switch {
		case len(r.Branches) > 1:
			add(n+goname.Exported(in.Name)+"Outcome", "the outcome of "+in.Name+of, r.Pos, true)
			for i, b := range r.Branches {
				add(p.BranchCtor(r, i), "the constructor of a branch of "+in.Name+of, b.Pos, false)
			}
		case len(r.Branches) == 1 && len(r.Branches[0].Sends) > 0:
			add(n+goname.Exported(in.Name)+"Sends", "the sends of "+in.Name+of, r.Pos, true)
		}
		for _, b := range r.Branches {
			for _, s := range b.Sends {
				if !sent[s.Command] {
					sent[s.Command] = true
					add(goname.Unexported(p.Name+"_sends_"+s.Command.Name), "the test helper of "+s.Command.Name+of, s.Pos, false)
				}
			}
		}
	}
}

// aggregateTypes are the fixed identifiers of an aggregate that name Go
// types of the package (the types of its generated tests left out).
func aggregateTypes(agg string) map[string]bool {
	return map[string]bool{
		goname.StateInterface(agg):   true,
		goname.CommandInterface(agg): true,
		goname.EventInterface(agg):   true,
		goname.Decider(agg):          true,
		goname.Evolver(agg):          true,
		goname.Upcaster(agg):         true,
		goname.EventCodec(agg):       true,
		goname.StateCodec(agg):       true,
		goname.Repository(agg):       true,
		goname.Log(agg):              true,
	}
}

// aggregateIdentNames describes the fixed identifiers of an aggregate.
func aggregateIdentNames(agg string) map[string]string {
	m := map[string]string{
		goname.StateInterface(agg):     "the state interface",
		goname.CommandInterface(agg):   "the command interface",
		goname.EventInterface(agg):     "the event interface",
		goname.Decider(agg):            "the decider interface",
		goname.Evolver(agg):            "the evolver interface",
		goname.Upcaster(agg):           "the upcaster interface",
		goname.EventCodec(agg):         "the event codec",
		goname.StateCodec(agg):         "the state codec",
		"New" + goname.EventCodec(agg): "the event codec constructor",
		goname.Repository(agg):         "the repository",
		goname.NewRepository(agg):      "the repository constructor",
		goname.NewDefinition(agg):      "the definition constructor",
		goname.StateName(agg):          "the state name function",
		goname.Stream(agg):             "the stream constant",
		goname.SubjectPrefix(agg):      "the subject prefix constant",
		goname.Machine(agg):            "the machine function",
		goname.Log(agg):                "the log",
		goname.NewLog(agg):             "the log constructor",
		goname.Decide(agg):             "the decide function",
		goname.Evolve(agg):             "the evolve function",
		goname.RecordingUpcaster(agg):  "the upcaster of the generated tests",
		goname.BranchStub(agg):         "the decider of the generated tests",
		goname.UnderTest(agg):          "the definition of the test skeleton",
		goname.Definition(agg):         "the unchecked definition builder",
		goname.UpcastCases(agg):        "the upcast hook cases of the generated tests",
		goname.EvolutionCases(agg):     "the evolution cases of the generated tests",
	}
	for _, name := range goname.TestFuncs(agg, false) {
		m[name] = "the generated test"
	}
	return m
}

// addTransitionIdents lists the identifiers generated for one transition: the
// source interface when it leaves several states, the outcome type
// and one constructor and one constant per branch when it branches, the
// emitted-events struct when its only branch emits several events. isType
// is set for the interface and the structs.
func addTransitionIdents(t *Transition, add func(name, what string, pos Position, isType bool)) {
	cmd := t.Command.Name
	sources := map[*State]bool{}
	for _, br := range t.Branches {
		for _, st := range br.From {
			sources[st] = true
		}
	}
	if len(sources) > 1 {
		add(goname.Sources(cmd), "the source interface of on "+cmd, t.Pos, true)
	}
	if len(t.Branches) == 1 {
		if len(t.Branches[0].Emits) > 1 {
			add(goname.Emitted(cmd), "the emitted-events struct of on "+cmd, t.Pos, true)
		}
		return
	}
	add(goname.Outcome(cmd), "the outcome type of on "+cmd, t.Pos, true)
	targets := map[*State]int{}
	for _, br := range t.Branches {
		targets[br.To]++
	}
	withEvents := false
	for _, n := range targets {
		if n > 1 {
			withEvents = true
		}
	}
	for _, br := range t.Branches {
		name := goname.Branch(cmd, br.To.Name)
		if withEvents {
			evs := make([]string, len(br.Emits))
			for i, e := range br.Emits {
				evs[i] = e.Name
			}
			name = goname.BranchWithEvents(cmd, br.To.Name, evs)
		}
		add(name, "the branch constructor to "+br.To.Name+" of on "+cmd, br.Pos, false)
		add(goname.BranchConst(name), "the branch constant to "+br.To.Name+" of on "+cmd, br.Pos, false)
	}
}

// checkGoIdents reports every generated Go identifier that is already
// generated for an earlier declaration, at the later one, and every extern
// named like a package generated code imports.
func (c *checker) checkGoIdents(m *File) {
	imported := map[string]bool{}
	for _, name := range goname.Imports() {
		imported[name] = true
	}
	for _, x := range m.Externs {
		if imported[x.Name] {
			c.diags = append(c.diags, newDiag(x.Pos, codeGoCollision, fmt.Sprintf(
				"Go identifier %s of extern %s collides with package %s, which generated code imports", x.Name, x.Name, x.Name), ""))
		}
	}
	first := map[string]goIdent{}
	for _, id := range m.goIdents() {
		if id.name == "" {
			continue
		}
		prev, ok := first[id.name]
		if !ok {
			first[id.name] = id
			continue
		}
		c.diags = append(c.diags, newDiag(id.pos, codeGoCollision, fmt.Sprintf(
			"Go identifier %s of %s collides with %s at line %d", id.name, id.what, prev.what, prev.pos.Line), ""))
	}
}
