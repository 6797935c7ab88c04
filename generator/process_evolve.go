package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
)

// evolve emits <process>Evolve: the state a step leads to, from the state
// left, the input and the target the step names.
func (pg *procGen) evolve(jf *jen.File) {
	state := pg.stateIface()
	jf.Add(comment(wrap(fmt.Sprintf("%s is the transition function of the %s process: the state a stored step leads to. "+
		"It is pure; a step the machine cannot take fails with an *es.InvalidEvolutionError.", pg.evolveFunc(), pg.name))))
	useS := false
	var cases []jen.Code
	for _, s := range pg.p.States {
		byInput := map[*dsl.Input][]*dsl.ProcessEvolution{}
		var order []*dsl.Input
		for _, e := range pg.p.Evolutions {
			if e.From != s {
				continue
			}
			if byInput[e.Input] == nil {
				order = append(order, e.Input)
			}
			byInput[e.Input] = append(byInput[e.Input], e)
		}
		if len(order) == 0 {
			continue
		}
		useIn := false
		var inputCases []jen.Code
		for _, in := range order {
			var targets []jen.Code
			for _, e := range byInput[in] {
				var value jen.Code
				if hook := pg.hooks[e]; hook != "" {
					useS, useIn = true, true
					value = jen.Id("ev").Dot(hook).Call(jen.Id("s"), jen.Id("in"))
				} else {
					var fields []jen.Code
					for _, fs := range e.Fields {
						src := "s"
						if fs.Origin == dsl.FromEvent {
							src, useIn = "in", true
						} else {
							useS = true
						}
						fields = append(fields, jen.Id(goname.Exported(fs.Field.Name)).Op(":").Id(src).Dot(goname.Exported(fs.From.Name)))
					}
					value = jen.Id(pg.stateType(e.To)).Values(fields...)
				}
				targets = append(targets, jen.Case(jen.Lit(e.To.Name)).Block(jen.Return(value, jen.Nil())))
			}
			inputCases = append(inputCases, jen.Case(jen.Id(pg.inputType(in))).Block(jen.Switch(jen.Id("step").Dot("To")).Block(targets...)))
		}
		subject := jen.Id("step").Dot("Input").Assert(jen.Type())
		if useIn {
			subject = jen.Id("in").Op(":=").Add(subject)
		}
		cases = append(cases, jen.Case(jen.Id(pg.stateType(s))).Block(jen.Switch(subject).Block(inputCases...)))
	}
	params := []jen.Code{jen.Id("s").Id(state), jen.Id("step").Add(pg.stepType())}
	if len(pg.hooks) > 0 {
		params = append([]jen.Code{jen.Id("ev").Id(pg.evolver())}, params...)
	}
	subject := jen.Id("s").Assert(jen.Type())
	if useS {
		subject = jen.Id("s").Op(":=").Add(subject)
	}
	body := []jen.Code{
		jen.Switch(subject).Block(cases...),
		jen.If(jen.Id("s").Op("==").Nil().Op("||").Id("step").Dot("Input").Op("==").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("evolve "+pg.p.Name+": %T with %T: nil state or input"), jen.Id("s"), jen.Id("step").Dot("Input")))),
		jen.Return(jen.Nil(), jen.Op("&").Qual(pathES, "InvalidEvolutionError").Values(
			field("Aggregate", jen.Lit(pg.p.Name)),
			field("State", jen.Id("s").Dot(pg.stateMarker()).Call()),
			field("Event", jen.Id("step").Dot("Input").Dot(pg.inputMarker()).Call().Op("+").Lit(" to ").Op("+").Id("step").Dot("To")),
		)),
	}
	jf.Func().Id(pg.evolveFunc()).Params(params...).Params(jen.Id(state), jen.Error()).Block(body...)
}

// codec emits the step codec: a step stored as JSON, its input encoded by
// its aggregate's codec (an event, in its schema version, upcast when
// read) or as JSON (the process's own inputs).
func (pg *procGen) codec(jf *jen.File) {
	name := pg.codecType()
	jf.Add(comment(wrap(fmt.Sprintf("%s stores the steps of the %s process: a step is JSON holding its states, its sends and its input; "+
		"an event input is encoded by its aggregate's codec, so that it is upcast when read.", name, pg.name))))
	var fields []jen.Code
	for _, a := range pg.aggs {
		fields = append(fields, jen.Id(pg.repoParam(a)).Qual(pathES, "EventCodec").Types(jen.Id(goname.EventInterface(a.Name))))
	}
	jf.Type().Id(name).Struct(fields...)

	recv := jen.Id("c").Id(name)
	var encCases []jen.Code
	for _, in := range pg.p.Inputs {
		var enc jen.Code
		if in.Kind == dsl.InputEvent {
			enc = jen.List(jen.Id("raw"), jen.Err()).Op("=").Id("c").Dot(pg.repoParam(in.Aggregate)).Dot("Encode").Call(jen.Nil(), jen.Id("in"))
		} else {
			enc = jen.Block(
				jen.Id("raw").Dot("SchemaVersion").Op("=").Lit(1),
				jen.List(jen.Id("raw").Dot("Data"), jen.Err()).Op("=").Qual("encoding/json", "Marshal").Call(jen.Id("in")),
			)
		}
		encCases = append(encCases, jen.Case(jen.Id(pg.inputType(in))).Add(enc))
	}
	encCases = append(encCases, jen.Default().Block(jen.Return(jen.Qual(pathES, "RawEvent").Values(),
		jen.Qual("fmt", "Errorf").Call(jen.Lit("encode "+pg.p.Name+" step: input %T"), jen.Id("step").Dot("Input")))))
	jf.Add(comment("Encode encodes a step of the process."))
	jf.Func().Params(recv.Clone()).Id("Encode").Params(jen.Id("buf").Index().Byte(), jen.Id("step").Add(pg.stepType())).Params(jen.Qual(pathES, "RawEvent"), jen.Error()).Block(
		jen.Var().Id("raw").Qual(pathES, "RawEvent"),
		jen.Var().Err().Error(),
		jen.Switch(jen.Id("in").Op(":=").Id("step").Dot("Input").Assert(jen.Type())).Block(encCases...),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(pathES, "RawEvent").Values(), jen.Err())),
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(pathProcess, "EncodeStep").Call(jen.Id("buf"), jen.Id("step"), jen.Id("raw")),
		jen.Return(jen.Qual(pathES, "RawEvent").Values(
			field("Type", jen.Id("step").Dot("Input").Dot(pg.inputMarker()).Call()), field("SchemaVersion", jen.Lit(1)), field("Data", jen.Id("data"))), jen.Err()),
	)

	var decCases []jen.Code
	for _, in := range pg.p.Inputs {
		var fn jen.Code
		if in.Kind == dsl.InputEvent {
			fn = jen.Func().Params(jen.Id("v").Int(), jen.Id("data").Index().Byte()).Params(jen.Id(pg.inputIface()), jen.Error()).Block(
				jen.List(jen.Id("e"), jen.Err()).Op(":=").Id("c").Dot(pg.repoParam(in.Aggregate)).Dot("Decode").Call(jen.Id("typ"), jen.Id("v"), jen.Id("data")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
				jen.List(jen.Id("in"), jen.Id("ok")).Op(":=").Id("e").Assert(jen.Id(pg.inputType(in))),
				jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("%w: "+pg.p.Name+" step %s holds a %T"), jen.Qual(pathES, "ErrCorruptEvent"), jen.Id("typ"), jen.Id("e")))),
				jen.Return(jen.Id("in"), jen.Nil()),
			)
		} else {
			fn = jen.Func().Params(jen.Id("v").Int(), jen.Id("data").Index().Byte()).Params(jen.Id(pg.inputIface()), jen.Error()).Block(
				jen.Return(jen.Qual(pathProcess, "DecodeJSON").Types(jen.Id(pg.inputType(in))).Call(jen.Id("v"), jen.Id("data"))))
		}
		decCases = append(decCases, jen.Case(jen.Lit(in.Name)).Block(jen.Return(jen.Qual(pathProcess, "DecodeStep").Call(jen.Id("data"), fn))))
	}
	jf.Add(comment("Decode decodes a stored step of the process."))
	jf.Func().Params(recv.Clone()).Id("Decode").Params(jen.Id("typ").String(), jen.Id("version").Int(), jen.Id("data").Index().Byte()).Params(pg.stepType(), jen.Error()).Block(
		jen.If(jen.Id("version").Op("!=").Lit(1)).Block(jen.Return(pg.stepType().Values(),
			jen.Qual("fmt", "Errorf").Call(jen.Lit("%w: "+pg.p.Name+" step %s v%d"), jen.Qual(pathES, "ErrUnknownSchemaVersion"), jen.Id("typ"), jen.Id("version")))),
		jen.Switch(jen.Id("typ")).Block(decCases...),
		jen.Return(pg.stepType().Values(), jen.Qual("fmt", "Errorf").Call(jen.Lit("%w: "+pg.p.Name+" step %s"), jen.Qual(pathES, "ErrUnknownEventType"), jen.Id("typ"))),
	)
}

// inputFunc emits the codec's input method: the process id and the input
// of a stored event of a source aggregate.
func (pg *procGen) inputFunc(jf *jen.File) {
	byAgg := map[*dsl.Aggregate][]*dsl.Input{}
	for _, in := range pg.p.Inputs {
		if in.Kind == dsl.InputEvent {
			byAgg[in.Aggregate] = append(byAgg[in.Aggregate], in)
		}
	}
	var aggCases []jen.Code
	for _, co := range pg.p.Correlations {
		ins := byAgg[co.Aggregate]
		if len(ins) == 0 {
			continue
		}
		var evCases []jen.Code
		for _, in := range ins {
			id := jen.Id("rec").Dot("AggregateID")
			if co.Field != "" {
				id = jen.Id("in").Dot(goname.Exported(co.Field))
			}
			evCases = append(evCases, jen.Case(jen.Id(pg.inputType(in))).Block(jen.Return(id, jen.Id("in"), jen.True(), jen.Nil())))
		}
		aggCases = append(aggCases, jen.Case(jen.Lit(co.Aggregate.Name)).Block(
			jen.List(jen.Id("e"), jen.Err()).Op(":=").Id("c").Dot(pg.repoParam(co.Aggregate)).Dot("Decode").Call(jen.Id("rec").Dot("EventType"), jen.Id("rec").Dot("SchemaVersion"), jen.Id("rec").Dot("Data")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Lit(""), jen.Nil(), jen.False(), jen.Err())),
			jen.Switch(jen.Id("in").Op(":=").Id("e").Assert(jen.Type())).Block(evCases...),
		))
	}
	jf.Add(comment(wrap("input returns the process id and the input of a stored event of an aggregate the process reacts to; ok is false for an event it does not react to.")))
	jf.Func().Params(jen.Id("c").Id(pg.codecType())).Id("input").Params(jen.Id("rec").Qual(pathES, "Record")).Params(
		jen.Id("id").String(), jen.Id("in").Id(pg.inputIface()), jen.Id("ok").Bool(), jen.Err().Error()).Block(
		jen.Switch(jen.Id("rec").Dot("AggregateType")).Block(aggCases...),
		jen.Return(jen.Lit(""), jen.Nil(), jen.False(), jen.Nil()),
	)
}

// rejectedFunc emits <process>Rejected: the input of a refused send.
func (pg *procGen) rejectedFunc(jf *jen.File) {
	name := unexported(pg.p.Name, "rejected")
	var cases []jen.Code
	for _, in := range pg.p.Inputs {
		if in.Kind != dsl.InputRejection {
			continue
		}
		cases = append(cases, jen.Case(jen.Lit(in.Aggregate.Name+"."+in.Command.Name)).Block(
			jen.List(jen.Id("c"), jen.Err()).Op(":=").Qual(pathProcess, "Decode").Types(jen.Id(goname.Exported(in.Command.Name))).Call(jen.Id("s")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.False())),
			jen.Return(jen.Id(pg.inputType(in)).Values(field("ID", jen.Id("s").Dot("ID")), field("Command", jen.Id("c")), field("Reason", jen.Id("cause").Dot("Error").Call())), jen.True()),
		))
	}
	jf.Add(comment(wrap(fmt.Sprintf("%s returns the input of a command the %s process sent and its aggregate refused with cause; ok is false when the process has no reaction to it.", name, pg.name))))
	body := []jen.Code{}
	if len(cases) > 0 {
		body = append(body, jen.Switch(jen.Id("s").Dot("Aggregate").Op("+").Lit(".").Op("+").Id("s").Dot("Command")).Block(cases...))
	}
	body = append(body, jen.Return(jen.Nil(), jen.False()))
	sParam := jen.Id("s")
	causeParam := jen.Id("cause")
	if len(cases) == 0 {
		sParam, causeParam = jen.Id("_"), jen.Id("_")
	}
	jf.Func().Id(name).Params(sParam.Qual(pathProcess, "Send"), causeParam.Error()).Params(jen.Id(pg.inputIface()), jen.Bool()).Block(body...)
}

// dispatchFunc emits <process>Dispatch: a send handed to its aggregate's
// repository.
func (pg *procGen) dispatchFunc(jf *jen.File) {
	name := unexported(pg.p.Name, "dispatch")
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context")}
	var cases []jen.Code
	for _, a := range pg.aggs {
		if !pg.sendsTo[a] {
			continue
		}
		params = append(params, jen.Id(pg.repoParam(a)).Op("*").Id(goname.Repository(a.Name)))
		seen := map[*dsl.Command]bool{}
		for _, r := range pg.p.Reactions {
			for _, b := range r.Branches {
				for _, s := range b.Sends {
					if s.Aggregate != a || seen[s.Command] {
						continue
					}
					seen[s.Command] = true
					cases = append(cases, jen.Case(jen.Lit(a.Name+"."+s.Command.Name)).Block(
						jen.List(jen.Id("c"), jen.Err()).Op(":=").Qual(pathProcess, "Decode").Types(jen.Id(goname.Exported(s.Command.Name))).Call(jen.Id("s")),
						jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
						jen.List(jen.Id("_"), jen.Err()).Op("=").Id(pg.repoParam(a)).Dot("Handle").Call(jen.Id("ctx"), jen.Id("s").Dot("ID"), jen.Id("c"), jen.Id("opts").Op("...")),
						jen.Return(jen.Err()),
					))
				}
			}
		}
	}
	params = append(params, jen.Id("s").Qual(pathProcess, "Send"), jen.Id("opts").Index().Qual(pathES, "HandleOption"))
	jf.Add(comment(wrap(fmt.Sprintf("%s hands a command the %s process sends to its aggregate's repository.", name, pg.name))))
	jf.Func().Id(name).Params(params...).Error().Block(
		jen.Switch(jen.Id("s").Dot("Aggregate").Op("+").Lit(".").Op("+").Id("s").Dot("Command")).Block(cases...),
		jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("process "+pg.p.Name+" sends no %s to %s"), jen.Id("s").Dot("Command"), jen.Id("s").Dot("Aggregate"))),
	)
}

// sentFunc emits <process>Sent: whether an aggregate holds the command
// stored under a command id, read from its history.
func (pg *procGen) sentFunc(jf *jen.File) {
	name := unexported(pg.p.Name, "sent")
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context")}
	var cases []jen.Code
	for _, a := range pg.aggs {
		if !pg.sendsTo[a] {
			continue
		}
		params = append(params, jen.Id(pg.repoParam(a)).Op("*").Id(goname.Repository(a.Name)))
		cases = append(cases, jen.Case(jen.Lit(a.Name)).Block(
			jen.List(jen.Id("recs"), jen.Id("_"), jen.Err()).Op(":=").Id(pg.repoParam(a)).Dot("History").Call(jen.Id("ctx"), jen.Id("s").Dot("ID")),
			jen.Return(jen.Qual(pathProcess, "Holds").Call(jen.Id("recs"), jen.Id("commandID")), jen.Err()),
		))
	}
	params = append(params, jen.Id("s").Qual(pathProcess, "Send"), jen.Id("commandID").String())
	jf.Add(comment(wrap(fmt.Sprintf("%s reports whether the aggregate of a send holds the command stored under commandID, reading its whole history.", name))))
	jf.Func().Id(name).Params(params...).Params(jen.Bool(), jen.Error()).Block(
		jen.Switch(jen.Id("s").Dot("Aggregate")).Block(cases...),
		jen.Return(jen.False(), jen.Qual("fmt", "Errorf").Call(jen.Lit("process "+pg.p.Name+" sends nothing to %s"), jen.Id("s").Dot("Aggregate"))),
	)
}
