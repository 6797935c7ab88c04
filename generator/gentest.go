package generator

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/outname"
)

// genTestFile emits <aggregate>_gen_test.go, regenerated every time: every
// state is named as declared, every undeclared (state, command) pair is
// rejected, every event that does not apply to a state is rejected, every
// generated evolution keeps what it promises (estest.CheckEvolutions on
// the table of every evolution, which the skeleton's hook test uses for
// the user's hooks), every old event version
// upcasts to the expected newest value (hooks through a recording fake),
// every event and state round-trips through its codec with the bytes
// encoding/json writes, and unknown or corrupt payloads fail typed.
func (ag *aggGen) genTestFile() (unformatted, error) {
	jf := ag.newFile(true)
	if !ag.a.Eventual {
		ag.testStateName(jf)
		ag.testInvalidTransitions(jf)
		ag.testBranchGuards(jf)
		ag.evolutionCases(jf)
		ag.testEvolve(jf)
		if len(ag.a.Timers) > 0 {
			ag.testTimers(jf)
		}
		ag.testStateCodec(jf)
	}
	ag.testEventCodec(jf)
	ag.testUpcasts(jf)
	if !ag.a.Eventual && ag.p.needUpcaster {
		ag.upcastHookCases(jf)
	}
	return render(outname.GenTest(ag.a.Name), jf)
}

func tParam() jen.Code { return jen.Id("t").Op("*").Qual("testing", "T") }

func tctx() jen.Code { return jen.Id("t").Dot("Context").Call() }

// nilHooks are the arguments of NewDefinition in tests that must never
// reach user code.
func (ag *aggGen) nilHooks() []jen.Code {
	args := []jen.Code{jen.Nil()}
	if ag.p.needEvolver {
		args = append(args, jen.Nil())
	}
	if ag.p.needUpcaster {
		args = append(args, jen.Nil())
	}
	return args
}

// namedTable is a literal []struct{name string; v T}{...}.
func namedTable(elemType jen.Code, rows []jen.Code) jen.Code {
	return jen.Index().Struct(jen.Id("name").String(), jen.Id("v").Add(elemType)).Add(keyed(rows...))
}

// testStateName checks <Agg>StateName on every state, against the
// declared name and the name <Agg>Machine gives it, and on nil.
func (ag *aggGen) testStateName(jf *jen.File) {
	a := ag.a
	fn := goname.StateName(a.Name)
	var rows []jen.Code
	for _, s := range a.States {
		rows = append(rows, jen.Values(jen.Id(goname.Exported(s.Name)).Values(), jen.Lit(s.Name)))
	}
	name := "Test" + ag.p.name + "StateName"
	jf.Add(comment(wrap(fmt.Sprintf("%s checks that %s names every state as declared and as %s does, and a nil state \"\".",
		name, fn, goname.Machine(a.Name)))))
	jf.Func().Id(name).Params(tParam()).Block(
		jen.Id("states").Op(":=").Id(goname.Machine(a.Name)).Call().Dot("States"),
		jen.Id("tests").Op(":=").Index().Struct(jen.Id("s").Id(goname.StateInterface(a.Name)), jen.Id("want").String()).Add(keyed(rows...)),
		jen.If(jen.Len(jen.Id("tests")).Op("!=").Len(jen.Id("states"))).Block(
			jen.Id("t").Dot("Fatalf").Call(jen.Lit(fmt.Sprintf("%%d states tested, %s has %%d", goname.Machine(a.Name))), jen.Len(jen.Id("tests")), jen.Len(jen.Id("states")))),
		jen.For(jen.List(jen.Id("i"), jen.Id("tt")).Op(":=").Range().Id("tests")).Block(
			jen.If(jen.Id("got").Op(":=").Id(fn).Call(jen.Id("tt").Dot("s")), jen.Id("got").Op("!=").Id("tt").Dot("want").Op("||").Id("got").Op("!=").Id("states").Index(jen.Id("i")).Dot("Name")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit(fn+"(%T) = %q, want %q (the machine's state %q)"), jen.Id("tt").Dot("s"), jen.Id("got"), jen.Id("tt").Dot("want"), jen.Id("states").Index(jen.Id("i")).Dot("Name"))),
		),
		jen.If(jen.Id("got").Op(":=").Id(fn).Call(jen.Nil()), jen.Id("got").Op("!=").Lit("")).Block(
			jen.Id("t").Dot("Errorf").Call(jen.Lit(fn+"(nil) = %q, want \"\""), jen.Id("got"))),
	)
}

func (ag *aggGen) testInvalidTransitions(jf *jen.File) {
	a := ag.a
	state, cmd := goname.StateInterface(a.Name), goname.CommandInterface(a.Name)
	var states, commands []jen.Code
	for _, s := range a.States {
		states = append(states, jen.Values(jen.Lit(s.Name), jen.Id(goname.Exported(s.Name)).Values()))
	}
	for _, c := range a.Commands {
		commands = append(commands, jen.Values(jen.Lit(c.Name), jen.Id(goname.Exported(c.Name)).Values()))
	}
	declared := map[[2]string]bool{}
	for _, d := range ag.p.decisions {
		for _, s := range d.sources {
			declared[[2]string{s.Name, d.cmd.Name}] = true
		}
	}
	rejected := len(a.States)*len(a.Commands) - len(declared)
	name := "Test" + ag.p.name + "InvalidTransitions"
	jf.Add(comment(wrap(fmt.Sprintf("%s checks that Decide rejects each of the %d (state, command) pairs the machine does not declare "+
		"with an *es.InvalidTransitionError naming both, without consulting the decider (it is nil here).", name, rejected))))
	jf.Func().Id(name).Params(tParam()).Block(
		jen.Id("def").Op(":=").Id(goname.Definition(a.Name)).Call(ag.nilHooks()...),
		jen.Id("declared").Op(":=").Map(jen.Index(jen.Lit(2)).String()).Bool().Values(),
		jen.For(jen.List(jen.Id("_"), jen.Id("tr")).Op(":=").Range().Id(goname.Machine(a.Name)).Call().Dot("Transitions")).Block(
			jen.Id("declared").Index(jen.Index(jen.Lit(2)).String().Values(jen.Id("tr").Dot("From"), jen.Id("tr").Dot("Command"))).Op("=").True()),
		jen.Id("rejected").Op(":=").Lit(0),
		jen.For(jen.List(jen.Id("_"), jen.Id("s")).Op(":=").Range().Add(namedTable(jen.Id(state), states))).Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Add(namedTable(jen.Id(cmd), commands))).Block(
				jen.If(jen.Id("declared").Index(jen.Index(jen.Lit(2)).String().Values(jen.Id("s").Dot("name"), jen.Id("c").Dot("name")))).Block(jen.Continue()),
				jen.Id("rejected").Op("++"),
				jen.List(jen.Id("events"), jen.Err()).Op(":=").Id("def").Dot("Decide").Call(tctx(), jen.Id("s").Dot("v"), jen.Id("c").Dot("v"), jen.Nil()),
				jen.Var().Id("ite").Op("*").Qual(pathES, "InvalidTransitionError"),
				jen.If(jen.Op("!").Qual("errors", "Is").Call(jen.Err(), jen.Qual(pathES, "ErrInvalidTransition")).Op("||").
					Op("!").Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("ite"))).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("Decide(%s, %s) = %v, want an *es.InvalidTransitionError"), jen.Id("s").Dot("name"), jen.Id("c").Dot("name"), jen.Err()),
					jen.Continue(),
				),
				jen.If(jen.Id("ite").Dot("Aggregate").Op("!=").Lit(a.Name).Op("||").Id("ite").Dot("State").Op("!=").Id("s").Dot("name").Op("||").
					Id("ite").Dot("Command").Op("!=").Id("c").Dot("name").Op("||").Id("ite").Dot("Branch").Op("!=").Lit("")).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("Decide(%s, %s) names %+v"), jen.Id("s").Dot("name"), jen.Id("c").Dot("name"), jen.Op("*").Id("ite"))),
				jen.If(jen.Id("events").Op("!=").Nil()).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("Decide(%s, %s) emitted %v with its error"), jen.Id("s").Dot("name"), jen.Id("c").Dot("name"), jen.Id("events"))),
			),
		),
		jen.If(jen.Id("rejected").Op("!=").Lit(rejected)).Block(
			jen.Id("t").Dot("Errorf").Call(jen.Lit(fmt.Sprintf("%%d pairs rejected, want %d", rejected)), jen.Id("rejected"))),
	)
}

// seeds of the samples of generated tests, so that the values of a state,
// an event and a hook's result never coincide by accident.
const (
	seedState = 1
	seedEvent = 40
	seedOld   = 70
	seedHook  = 100
)

// evolutionCases emits <agg>Evolutions, the table of every evolution with
// values to check it on (estest.Evolution): the generated Evolve test checks
// the generated ones, the skeleton's hook test the user's hooks.
func (ag *aggGen) evolutionCases(jf *jen.File) {
	a := ag.a
	state, event := goname.StateInterface(a.Name), goname.EventInterface(a.Name)
	typ := jen.Qual(pathESTest, "Evolution").Types(jen.Id(state), jen.Id(event))
	var rows []jen.Code
	for _, e := range ag.p.evolutions {
		rows = append(rows, ag.evolutionCase(e))
	}
	name := goname.EvolutionCases(a.Name)
	jf.Add(comment(wrap(fmt.Sprintf("%s returns every (state, event) pair the %s machine evolves, with values to check it on: "+
		"the fields of each event that must reach the new state, those %s drops, and the fields the new state carries over.",
		name, ag.p.name, ag.sourceName()))))
	jf.Func().Id(name).Params().Index().Add(typ).Block(jen.Return(jen.Index().Add(typ).Add(keyed(rows...))))
}

// evolutionCase is the estest.Evolution literal of one evolution.
func (ag *aggGen) evolutionCase(e *evolution) jen.Code {
	a := ag.a
	state, event := goname.StateInterface(a.Name), goname.EventInterface(a.Name)
	evFields := e.Event.Latest().Fields
	fromType, evType := goname.Exported(e.From.Name), goname.Exported(e.Event.Name)
	fields := []jen.Code{
		field("State", jen.Lit(e.From.Name)),
		field("Event", jen.Lit(e.Event.Name)),
		field("NewState", jen.Func().Params().Id(state).Block(jen.Return(ag.sampleStruct(fromType, e.From.Fields, seedState)))),
		field("NewEvent", jen.Func().Params().Id(event).Block(jen.Return(ag.sampleStruct(evType, evFields, seedEvent)))),
		field("To", jen.Lit(e.To.Name)),
	}
	if e.hook != "" {
		fields = append(fields, field("Hook", jen.Lit(e.hook)))
	}
	if e.Unchanged {
		fields = append(fields, field("Unchanged", jen.True()))
	}
	var zero []jen.Code
	for _, f := range e.Zero {
		zero = append(zero, jen.Lit(goname.Exported(f.Name)))
	}
	if len(zero) > 0 {
		fields = append(fields, field("Zero", jen.Index().String().Values(zero...)))
	}
	change := jen.Qual(pathESTest, "Change").Types(jen.Id(state), jen.Id(event))
	var changes []jen.Code
	dropped := map[*dsl.Field]bool{}
	for _, f := range e.Dropped {
		dropped[f] = true
	}
	for _, f := range evFields {
		if dropped[f] && e.hook != "" {
			continue // the hook may use it or not
		}
		ch := []jen.Code{field("Field", jen.Lit(f.Name)), field("GoName", jen.Lit(goname.Exported(f.Name)))}
		if perturbable(f.Type, 0) {
			ch = append(ch, field("Event", ag.changedStruct(evType, evFields, seedEvent, f)))
		} else {
			ch = append(ch, field("Fill", jen.True()))
		}
		if dropped[f] {
			ch = append(ch, field("Same", jen.True()))
		}
		changes = append(changes, jen.Values(ch...))
	}
	for _, f := range ag.keptFields(e) {
		ch := []jen.Code{field("Field", jen.Lit(f.Name)), field("GoName", jen.Lit(goname.Exported(f.Name))), field("InState", jen.True())}
		if perturbable(f.Type, 0) {
			ch = append(ch, field("State", ag.changedStruct(fromType, e.From.Fields, seedState, f)))
		} else {
			ch = append(ch, field("Fill", jen.True()))
		}
		changes = append(changes, jen.Values(ch...))
	}
	if len(changes) > 0 {
		fields = append(fields, field("Changes", jen.Index().Add(change).Add(keyed(changes...))))
	}
	return keyed(fields...)
}

// keptFields are the fields of the state an evolution leaves that its new
// state must keep: for a generated evolution, those it carries over; for a
// hook, every field the new state has too (same name and type), but those
// declared zero or replaced (set), and, when the event leads to another
// state, those a field of the event of the same name and type sets: the
// hook must carry their value over or compute from it, so that changing
// it alone changes the new state.
func (ag *aggGen) keptFields(e *evolution) []*dsl.Field {
	var out []*dsl.Field
	if e.hook == "" {
		for _, fs := range e.Fields {
			if fs.Origin == dsl.FromState {
				out = append(out, fs.From)
			}
		}
		return out
	}
	for _, f := range e.From.Fields {
		g := fieldWithType(e.To.Fields, f)
		if g == nil || slices.Contains(e.Zero, g) || slices.Contains(e.Replaced, g) {
			continue
		}
		if e.From != e.To {
			if ef := fieldWithType(e.Event.Latest().Fields, g); ef != nil && !slices.Contains(e.Dropped, ef) {
				continue // the event's value is the new state's
			}
		}
		out = append(out, f)
	}
	return out
}

// fieldWithType returns the field of fields with f's name and type, or nil.
func fieldWithType(fields []*dsl.Field, f *dsl.Field) *dsl.Field {
	for _, g := range fields {
		if g.Name == f.Name && g.Type != nil && f.Type != nil && g.Type.String() == f.Type.String() {
			return g
		}
	}
	return nil
}

// sourceName is the .esm file the aggregate is declared in, without its
// directory.
func (ag *aggGen) sourceName() string { return filepath.Base(ag.a.Pos.Filename) }

func (ag *aggGen) testEvolve(jf *jen.File) {
	a := ag.a
	state, event := goname.StateInterface(a.Name), goname.EventInterface(a.Name)
	generated := 0
	for _, e := range ag.p.evolutions {
		if e.hook == "" {
			generated++
		}
	}
	name := "Test" + ag.p.name + "Evolve"
	// The evolutions are the declared (state, event) pairs, each once.
	invalid := len(a.States)*len(a.Events) - len(ag.p.evolutions)
	var states, events []jen.Code
	for _, s := range a.States {
		states = append(states, jen.Values(jen.Lit(s.Name), jen.Id(goname.Exported(s.Name)).Values()))
	}
	for _, e := range a.Events {
		events = append(events, jen.Values(jen.Lit(e.Name), jen.Id(goname.Exported(e.Name)).Values()))
	}
	var declaredRows []jen.Code
	for _, e := range ag.p.evolutions {
		declaredRows = append(declaredRows, jen.Values(jen.Lit(e.From.Name), jen.Lit(e.Event.Name)).Op(":").True())
	}
	rejects := fmt.Sprintf("each of the %d (state, event) pairs the machine cannot produce fails with an *es.InvalidEvolutionError", invalid)
	if invalid == 0 {
		rejects = "the machine produces every (state, event) pair"
	}
	text := fmt.Sprintf("%s checks that %s.", name, rejects)
	if generated > 0 {
		text = fmt.Sprintf("%s checks what each generated evolution promises (estest.CheckEvolutions): every field of the event that %s does not drop "+
			"reaches the new state, every other field of the new state is carried over from the state left or declared zero, "+
			"and Evolve is pure; and that %s.", name, ag.sourceName(), rejects)
	}
	jf.Add(comment(wrap(text)))
	body := []jen.Code{jen.Id("def").Op(":=").Id(goname.Definition(a.Name)).Call(ag.nilHooks()...)}
	if generated > 0 {
		body = append(body, jen.Qual(pathESTest, "CheckEvolutions").Call(jen.Id("t"), jen.Id("def"), jen.Id(goname.StateName(a.Name)), jen.Id(goname.EvolutionCases(a.Name)).Call(), jen.False()))
	}
	body = append(body,
		jen.Id("declared").Op(":=").Map(jen.Index(jen.Lit(2)).String()).Bool().Add(keyed(declaredRows...)),
		jen.Id("rejected").Op(":=").Lit(0),
		jen.For(jen.List(jen.Id("_"), jen.Id("s")).Op(":=").Range().Add(namedTable(jen.Id(state), states))).Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Add(namedTable(jen.Id(event), events))).Block(
				jen.If(jen.Id("declared").Index(jen.Index(jen.Lit(2)).String().Values(jen.Id("s").Dot("name"), jen.Id("e").Dot("name")))).Block(jen.Continue()),
				jen.Id("rejected").Op("++"),
				jen.List(jen.Id("got"), jen.Err()).Op(":=").Id("def").Dot("Evolve").Call(jen.Id("s").Dot("v"), jen.Id("e").Dot("v")),
				jen.Var().Id("iee").Op("*").Qual(pathES, "InvalidEvolutionError"),
				jen.If(jen.Op("!").Qual("errors", "Is").Call(jen.Err(), jen.Qual(pathES, "ErrInvalidEvolution")).Op("||").
					Op("!").Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("iee")).Op("||").
					Id("iee").Dot("State").Op("!=").Id("s").Dot("name").Op("||").Id("iee").Dot("Event").Op("!=").Id("e").Dot("name").Op("||").
					Id("got").Op("!=").Nil()).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("Evolve(%s, %s) = %v, %v; want an *es.InvalidEvolutionError naming both"),
						jen.Id("s").Dot("name"), jen.Id("e").Dot("name"), jen.Id("got"), jen.Err())),
			),
		),
		jen.If(jen.Id("rejected").Op("!=").Lit(invalid)).Block(
			jen.Id("t").Dot("Errorf").Call(jen.Lit(fmt.Sprintf("%%d pairs rejected, want %d", invalid)), jen.Id("rejected"))),
	)
	jf.Func().Id(name).Params(tParam()).Block(body...)
}

// codecValue is the event codec of tests, with the recording upcaster when
// the aggregate has hooks.
func (ag *aggGen) testCodecValue(up jen.Code) jen.Code {
	if ag.p.needUpcaster && up != nil {
		return jen.Id("New" + goname.EventCodec(ag.a.Name)).Call(up)
	}
	return jen.Id(goname.EventCodec(ag.a.Name)).Values()
}

func (ag *aggGen) recorderType() string { return goname.RecordingUpcaster(ag.a.Name) }

func (ag *aggGen) testEventCodec(jf *jen.File) {
	a := ag.a
	event := goname.EventInterface(a.Name)
	var rows []jen.Code
	for _, e := range a.Events {
		rows = append(rows, jen.Values(jen.Lit(e.Latest().Number), ag.sampleStruct(goname.Exported(e.Name), e.Latest().Fields, seedEvent)))
	}
	name := "Test" + ag.p.name + "EventCodec"
	jf.Add(comment(wrap(fmt.Sprintf("%s checks that every event is encoded in its newest schema version as encoding/json would encode it, "+
		"and decodes to the same value; and that unknown types and versions and corrupt payloads fail with typed errors.", name))))
	unknown := "Unknown" + goname.Exported(a.Name) + "Event"
	for slices.ContainsFunc(a.Events, func(e *dsl.Event) bool { return e.Name == unknown }) {
		unknown += "X"
	}
	up := jen.Op("&").Id(ag.recorderType()).Values()
	failures := []jen.Code{jen.Values(jen.Lit(unknown), jen.Lit(1), jen.Lit("{}"), jen.Qual(pathES, "ErrUnknownEventType"))}
	if len(a.Events) > 0 {
		first := a.Events[0]
		failures = append(failures,
			jen.Values(jen.Lit(first.Name), jen.Lit(first.Latest().Number+1), jen.Lit("{}"), jen.Qual(pathES, "ErrUnknownSchemaVersion")),
			jen.Values(jen.Lit(first.Name), jen.Lit(0), jen.Lit("{}"), jen.Qual(pathES, "ErrUnknownSchemaVersion")),
			jen.Values(jen.Lit(first.Name), jen.Lit(first.Latest().Number), rawLit(`{"`), jen.Qual(pathES, "ErrCorruptEvent")),
			jen.Values(jen.Lit(first.Name), jen.Lit(first.Latest().Number), rawLit(`[]`), jen.Qual(pathES, "ErrCorruptEvent")),
			jen.Values(jen.Lit(first.Name), jen.Lit(first.Latest().Number), rawLit(`{} {}`), jen.Qual(pathES, "ErrCorruptEvent")),
		)
	}
	body := []jen.Code{jen.Id("codec").Op(":=").Add(ag.testCodecValue(up))}
	if len(rows) > 0 {
		body = append(body, jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Index().Struct(
			jen.Id("version").Int(), jen.Id("event").Id(event),
		).Add(keyed(rows...))).Block(
			jen.List(jen.Id("raw"), jen.Err()).Op(":=").Id("codec").Dot("Encode").Call(jen.Nil(), jen.Id("tt").Dot("event")),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("Encode(%#v): %v"), jen.Id("tt").Dot("event"), jen.Err()),
				jen.Continue()),
			jen.If(jen.Id("raw").Dot("Type").Op("!=").Id("tt").Dot("event").Dot(ag.eventMarker()).Call().Op("||").Id("raw").Dot("SchemaVersion").Op("!=").Id("tt").Dot("version")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("Encode(%#v) = type %s version %d, want %s version %d"), jen.Id("tt").Dot("event"),
					jen.Id("raw").Dot("Type"), jen.Id("raw").Dot("SchemaVersion"), jen.Id("tt").Dot("event").Dot(ag.eventMarker()).Call(), jen.Id("tt").Dot("version"))),
			jen.If(jen.List(jen.Id("want"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("tt").Dot("event")),
				jen.Err().Op("!=").Nil().Op("||").String().Call(jen.Id("want")).Op("!=").String().Call(jen.Id("raw").Dot("Data"))).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("Encode(%#v) = %s, encoding/json writes %s (%v)"), jen.Id("tt").Dot("event"), jen.Id("raw").Dot("Data"), jen.Id("want"), jen.Err())),
			jen.List(jen.Id("got"), jen.Err()).Op(":=").Id("codec").Dot("Decode").Call(jen.Id("raw").Dot("Type"), jen.Id("raw").Dot("SchemaVersion"), jen.Id("raw").Dot("Data")),
			jen.If(jen.Err().Op("!=").Nil().Op("||").Op("!").Qual("reflect", "DeepEqual").Call(jen.Id("got"), jen.Id("tt").Dot("event"))).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("Decode(Encode(%#v)) = %#v, %v"), jen.Id("tt").Dot("event"), jen.Id("got"), jen.Err())),
		))
	}
	body = append(body, jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Index().Struct(
		jen.Id("eventType").String(), jen.Id("version").Int(), jen.Id("data").String(), jen.Id("want").Error(),
	).Add(keyed(failures...))).Block(
		jen.List(jen.Id("got"), jen.Err()).Op(":=").Id("codec").Dot("Decode").Call(jen.Id("tt").Dot("eventType"), jen.Id("tt").Dot("version"), jen.Index().Byte().Call(jen.Id("tt").Dot("data"))),
		jen.Var().Id("de").Op("*").Qual(pathES, "DecodeError"),
		jen.If(jen.Op("!").Qual("errors", "Is").Call(jen.Err(), jen.Id("tt").Dot("want")).Op("||").Op("!").Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("de")).Op("||").Id("got").Op("!=").Nil()).Block(
			jen.Id("t").Dot("Errorf").Call(jen.Lit("Decode(%s, %d, %s) = %v, %v; want an *es.DecodeError matching %v"),
				jen.Id("tt").Dot("eventType"), jen.Id("tt").Dot("version"), jen.Id("tt").Dot("data"), jen.Id("got"), jen.Err(), jen.Id("tt").Dot("want"))),
	))
	jf.Func().Id(name).Params(tParam()).Block(body...)
	if ag.p.needUpcaster {
		ag.recorder(jf)
	}
}

// hookResult is the fixed value the recording upcaster returns for a hook
// step.
func (ag *aggGen) hookResult(c *eventChain, st *upcastStep) *jen.Statement {
	return ag.sampleStruct(versionType(c.event, st.to), st.to.Fields, seedHook+st.from.Number)
}

func (ag *aggGen) recorder(jf *jen.File) {
	name := ag.recorderType()
	jf.Add(comment(wrap(fmt.Sprintf("%s is the %s of the generated tests: each hook records its argument and returns a fixed value.",
		name, goname.Upcaster(ag.a.Name)))))
	jf.Type().Id(name).Struct(jen.Id("calls").Index().Any())
	for _, c := range ag.p.upcasts {
		for _, st := range c.steps {
			if st.hook == "" {
				continue
			}
			jf.Func().Params(jen.Id("u").Op("*").Id(name)).Id(st.hook).Params(jen.Id("old").Id(versionType(c.event, st.from))).Id(versionType(c.event, st.to)).Block(
				jen.Id("u").Dot("calls").Op("=").Append(jen.Id("u").Dot("calls"), jen.Id("old")),
				jen.Return(ag.hookResult(c, st)),
			)
		}
	}
}

// fieldExprs are the expressions of a struct's fields during the upcast
// simulation, by field name; a missing name is the zero value.
type fieldExprs map[string]jen.Code

func (fe fieldExprs) literal(typeName string, fields []*dsl.Field) *jen.Statement {
	var out []jen.Code
	for _, f := range fields {
		if v := fe[f.Name]; v != nil {
			out = append(out, field(goname.Exported(f.Name), v))
		}
	}
	return jen.Id(typeName).Values(out...)
}

func (ag *aggGen) testUpcasts(jf *jen.File) {
	var rows []jen.Code
	for _, c := range ag.p.upcasts {
		for i, v := range c.event.Versions[:len(c.event.Versions)-1] {
			// Simulate the chain from version v on its sample.
			cur := fieldExprs{}
			for j, f := range v.Fields {
				cur[f.Name] = ag.fieldSample(f, seedOld, j, 0)
			}
			old := cur.literal(versionType(c.event, v), v.Fields)
			var calls []jen.Code
			for _, st := range c.steps[i:] {
				next := fieldExprs{}
				if st.hook != "" {
					calls = append(calls, cur.literal(versionType(c.event, st.from), st.from.Fields))
					for j, f := range st.to.Fields {
						next[f.Name] = ag.fieldSample(f, seedHook+st.from.Number, j, 0)
					}
				} else {
					for _, uf := range st.fields {
						switch {
						case uf.old != nil:
							next[uf.field.Name] = cur[uf.old.Name]
						case uf.field.Default != nil:
							next[uf.field.Name] = jen.Op(uf.field.Default.Text)
						}
					}
				}
				cur = next
			}
			latest := c.event.Latest()
			row := []jen.Code{
				jen.Lit(fmt.Sprintf("%s/v%d", c.event.Name, v.Number)), jen.Lit(c.event.Name), jen.Lit(v.Number), old,
				cur.literal(goname.Exported(c.event.Name), latest.Fields),
			}
			if ag.p.needUpcaster {
				if len(calls) > 0 {
					row = append(row, jen.Index().Any().Values(calls...))
				} else {
					row = append(row, jen.Nil())
				}
			}
			rows = append(rows, jen.Values(row...))
		}
	}
	if len(rows) == 0 {
		return
	}
	name := "Test" + ag.p.name + "Upcasts"
	text := fmt.Sprintf("%s checks every upcast chain: a payload of each old schema version decodes to the newest version, "+
		"with the defaults the .esm file declares", name)
	if ag.p.needUpcaster {
		text += " and the hooks called with the expected values"
	}
	jf.Add(comment(wrap(text + ".")))
	cols := []jen.Code{jen.Id("name").String(), jen.Id("eventType").String(), jen.Id("version").Int(), jen.Id("old").Any(), jen.Id("want").Id(goname.EventInterface(ag.a.Name))}
	if ag.p.needUpcaster {
		cols = append(cols, jen.Id("calls").Index().Any())
	}
	var setup, check []jen.Code
	codec := ag.testCodecValue(nil)
	if ag.p.needUpcaster {
		setup = []jen.Code{jen.Id("up").Op(":=").Op("&").Id(ag.recorderType()).Values()}
		codec = ag.testCodecValue(jen.Id("up"))
		check = []jen.Code{jen.If(jen.Op("!").Qual("reflect", "DeepEqual").Call(jen.Id("up").Dot("calls"), jen.Id("tt").Dot("calls"))).Block(
			jen.Id("t").Dot("Errorf").Call(jen.Lit("hooks called with %#v, want %#v"), jen.Id("up").Dot("calls"), jen.Id("tt").Dot("calls")))}
	}
	run := append(setup,
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("tt").Dot("old")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
		jen.List(jen.Id("got"), jen.Err()).Op(":=").Add(codec).Dot("Decode").Call(jen.Id("tt").Dot("eventType"), jen.Id("tt").Dot("version"), jen.Id("data")),
		jen.If(jen.Err().Op("!=").Nil().Op("||").Op("!").Qual("reflect", "DeepEqual").Call(jen.Id("got"), jen.Id("tt").Dot("want"))).Block(
			jen.Id("t").Dot("Errorf").Call(jen.Lit("Decode(%s) = %#v, %v; want %#v"), jen.Id("data"), jen.Id("got"), jen.Err(), jen.Id("tt").Dot("want"))),
	)
	run = append(run, check...)
	jf.Func().Id(name).Params(tParam()).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Index().Struct(cols...).Add(keyed(rows...))).Block(
			jen.Id("t").Dot("Run").Call(jen.Id("tt").Dot("name"), jen.Func().Params(tParam()).Block(run...)),
		),
	)
}

func (ag *aggGen) testStateCodec(jf *jen.File) {
	a := ag.a
	var rows []jen.Code
	for _, s := range a.States {
		rows = append(rows, ag.sampleStruct(goname.Exported(s.Name), s.Fields, seedState))
	}
	name := "Test" + ag.p.name + "StateCodec"
	jf.Add(comment(wrap(fmt.Sprintf("%s checks that every state survives a snapshot: encoded, then decoded to the same value.", name))))
	jf.Func().Id(name).Params(tParam()).Block(
		jen.Var().Id("codec").Id(goname.StateCodec(a.Name)),
		jen.For(jen.List(jen.Id("_"), jen.Id("s")).Op(":=").Range().Index().Id(goname.StateInterface(a.Name)).Add(keyed(rows...))).Block(
			jen.List(jen.Id("data"), jen.Err()).Op(":=").Id("codec").Dot("EncodeState").Call(jen.Id("s")),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("EncodeState(%#v): %v"), jen.Id("s"), jen.Err()),
				jen.Continue()),
			jen.List(jen.Id("got"), jen.Err()).Op(":=").Id("codec").Dot("DecodeState").Call(jen.Id("data")),
			jen.If(jen.Err().Op("!=").Nil().Op("||").Op("!").Qual("reflect", "DeepEqual").Call(jen.Id("got"), jen.Id("s"))).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("DecodeState(%s) = %#v, %v; want %#v"), jen.Id("data"), jen.Id("got"), jen.Err(), jen.Id("s"))),
		),
		jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("codec").Dot("DecodeState").Call(jen.Index().Byte().Call(rawLit(`{"state":"`+unknownState(a)+`","data":{}}`))), jen.Err().Op("==").Nil()).Block(
			jen.Id("t").Dot("Error").Call(jen.Lit("DecodeState of an unknown state succeeded"))),
	)
}

func unknownState(a *dsl.Aggregate) string {
	name := "Unknown" + goname.Exported(a.Name) + "State"
	for slices.ContainsFunc(a.States, func(s *dsl.State) bool { return s.Name == name }) {
		name += "X"
	}
	return name
}

// testBranchGuards checks the branches that start in fewer states than
// their command accepts: taken in another of those states, Decide rejects
// them with an *es.InvalidTransitionError naming the branch's target; taken
// in one of their own, Decide returns their events.
func (ag *aggGen) testBranchGuards(jf *jen.File) {
	a := ag.a
	var rows []jen.Code
	for _, d := range ag.p.decisions {
		for _, b := range d.branches {
			if !b.guarded {
				continue
			}
			// One state the branch starts in, and one it does not.
			outside := d.sources[slices.IndexFunc(d.sources, func(s *dsl.State) bool { return !slices.Contains(b.from, s) })]
			for _, s := range []*dsl.State{b.from[0], outside} {
				target := b.to.Name
				if s == b.from[0] {
					target = ""
				}
				rows = append(rows, jen.Values(
					jen.Lit(s.Name), jen.Id(goname.Exported(s.Name)).Values(),
					jen.Lit(d.cmd.Name), jen.Id(goname.Exported(d.cmd.Name)).Values(),
					jen.Lit(b.typeName), jen.Id(b.typeName).Call(zeroEvents(b)...), jen.Lit(target), jen.Lit(len(b.emits)),
				))
			}
		}
	}
	if len(rows) == 0 {
		return
	}
	stub := goname.BranchStub(a.Name)
	name := "Test" + ag.p.name + "BranchGuards"
	jf.Add(comment(wrap(fmt.Sprintf("%s is the %s of %s: every decision returns the branch it holds.", stub, goname.Decider(a.Name), name))))
	jf.Type().Id(stub).Struct(jen.Id("branch").Any())
	for _, d := range ag.p.decisions {
		recv := jen.Id(stub)
		var body jen.Code
		switch d.result() {
		case resultNone:
			body = jen.Return(jen.Nil())
		case resultEvent:
			body = jen.Return(jen.Id(goname.Exported(d.branches[0].emits[0].Name)).Values(), jen.Nil())
		case resultEmitted:
			body = jen.Return(jen.Id(goname.Emitted(d.cmd.Name)).Values(), jen.Nil())
		case resultOutcome:
			recv = jen.Id("d").Id(stub)
			body = jen.Return(jen.Id("d").Dot("branch").Assert(jen.Id(goname.Outcome(d.cmd.Name))), jen.Nil())
		}
		jf.Func().Params(recv).Add(ag.deciderMethod(d)).Add(oneLine(body))
	}
	jf.Add(comment(wrap(fmt.Sprintf("%s checks that a branch taken in a state it does not start in is rejected with an "+
		"*es.InvalidTransitionError naming its target, and that it is accepted in the states it starts in.", name))))
	jf.Func().Id(name).Params(tParam()).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Index().Struct(
			jen.Id("stateName").String(), jen.Id("state").Id(goname.StateInterface(a.Name)),
			jen.Id("commandName").String(), jen.Id("command").Id(goname.CommandInterface(a.Name)),
			jen.Id("branchName").String(), jen.Id("branch").Any(), jen.Id("rejectedTo").String(), jen.Id("events").Int(),
		).Add(keyed(rows...))).Block(
			jen.Id("def").Op(":=").Id(goname.Definition(a.Name)).Call(append([]jen.Code{jen.Id(stub).Values(jen.Id("tt").Dot("branch"))}, ag.nilHooks()[1:]...)...),
			jen.List(jen.Id("events"), jen.Err()).Op(":=").Id("def").Dot("Decide").Call(tctx(), jen.Id("tt").Dot("state"), jen.Id("tt").Dot("command"), jen.Nil()),
			jen.If(jen.Id("tt").Dot("rejectedTo").Op("==").Lit("")).Block(
				jen.If(jen.Err().Op("!=").Nil().Op("||").Len(jen.Id("events")).Op("!=").Id("tt").Dot("events")).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("%s in %s taking %s = %v, %v; want %d events"),
						jen.Id("tt").Dot("commandName"), jen.Id("tt").Dot("stateName"), jen.Id("tt").Dot("branchName"), jen.Id("events"), jen.Err(), jen.Id("tt").Dot("events"))),
				jen.Continue(),
			),
			jen.Var().Id("ite").Op("*").Qual(pathES, "InvalidTransitionError"),
			jen.If(jen.Op("!").Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("ite")).Op("||").
				Id("ite").Dot("State").Op("!=").Id("tt").Dot("stateName").Op("||").Id("ite").Dot("Command").Op("!=").Id("tt").Dot("commandName").Op("||").
				Id("ite").Dot("Branch").Op("!=").Id("tt").Dot("rejectedTo").Op("||").Id("events").Op("!=").Nil()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s in %s taking %s = %v, %v; want an *es.InvalidTransitionError naming branch %s"),
					jen.Id("tt").Dot("commandName"), jen.Id("tt").Dot("stateName"), jen.Id("tt").Dot("branchName"), jen.Id("events"), jen.Err(), jen.Id("tt").Dot("rejectedTo"))),
		),
	)
}

// zeroEvents are the zero values of the events of branch b, in order.
func zeroEvents(b *branch) []jen.Code {
	out := make([]jen.Code, len(b.emits))
	for i, e := range b.emits {
		out[i] = jen.Id(goname.Exported(e.Name)).Values()
	}
	return out
}

// testTimers emits Test<Agg>Timers: the timers process follows the
// aggregate's state by its events, and each timer sends its command, with
// the .esm's values, in its state and in no other.
func (ag *aggGen) testTimers(jf *jen.File) {
	a := ag.a
	name := "Test" + ag.p.name + "Timers"
	input := ag.p.name + "TimersInput"
	jf.Add(comment(wrap(fmt.Sprintf("%s checks the process that runs the timers of %s: it follows the aggregate's state by its events, "+
		"and each timer sends its command, with the values %s gives it, in the state it waits in and in no other.", name, ag.p.name, ag.sourceName()))))
	var follows []jen.Code
	for _, e := range a.Evolutions {
		follows = append(follows, jen.Values(jen.Lit(e.From.Name), jen.Lit(e.Event.Name), jen.Lit(e.To.Name)))
	}
	var fires []jen.Code
	for _, t := range a.Timers {
		data := "{}"
		if len(t.Values) > 0 {
			var parts []string
			for _, fv := range t.Values {
				parts = append(parts, strconv.Quote(fv.Field.Name)+":"+fv.Value.Text)
			}
			data = "{" + strings.Join(parts, ",") + "}"
		}
		for _, st := range a.States {
			fires = append(fires, jen.Values(jen.Lit(st.Name), jen.Lit(timerName(t)), jen.Lit(t.Command.Name), jen.Lit(data), jen.Lit(st == t.State)))
		}
	}
	jf.Func().Id(name).Params(tParam()).Block(
		jen.Id("def").Op(":=").Id("New"+ag.p.name+"TimersDefinition").Call(jen.Op("&").Id(goname.Repository(a.Name)).Values(field("repo", jen.Qual(pathES, "NewRepository").Call(jen.Nil(), jen.Id(goname.Definition(a.Name)).Call(ag.nilHooks()...))))).Dot("Machine"),
		jen.Id("ctx").Op(":=").Qual(pathES, "ContextWithRef").Call(tctx(), jen.Qual(pathES, "Ref").Values(field("Type", jen.Lit(diagram.TimersName(a))), field("ID", jen.Lit("id-1")))),
		jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Index().Struct(jen.List(jen.Id("from"), jen.Id("event"), jen.Id("to")).String()).Add(keyed(follows...))).Block(
			jen.List(jen.Id("steps"), jen.Err()).Op(":=").Id("def").Dot("Decide").Call(jen.Id("ctx"), jen.Id("tt").Dot("from"), jen.Id(unexported(a.Name, "timers", "event")).Values(field("Type", jen.Id("tt").Dot("event"))), jen.Nil()),
			jen.If(jen.Err().Op("!=").Nil().Op("||").Len(jen.Id("steps")).Op("!=").Lit(1).Op("||").Id("steps").Index(jen.Lit(0)).Dot("To").Op("!=").Id("tt").Dot("to")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s in %s: %+v, %v; want a step to %s"), jen.Id("tt").Dot("event"), jen.Id("tt").Dot("from"), jen.Id("steps"), jen.Err(), jen.Id("tt").Dot("to"))),
		),
		jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Index().Struct(jen.List(jen.Id("state"), jen.Id("timer"), jen.Id("command"), jen.Id("data")).String(), jen.Id("fires").Bool()).Add(keyed(fires...))).Block(
			jen.List(jen.Id("steps"), jen.Err()).Op(":=").Id("def").Dot("Decide").Call(jen.Id("ctx"), jen.Id("tt").Dot("state"), jen.Id(input).Call(jen.Id(ag.p.name+"TimersFired").Values(field("Timer", jen.Id("tt").Dot("timer")))), jen.Nil()),
			jen.If(jen.Op("!").Id("tt").Dot("fires")).Block(
				jen.If(jen.Op("!").Qual("errors", "Is").Call(jen.Err(), jen.Qual(pathES, "ErrInvalidTransition"))).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("%s fired in %s: %+v, %v; want an invalid transition"), jen.Id("tt").Dot("timer"), jen.Id("tt").Dot("state"), jen.Id("steps"), jen.Err())),
				jen.Continue(),
			),
			jen.If(jen.Err().Op("!=").Nil().Op("||").Len(jen.Id("steps")).Op("!=").Lit(1).Op("||").Len(jen.Id("steps").Index(jen.Lit(0)).Dot("Sends")).Op("!=").Lit(1)).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s fired in %s: %+v, %v; want one command"), jen.Id("tt").Dot("timer"), jen.Id("tt").Dot("state"), jen.Id("steps"), jen.Err()),
				jen.Continue(),
			),
			jen.Id("s").Op(":=").Id("steps").Index(jen.Lit(0)).Dot("Sends").Index(jen.Lit(0)),
			jen.If(jen.Id("s").Dot("Aggregate").Op("!=").Lit(a.Name).Op("||").Id("s").Dot("ID").Op("!=").Lit("id-1").Op("||").Id("s").Dot("Command").Op("!=").Id("tt").Dot("command").Op("||").
				Op("!").Qual(pathProcess, "EqualJSON").Call(jen.Id("s").Dot("Data"), jen.Index().Byte().Call(jen.Id("tt").Dot("data")))).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s fired in %s sends %s %q %s %s; want %s %s"), jen.Id("tt").Dot("timer"), jen.Id("tt").Dot("state"),
					jen.Id("s").Dot("Aggregate"), jen.Id("s").Dot("ID"), jen.Id("s").Dot("Command"), jen.Id("s").Dot("Data"), jen.Id("tt").Dot("command"), jen.Id("tt").Dot("data"))),
		),
	)
}

// carriedFields are the fields of the version an upcast hook reads that
// the version it makes has under the same name and type and that the .esm
// does not drop (upcast: drop f): the hook must carry their values.
func carriedFields(st *upcastStep) []*dsl.Field {
	var out []*dsl.Field
	for _, f := range st.from.Fields {
		if findField(st.to.Fields, f) != nil && !slices.Contains(st.to.Dropped, f) {
			out = append(out, f)
		}
	}
	return out
}

// computedFields are the other fields of the version an upcast hook reads
// that the .esm does not drop: renamed or converted by the version it
// makes, whose fields that replace them the hook must compute from them.
func computedFields(st *upcastStep) []*dsl.Field {
	var out []*dsl.Field
	for _, f := range st.from.Fields {
		if findField(st.to.Fields, f) == nil && !slices.Contains(st.to.Dropped, f) {
			out = append(out, f)
		}
	}
	return out
}

// survives reports whether a value of field f of the version steps[0]
// reads, carried by that step, reaches the newest version through the
// steps after it: each keeps a field of its name and type, and no hook
// among them declares it dropped. A field that does not cannot be seen in
// the decoded event, and the upcast hook test does not check it.
func survives(steps []*upcastStep, f *dsl.Field) bool {
	for _, st := range steps[1:] {
		g := findField(st.from.Fields, f)
		if g == nil || findField(st.to.Fields, g) == nil || st.hook != "" && slices.Contains(st.to.Dropped, g) {
			return false
		}
	}
	return true
}

// allSurvive reports whether every field of fs, fields of the version
// steps[0] makes, reaches the newest version (survives).
func allSurvive(steps []*upcastStep, fs []*dsl.Field) bool {
	for _, f := range fs {
		if !survives(steps, f) {
			return false
		}
	}
	return true
}

// upcastHookCases emits <agg>UpcastHooks, the table of every upcast hook
// with values to check it on (estest.Upcast): the skeleton's upcast hook
// test runs the user's hooks on it.
func (ag *aggGen) upcastHookCases(jf *jen.File) {
	var rows []jen.Code
	for _, c := range ag.p.upcasts {
		for i, st := range c.steps {
			if st.hook == "" {
				continue
			}
			old := versionType(c.event, st.from)
			row := []jen.Code{
				field("Event", jen.Lit(c.event.Name)),
				field("Version", jen.Lit(st.from.Number)),
				field("Hook", jen.Lit(st.hook)),
				field("NewOld", jen.Func().Params().Any().Block(jen.Return(ag.sampleStruct(old, st.from.Fields, seedOld)))),
			}
			var changes []jen.Code
			change := func(f *dsl.Field, computed bool) {
				ch := []jen.Code{field("Field", jen.Lit(f.Name)), field("GoName", jen.Lit(goname.Exported(f.Name)))}
				if perturbable(f.Type, 0) {
					ch = append(ch, field("Old", ag.changedStruct(old, st.from.Fields, seedOld, f)))
				} else {
					ch = append(ch, field("Fill", jen.True()))
				}
				if computed {
					ch = append(ch, field("Computed", jen.True()))
				}
				changes = append(changes, jen.Values(ch...))
			}
			carried, computed := carriedFields(st), computedFields(st)
			for _, f := range st.from.Fields {
				switch {
				case slices.Contains(carried, f):
					if survives(c.steps[i:], f) {
						change(f, false)
					}
				case slices.Contains(computed, f) && allSurvive(c.steps[i:], st.to.Fields):
					// What the hook computes from a renamed or converted
					// field shows in the decoded event when every field
					// of the version it makes reaches the newest.
					change(f, true)
				}
			}
			if len(changes) > 0 {
				row = append(row, field("Changes", jen.Index().Qual(pathESTest, "UpcastChange").Add(keyed(changes...))))
			}
			rows = append(rows, keyed(row...))
		}
	}
	typ := jen.Qual(pathESTest, "Upcast")
	name := goname.UpcastCases(ag.a.Name)
	jf.Add(comment(wrap(fmt.Sprintf("%s returns every upcast hook of %s, with a value of the version it reads and, for each field "+
		"that the next version keeps under the same name and type and %s does not drop, that value with the field changed.",
		name, ag.p.name, ag.sourceName()))))
	jf.Func().Id(name).Params().Index().Add(typ).Block(jen.Return(jen.Index().Add(typ).Add(keyed(rows...))))
}

// upcastHookNote is the part of an upcast hook's doc comment that says
// which fields it must carry, and which test checks it.
func (ag *aggGen) upcastHookNote(st *upcastStep) string {
	names := func(fs []*dsl.Field) string {
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = f.Name
		}
		return strings.Join(out, ", ")
	}
	carried, computed := carriedFields(st), computedFields(st)
	var parts []string
	if len(carried) > 0 {
		parts = append(parts, fmt.Sprintf("carry over %s, which version %d keeps", names(carried), st.to.Number))
	}
	if len(computed) > 0 {
		what := "it"
		if len(computed) > 1 {
			what = "them"
		}
		parts = append(parts, fmt.Sprintf("compute from %s what replaces %s in version %d", names(computed), what, st.to.Number))
	}
	if len(parts) == 0 {
		return ""
	}
	text := " It must " + strings.Join(parts, ", and ")
	if ag.a.Eventual {
		return text + "."
	}
	return text + " (the test skeleton's Test" + ag.p.name + "UpcastHooks checks it)."
}
