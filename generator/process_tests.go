package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/outname"
)

// pathProcessTest is the import path of the process test harness.
const pathProcessTest = "github.com/esgen/esgen/runtime/process/processtest"

// genTestFile emits <process>_gen_test.go: every state named as declared,
// every (state, input) pair the process does not declare refused, every
// generated evolution leading to its target, every input surviving the
// step codec, and a helper per command the process sends, for the
// skeleton's expectations.
func (pg *procGen) genTestFile() (unformatted, error) {
	jf := pg.newFile(true)
	jf.ImportName(pathProcess, "process")
	p := pg.p
	state, input := pg.stateIface(), pg.inputIface()
	pg.testDefinitionFunc(jf)
	if len(pg.hooks) > 0 {
		pg.evolutionCases(jf)
	}

	// State names.
	var rows []jen.Code
	for _, s := range p.States {
		rows = append(rows, jen.Values(jen.Id(pg.stateType(s)).Values(), jen.Lit(s.Name)))
	}
	name := "Test" + pg.name + "StateName"
	jf.Add(comment(wrap(fmt.Sprintf("%s checks that %sStateName names every state as declared, and a nil state \"\".", name, pg.name))))
	jf.Func().Id(name).Params(tParam()).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Index().Struct(jen.Id("s").Id(state), jen.Id("want").String()).Add(keyed(rows...))).Block(
			jen.If(jen.Id("got").Op(":=").Id(pg.name+"StateName").Call(jen.Id("tt").Dot("s")), jen.Id("got").Op("!=").Id("tt").Dot("want")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit(pg.name+"StateName(%T) = %q, want %q"), jen.Id("tt").Dot("s"), jen.Id("got"), jen.Id("tt").Dot("want")))),
		jen.If(jen.Id("got").Op(":=").Id(pg.name+"StateName").Call(jen.Nil()), jen.Id("got").Op("!=").Lit("")).Block(
			jen.Id("t").Dot("Errorf").Call(jen.Lit(pg.name+"StateName(nil) = %q, want \"\""), jen.Id("got"))),
	)

	// Invalid (state, input) pairs.
	declared := map[[2]string]bool{}
	for _, r := range p.Reactions {
		for _, b := range r.Branches {
			for _, s := range b.From {
				declared[[2]string{s.Name, r.Input.Name}] = true
			}
		}
	}
	var pairs []jen.Code
	for _, s := range p.States {
		for _, in := range p.Inputs {
			if !declared[[2]string{s.Name, in.Name}] {
				pairs = append(pairs, jen.Values(jen.Id(pg.stateType(s)).Values(), jen.Id(pg.inputType(in)).Values()))
			}
		}
	}
	name = "Test" + pg.name + "InvalidInputs"
	jf.Add(comment(wrap(fmt.Sprintf("%s checks that Decide refuses each of the %d (state, input) pairs the process does not declare "+
		"with an *es.InvalidTransitionError naming both, without consulting the decider (it is nil here).", name, len(pairs)))))
	body := []jen.Code{}
	if len(pairs) > 0 {
		body = append(body,
			jen.Id("def").Op(":=").Id(pg.testDefinition()).Call(pg.nilArgs()...).Dot("Machine"),
			jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Index().Struct(jen.Id("s").Id(state), jen.Id("in").Id(input)).Add(keyed(pairs...))).Block(
				jen.List(jen.Id("steps"), jen.Err()).Op(":=").Id("def").Dot("Decide").Call(tctx(), jen.Id("tt").Dot("s"), jen.Id("tt").Dot("in"), jen.Nil()),
				jen.Var().Id("ite").Op("*").Qual(pathES, "InvalidTransitionError"),
				jen.If(jen.Op("!").Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("ite")).Op("||").Id("ite").Dot("State").Op("!=").Id("tt").Dot("s").Dot(pg.stateMarker()).Call().
					Op("||").Id("ite").Dot("Command").Op("!=").Id("tt").Dot("in").Dot(pg.inputMarker()).Call().Op("||").Id("steps").Op("!=").Nil()).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("Decide(%T, %T) = %v, %v; want an *es.InvalidTransitionError naming both"),
						jen.Id("tt").Dot("s"), jen.Id("tt").Dot("in"), jen.Id("steps"), jen.Err())),
			),
		)
	}
	jf.Func().Id(name).Params(tParam()).Block(body...)

	// Generated evolutions and the step codec.
	var evRows []jen.Code
	for _, e := range p.Evolutions {
		if e.Hook {
			continue
		}
		evRows = append(evRows, jen.Values(jen.Id(pg.stateType(e.From)).Values(), pg.sampleInput(e.Input, seedEvent), jen.Lit(e.To.Name)))
	}
	name = "Test" + pg.name + "Evolve"
	jf.Add(comment(wrap(fmt.Sprintf("%s checks that each generated evolution of the process leads to the state its step names, "+
		"and that each step survives the step codec with its input, states and sends.", name))))
	body = []jen.Code{
		jen.Id("def").Op(":=").Id(pg.testDefinition()).Call(pg.nilArgs()...).Dot("Machine"),
	}
	if len(evRows) > 0 {
		body = append(body, jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Index().Struct(
			jen.Id("s").Id(state), jen.Id("in").Id(input), jen.Id("to").String()).Add(keyed(evRows...))).Block(
			jen.Id("step").Op(":=").Add(pg.stepType()).Values(field("Input", jen.Id("tt").Dot("in")), field("From", jen.Id("tt").Dot("s").Dot(pg.stateMarker()).Call()), field("To", jen.Id("tt").Dot("to"))),
			jen.List(jen.Id("got"), jen.Err()).Op(":=").Id("def").Dot("Evolve").Call(jen.Id("tt").Dot("s"), jen.Id("step")),
			jen.If(jen.Err().Op("!=").Nil().Op("||").Id(pg.name+"StateName").Call(jen.Id("got")).Op("!=").Id("tt").Dot("to")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("Evolve(%T, %T to %s) = %v, %v"), jen.Id("tt").Dot("s"), jen.Id("tt").Dot("in"), jen.Id("tt").Dot("to"), jen.Id("got"), jen.Err())),
		))
	}
	var codecRows []jen.Code
	for _, in := range p.Inputs {
		codecRows = append(codecRows, pg.sampleInput(in, seedEvent))
	}
	body = append(body,
		jen.For(jen.List(jen.Id("_"), jen.Id("in")).Op(":=").Range().Index().Id(input).Add(keyed(codecRows...))).Block(
			jen.Id("step").Op(":=").Add(pg.stepType()).Values(field("Input", jen.Id("in")), field("From", jen.Lit("From")), field("To", jen.Lit("To")),
				field("Sends", jen.Index().Qual(pathProcess, "Send").Values(jen.Values(
					field("Aggregate", jen.Lit("A")), field("ID", jen.Lit("a-1")), field("Command", jen.Lit("Do")), field("Data", jen.Index().Byte().Call(jen.Lit(`{"n":1}`))))))),
			jen.List(jen.Id("raw"), jen.Err()).Op(":=").Id("def").Dot("Events").Dot("Encode").Call(jen.Nil(), jen.Id("step")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Errorf").Call(jen.Lit("Encode(%T): %v"), jen.Id("in"), jen.Err()), jen.Continue()),
			jen.List(jen.Id("got"), jen.Err()).Op(":=").Id("def").Dot("Events").Dot("Decode").Call(jen.Id("raw").Dot("Type"), jen.Id("raw").Dot("SchemaVersion"), jen.Id("raw").Dot("Data")),
			jen.If(jen.Err().Op("!=").Nil().Op("||").Op("!").Qual("reflect", "DeepEqual").Call(jen.Id("got"), jen.Id("step"))).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("Decode(%s) = %#v, %v; want %#v"), jen.Id("raw").Dot("Data"), jen.Id("got"), jen.Err(), jen.Id("step"))),
		))
	jf.Func().Id(name).Params(tParam()).Block(body...)

	// A helper per command sent, for the skeleton's expectations.
	for _, s := range pg.sentCommands() {
		helper := pg.sendHelper(s)
		jf.Add(comment(wrap(fmt.Sprintf("%s is the send of command %s to aggregate %s %q, as a step of the %s process stores it.",
			helper, goname.Exported(s.Command.Name), goname.Exported(s.Aggregate.Name), "id", pg.name))))
		jf.Func().Id(helper).Params(jen.Id("t").Qual("testing", "TB"), jen.Id("id").String(), jen.Id("c").Id(goname.Exported(s.Command.Name))).Qual(pathProcess, "Send").Block(
			jen.Id("t").Dot("Helper").Call(),
			jen.List(jen.Id("s"), jen.Err()).Op(":=").Qual(pathProcess, "Encode").Call(jen.Lit(s.Aggregate.Name), jen.Lit(s.Command.Name),
				jen.Qual(pathProcess, "To").Types(jen.Id(goname.Exported(s.Command.Name))).Values(field("ID", jen.Id("id")), field("Command", jen.Id("c")))),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
			jen.Return(jen.Id("s")),
		)
	}
	return render(outname.GenTest(p.Name), jf)
}

// nilArgs are the arguments of New<Process>Definition in tests that never
// reach user code or a store.
func (pg *procGen) nilArgs() []jen.Code {
	args := []jen.Code{jen.Nil()}
	if len(pg.hooks) > 0 {
		args = append(args, jen.Nil())
	}
	return args
}

// evolutionCases emits <process>Evolutions, the table of the process's
// Evolve hooks with values to check them on (estest.Evolution): a field of
// the new state that the state left has too, and the input does not bring,
// must be carried over; a field the input's event brings under the name
// and type of a field of the new state must reach it. The skeleton's hook
// test runs the user's hooks on it.
func (pg *procGen) evolutionCases(jf *jen.File) {
	state := pg.stateIface()
	step := pg.stepType()
	typ := jen.Qual(pathESTest, "Evolution").Types(jen.Id(state), step)
	change := jen.Qual(pathESTest, "Change").Types(jen.Id(state), step)
	var rows []jen.Code
	for _, e := range pg.p.Evolutions {
		hook := pg.hooks[e]
		if hook == "" {
			continue
		}
		stepOf := func(in jen.Code) jen.Code {
			return pg.stepType().Values(field("Input", in), field("From", jen.Lit(e.From.Name)), field("To", jen.Lit(e.To.Name)))
		}
		fromType := pg.stateType(e.From)
		row := []jen.Code{
			field("State", jen.Lit(e.From.Name)),
			field("Event", jen.Lit(e.Input.Name)),
			field("NewState", jen.Func().Params().Id(state).Block(jen.Return(pg.sampleStruct(fromType, e.From.Fields, seedState)))),
			field("NewEvent", jen.Func().Params().Add(pg.stepType()).Block(jen.Return(stepOf(pg.sampleInput(e.Input, seedEvent))))),
			field("To", jen.Lit(e.To.Name)),
			field("Hook", jen.Lit(hook)),
			field("Process", jen.True()),
		}
		var changes []jen.Code
		if e.Input.Kind == dsl.InputEvent {
			fields := e.Input.Event.Latest().Fields
			for _, f := range fields {
				if findField(e.To.Fields, f) == nil {
					continue // the process keeps what it needs of an event
				}
				ch := []jen.Code{field("Field", jen.Lit(f.Name)), field("GoName", jen.Lit(goname.Exported(f.Name)))}
				if perturbable(f.Type, 0) {
					ch = append(ch, field("Event", stepOf(pg.changedStruct(goname.Exported(e.Input.Event.Name), fields, seedEvent, f))))
				} else {
					ch = append(ch, field("Fill", jen.True()))
				}
				changes = append(changes, jen.Values(ch...))
			}
		}
		brought := dsl.ProcessInputFields(e.Input)
		for _, f := range e.From.Fields {
			if g := findField(e.To.Fields, f); g == nil || findField(brought, g) != nil {
				continue
			}
			ch := []jen.Code{field("Field", jen.Lit(f.Name)), field("GoName", jen.Lit(goname.Exported(f.Name))), field("InState", jen.True())}
			if perturbable(f.Type, 0) {
				ch = append(ch, field("State", pg.changedStruct(fromType, e.From.Fields, seedState, f)))
			} else {
				ch = append(ch, field("Fill", jen.True()))
			}
			changes = append(changes, jen.Values(ch...))
		}
		if len(changes) > 0 {
			row = append(row, field("Changes", jen.Index().Add(change).Add(keyed(changes...))))
		}
		rows = append(rows, keyed(row...))
	}
	name := unexported(pg.p.Name, "evolutions")
	jf.Add(comment(wrap(fmt.Sprintf("%s returns the Evolve hooks of the %s process with values to check them on: "+
		"each field of the new state that the state left has too and the input does not bring must be carried over, "+
		"and each field of the input's event that the new state has must reach it.", name, pg.name))))
	jf.Func().Id(name).Params().Index().Add(typ).Block(jen.Return(jen.Index().Add(typ).Add(keyed(rows...))))
}

// testDefinitionFunc emits <process>TestDefinition: the process's
// definition with d (and ev) and the repositories of its sources built
// with no store and no aggregate code, for their codecs, the only part of
// them a process test uses.
func (pg *procGen) testDefinitionFunc(jf *jen.File) {
	params := []jen.Code{jen.Id("d").Id(pg.decider())}
	args := []jen.Code{jen.Id("d")}
	if len(pg.hooks) > 0 {
		params = append(params, jen.Id("ev").Id(pg.evolver()))
		args = append(args, jen.Id("ev"))
	}
	var names []string
	for _, a := range pg.aggs {
		names = append(names, goname.Repository(a.Name))
		args = append(args, jen.Op("&").Id(goname.Repository(a.Name)).Values(field("repo",
			jen.Qual(pathES, "NewRepository").Call(jen.Nil(), jen.Id(goname.Definition(a.Name)).Call(pg.nilRepoArgs(a)[1:]...)))))
	}
	jf.Add(comment(wrap(fmt.Sprintf("%s returns the definition of the %s process with d%s, and the %s with no store and no aggregate code: "+
		"a process test uses only their codecs, for events of their newest versions.", pg.testDefinition(), pg.name,
		map[bool]string{true: " and ev", false: ""}[len(pg.hooks) > 0], list(names, "and")))))
	jf.Func().Id(pg.testDefinition()).Params(params...).Qual(pathProcess, "Definition").Types(jen.Id(pg.stateIface()), jen.Id(pg.inputIface())).Block(
		jen.Return(jen.Id(pg.definitionFunc()).Call(args...)))
}

// nilRepoArgs build a repository of aggregate a with no store and no user
// code: its codec is all a process's tests use.
func (pg *procGen) nilRepoArgs(a *dsl.Aggregate) []jen.Code {
	args := []jen.Code{jen.Nil(), jen.Nil()}
	for _, pl := range pg.plans {
		if pl.a == a {
			if pl.needEvolver {
				args = append(args, jen.Nil())
			}
			if pl.needUpcaster {
				args = append(args, jen.Nil())
			}
			return args
		}
	}
	plan, err := planAggregate(a) // an aggregate of another file of the package
	if err == nil {
		if plan.needEvolver {
			args = append(args, jen.Nil())
		}
		if plan.needUpcaster {
			args = append(args, jen.Nil())
		}
	}
	return args
}

// sampleInput is a sample value of an input, every field set.
func (pg *procGen) sampleInput(in *dsl.Input, seed int) jen.Code {
	switch in.Kind {
	case dsl.InputEvent:
		return pg.sampleStruct(goname.Exported(in.Event.Name), in.Event.Latest().Fields, seed)
	case dsl.InputRejection:
		return jen.Id(pg.inputType(in)).Values(field("ID", jen.Lit("id-1")),
			field("Command", pg.sampleStruct(goname.Exported(in.Command.Name), in.Command.Fields, seed)), field("Reason", jen.Lit("refused")))
	}
	return jen.Id(pg.inputType(in)).Values(field("Due", jen.Qual("time", "Date").Call(jen.Lit(2026), jen.Qual("time", "March"), jen.Lit(1), jen.Lit(9), jen.Lit(30), jen.Lit(0), jen.Lit(0), jen.Qual("time", "UTC"))))
}

// sentCommands are the (aggregate, command) pairs the process sends, each
// once, in order.
func (pg *procGen) sentCommands() []*dsl.Send {
	var out []*dsl.Send
	seen := map[*dsl.Command]bool{}
	for _, r := range pg.p.Reactions {
		for _, b := range r.Branches {
			for _, s := range b.Sends {
				if !seen[s.Command] {
					seen[s.Command] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// sendHelper names the test helper making the send of a command.
func (pg *procGen) sendHelper(s *dsl.Send) string {
	return unexported(pg.p.Name, "sends", s.Command.Name)
}

// skeletonFile emits <process>_test.go, the user's file, written once: one
// given-when-then case per (reaction branch, source state), failing until
// filled in.
func (pg *procGen) skeletonFile() (unformatted, error) {
	jf := pg.newFile(false)
	jf.ImportName(pathProcess, "process")
	jf.ImportName(pathProcessTest, "processtest")
	p := pg.p
	under := unexported(p.Name, "under", "test")
	jf.Add(comment(wrap(fmt.Sprintf("%s returns the machine of the %s process that the cases below exercise. "+
		"Pass your %s%s to %s, which gives the process repositories that only lend their codecs.", under, pg.name, pg.decider(),
		map[bool]string{true: " and " + pg.evolver(), false: ""}[len(pg.hooks) > 0], pg.testDefinition()))))
	jf.Func().Id(under).Params().Qual(pathES, "Definition").Types(jen.Id(pg.stateIface()), jen.Id(pg.inputIface()), pg.stepType()).Block(
		jen.Return(jen.Id(pg.testDefinition()).Call(pg.nilArgs()...).Dot("Machine")))
	if len(pg.hooks) > 0 {
		name := "Test" + pg.name + "EvolveHooks"
		jf.Add(comment(wrap(fmt.Sprintf("%s checks your %s (estest.CheckEvolutions): each field of a new state that the state left has too "+
			"and the input does not bring must be carried over (an id forgotten here would be missing from every command sent later), "+
			"each field of the input's event that the new state has must reach it, and each hook must be pure and leave its arguments alone.",
			name, pg.evolver()))))
		jf.Func().Id(name).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
			jen.Qual(pathESTest, "CheckEvolutions").Call(jen.Id("t"), jen.Id(under).Call(), jen.Id(pg.name+"StateName"),
				jen.Id(unexported(p.Name, "evolutions")).Call(), jen.True()))
	}
	paths := pg.inputPaths()
	for _, r := range p.Reactions {
		for bi, b := range r.Branches {
			for _, s := range b.From {
				name := "Test" + pg.name + goname.Exported(r.Input.Name) + "From" + goname.Exported(s.Name)
				if len(r.Branches) > 1 {
					name = "Test" + pg.branchCtor(r, bi) + "From" + goname.Exported(s.Name)
				}
				jf.Add(comment(wrap(fmt.Sprintf("%s in %s: %s.", r.Input.Name, s.Name, branchText(b)))))
				var given []jen.Code
				for _, in := range paths[s] {
					given = append(given, pg.zeroInput(in))
				}
				var then []jen.Code
				for _, snd := range b.Sends {
					then = append(then, jen.Id(pg.sendHelper(snd)).Call(jen.Id("t"), jen.Lit(skeletonProcessID), jen.Id(goname.Exported(snd.Command.Name)).Values()))
				}
				jf.Func().Id(name).Params(tParam()).Block(
					jen.Id("t").Dot("Fatal").Call(jen.Lit("not written yet: fill in this case and delete this line")),
					jen.Qual(pathProcessTest, "For").Call(jen.Id("t"), jen.Id(under).Call()).Op(".").Line().
						Id("Given").Call(given...).Op(".").Line().
						Id("When").Call(pg.zeroInput(r.Input)).Op(".").Line().
						Id("Then").Call(then...),
				)
			}
		}
	}
	f, err := render(outname.Skeleton(p.Name), jf)
	f.once = true
	return f, err
}

// skeletonProcessID is processtest.DefaultID, the process id of the
// skeleton's cases.
const skeletonProcessID = "p-1"

// zeroInput is an input's zero value, as the skeleton writes it.
func (pg *procGen) zeroInput(in *dsl.Input) jen.Code { return jen.Id(pg.inputType(in)).Values() }

// inputPaths returns, for every state the initial one reaches, the inputs
// of a shortest path to it.
func (pg *procGen) inputPaths() map[*dsl.State][]*dsl.Input {
	p := pg.p
	paths := map[*dsl.State][]*dsl.Input{p.Initial: nil}
	queue := []*dsl.State{p.Initial}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, r := range p.Reactions {
			for _, b := range r.Branches {
				for _, from := range b.From {
					if from != s {
						continue
					}
					if _, ok := paths[b.To]; !ok {
						paths[b.To] = append(append([]*dsl.Input(nil), paths[s]...), r.Input)
						queue = append(queue, b.To)
					}
				}
			}
		}
	}
	return paths
}
