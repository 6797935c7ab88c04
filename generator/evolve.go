package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/internal/goname"
)

// evolveFunc emits the exhaustive Evolve: an outer switch on the state, an
// inner switch on the events that apply to it, the new state built from
// fields or by an Evolver hook, and an *es.InvalidEvolutionError for every
// other pair.
func (ag *aggGen) evolveFunc(jf *jen.File) {
	name := goname.Evolve(ag.a.Name)
	state, event := goname.StateInterface(ag.a.Name), goname.EventInterface(ag.a.Name)
	jf.Add(comment(wrap(fmt.Sprintf("%s is the transition function of the %s machine: the state an event leads to. "+
		"It is pure; an event that does not apply to the state (a history the machine cannot produce) fails with an *es.InvalidEvolutionError.",
		name, ag.p.name))))

	useS := false
	var cases []jen.Code
	for _, s := range ag.a.States {
		var inner []jen.Code
		useE := false
		for _, e := range ag.p.evolutions {
			if e.From != s {
				continue
			}
			var value jen.Code
			switch {
			case e.hook != "":
				useS, useE = true, true
				value = jen.Id("ev").Dot(e.hook).Call(jen.Id("s"), jen.Id("e"))
			case e.Unchanged:
				useS = true
				value = jen.Id("s")
			default:
				var fields []jen.Code
				for _, fs := range e.Fields {
					var src string
					switch fs.Origin {
					case dsl.FromEvent:
						src, useE = "e", true
					case dsl.FromState:
						src, useS = "s", true
					default: // dsl.ZeroValue: left out of the literal
						continue
					}
					fields = append(fields, jen.Id(goname.Exported(fs.Field.Name)).Op(":").Id(src).Dot(goname.Exported(fs.From.Name)))
				}
				value = jen.Id(goname.Exported(e.To.Name)).Values(fields...)
			}
			inner = append(inner, jen.Case(jen.Id(goname.Exported(e.Event.Name))).Block(jen.Return(value, jen.Nil())))
		}
		if len(inner) == 0 {
			continue
		}
		subject := jen.Id("e").Assert(jen.Type())
		if useE {
			subject = jen.Id("e").Op(":=").Add(subject)
		}
		cases = append(cases, jen.Case(jen.Id(goname.Exported(s.Name))).Block(jen.Switch(subject).Block(inner...)))
	}
	params := []jen.Code{jen.Id("s").Id(state), jen.Id("e").Id(event)}
	if ag.p.needEvolver {
		params = append([]jen.Code{jen.Id("ev").Id(goname.Evolver(ag.a.Name))}, params...)
	}
	var body []jen.Code
	if len(cases) > 0 {
		subject := jen.Id("s").Assert(jen.Type())
		if useS {
			subject = jen.Id("s").Op(":=").Add(subject)
		}
		body = append(body, jen.Switch(subject).Block(cases...))
	}
	body = append(body,
		jen.If(jen.Id("s").Op("==").Nil().Op("||").Id("e").Op("==").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("evolve "+ag.a.Name+": %T with %T: nil state or event"), jen.Id("s"), jen.Id("e")))),
		jen.Return(jen.Nil(), jen.Op("&").Qual(pathES, "InvalidEvolutionError").Values(
			field("Aggregate", jen.Lit(ag.a.Name)),
			field("State", jen.Id("s").Dot(ag.stateMarker()).Call()),
			field("Event", jen.Id("e").Dot(ag.eventMarker()).Call()),
		)),
	)
	jf.Func().Id(name).Params(params...).Params(jen.Id(state), jen.Error()).Block(body...)
}

// machineFunc emits <Agg>Machine, the machine as data (as the diagrams draw
// it), for drawing an instance with its current state highlighted.
func (ag *aggGen) machineFunc(jf *jen.File) {
	m := diagram.Machine(ag.a)
	name := goname.Machine(ag.a.Name)
	jf.Add(comment(wrap(fmt.Sprintf("%s returns the state machine of %s as data, as esgen draws it: "+
		"pass it the current state's name as machine.Options.Highlight to draw an instance.", name, ag.p.name))))
	var states, transitions []jen.Code
	for _, s := range m.States {
		fs := []jen.Code{field("Name", jen.Lit(s.Name))}
		if s.Initial {
			fs = append(fs, field("Initial", jen.True()))
		}
		if s.Final {
			fs = append(fs, field("Final", jen.True()))
		}
		if len(s.Fields) > 0 {
			names := make([]jen.Code, len(s.Fields))
			for i, f := range s.Fields {
				names[i] = jen.Lit(f)
			}
			fs = append(fs, field("Fields", jen.Index().String().Values(names...)))
		}
		states = append(states, jen.Values(fs...))
	}
	for _, t := range m.Transitions {
		fs := []jen.Code{field("From", jen.Lit(t.From)), field("To", jen.Lit(t.To)), field("Command", jen.Lit(t.Command))}
		if len(t.Events) > 0 {
			evs := make([]jen.Code, len(t.Events))
			for i, e := range t.Events {
				evs[i] = jen.Lit(e)
			}
			fs = append(fs, field("Events", jen.Index().String().Values(evs...)))
		}
		transitions = append(transitions, jen.Values(fs...))
	}
	fields := []jen.Code{
		field("Name", jen.Lit(m.Name)),
		field("States", jen.Index().Qual(pathMachine, "State").Add(keyed(states...))),
	}
	if len(transitions) > 0 {
		fields = append(fields, field("Transitions", jen.Index().Qual(pathMachine, "Transition").Add(keyed(transitions...))))
	}
	jf.Func().Id(name).Params().Qual(pathMachine, "Machine").Block(jen.Return(jen.Qual(pathMachine, "Machine").Add(keyed(fields...))))
}
