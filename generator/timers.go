package generator

import (
	"fmt"
	"strings"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/outname"
)

// An aggregate's timers (`after 30m in Submitted: Cancel`) run as a small
// process generated beside it, <Agg>Timers: it follows the aggregate's
// state by the names of its events (a step per event, storing the event's
// type, not its data), arms a timer when the aggregate enters a state that
// has some, and sends the timer's command to the aggregate when it fires
// in that state. It runs on a process.Runner like any process.

// timersFile emits <aggregate>_timers.gen.go.
func (ag *aggGen) timersFile() (unformatted, error) {
	a := ag.a
	jf := ag.newFile(true)
	jf.ImportName(pathProcess, "process")
	name := ag.p.name + "Timers"
	input := name + "Input"
	fired := name + "Fired"

	jf.Add(comment(wrap(fmt.Sprintf("%s is what the %s process handles: an event of %s (one of %s), or %s.",
		input, name, ag.p.name, goname.EventInterface(a.Name), fired))))
	jf.Type().Id(input).Op("=").Any()

	jf.Add(comment(wrap(fmt.Sprintf("%s is a timer of %s firing: the aggregate has been in the timer's state since the timer was armed.", fired, ag.p.name))))
	jf.Type().Id(fired).Struct(
		comment("Timer is the timer's name, as New"+name+"Definition's Timers name it.").Line().Id("Timer").String().Tag(map[string]string{"json": "timer"}),
		comment("Due is when it was due.").Line().Id("Due").Qual("time", "Time").Tag(map[string]string{"json": "due"}),
	)

	// The definition.
	var timerDocs []string
	byState := map[*dsl.State][]jen.Code{}
	for _, t := range a.Timers {
		tname := timerName(t)
		byState[t.State] = append(byState[t.State], jen.Values(
			field("Name", jen.Lit(tname)),
			field("After", durationOf(t.After)),
			field("Input", jen.Func().Params(jen.Id("due").Qual("time", "Time")).Id(input).Add(oneLine(jen.Return(jen.Id(fired).Values(field("Timer", jen.Lit(tname)), field("Due", jen.Id("due"))))))),
		))
		timerDocs = append(timerDocs, fmt.Sprintf("%s: after %s in %s, %s", tname, t.Text, t.State.Name, t.Command.Name))
	}
	var timers []jen.Code
	for _, s := range a.States {
		if ts := byState[s]; ts != nil {
			timers = append(timers, jen.Lit(s.Name).Op(":").Add(keyed(ts...)))
		}
	}
	def := "New" + name + "Definition"
	repo := jen.Id("r")
	step := jen.Qual(pathProcess, "Step").Types(jen.Id(input))
	jf.Add(comment(wrap(fmt.Sprintf("%s returns the process that runs the timers of %s (%s) on r: run it with a process.Runner. "+
		"It stores a step per event of the aggregate (the event's type, not its data) to follow its state, "+
		"and sends the timer's command through r when a timer fires in the state that armed it. "+
		"The timers' names are those process.WithTimerDuration takes.",
		def, ag.p.name, strings.Join(timerDocs, "; ")))))
	jf.Func().Id(def).Params(repo.Clone().Op("*").Id(goname.Repository(a.Name))).Qual(pathProcess, "Definition").Types(jen.String(), jen.Id(input)).Block(
		jen.Return(jen.Qual(pathProcess, "Definition").Types(jen.String(), jen.Id(input)).Add(keyed(
			field("Machine", jen.Qual(pathES, "Definition").Types(jen.String(), jen.Id(input), step.Clone()).Add(keyed(
				field("Type", jen.Lit(a.Name+"Timers")),
				field("Initial", jen.Func().Params().String().Add(oneLine(jen.Return(jen.Lit(a.Initial.Name))))),
				field("Decide", jen.Id(unexported(a.Name, "timers", "decide"))),
				field("Evolve", jen.Func().Params(jen.Id("_").String(), jen.Id("step").Add(step.Clone())).Params(jen.String(), jen.Error()).Add(oneLine(jen.Return(jen.Id("step").Dot("To"), jen.Nil())))),
				field("Events", jen.Id(unexported(a.Name, "timers", "codec")).Values()),
			))),
			field("Sources", jen.Index().String().Values(jen.Lit(a.Name))),
			field("Input", jen.Func().Params(jen.Id("rec").Qual(pathES, "Record")).Params(jen.String(), jen.Id(input), jen.Bool(), jen.Error()).Block(
				jen.If(jen.Id("rec").Dot("AggregateType").Op("!=").Lit(a.Name)).Block(jen.Return(jen.Lit(""), jen.Nil(), jen.False(), jen.Nil())),
				jen.Return(jen.Id("rec").Dot("AggregateID"), jen.Id(unexported(a.Name, "timers", "event")).Values(field("Type", jen.Id("rec").Dot("EventType"))), jen.True(), jen.Nil()),
			)),
			field("Rejected", jen.Func().Params(jen.Qual(pathProcess, "Send"), jen.Error()).Params(jen.Id(input), jen.Bool()).Add(oneLine(jen.Return(jen.Nil(), jen.False())))),
			field("Timers", jen.Map(jen.String()).Index().Qual(pathProcess, "Timer").Types(jen.Id(input)).Add(keyed(timers...))),
			field("StateName", jen.Func().Params(jen.Id("s").String()).String().Add(oneLine(jen.Return(jen.Id("s"))))),
			field("Dispatch", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("s").Qual(pathProcess, "Send"), jen.Id("opts").Op("...").Qual(pathES, "HandleOption")).Error().Block(
				jen.Return(jen.Id(unexported(a.Name, "timers", "dispatch")).Call(jen.Id("ctx"), repo.Clone(), jen.Id("s"), jen.Id("opts"))))),
			field("Sent", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("s").Qual(pathProcess, "Send"), jen.Id("commandID").String()).Params(jen.Bool(), jen.Error()).Block(
				jen.List(jen.Id("recs"), jen.Id("_"), jen.Err()).Op(":=").Add(repo.Clone()).Dot("History").Call(jen.Id("ctx"), jen.Id("s").Dot("ID")),
				jen.Return(jen.Qual(pathProcess, "Holds").Call(jen.Id("recs"), jen.Id("commandID")), jen.Err()))),
		))),
	)

	// The event input: an event of the aggregate, by its type.
	evType := unexported(a.Name, "timers", "event")
	jf.Add(comment(wrap(fmt.Sprintf("%s is an event of %s as the %s process follows it: by its type.", evType, ag.p.name, name))))
	jf.Type().Id(evType).Struct(jen.Id("Type").String().Tag(map[string]string{"json": "type"}))

	// Decide: an event moves the followed state by the aggregate's table; a
	// timer sends its command in the state it was armed in.
	var evCases []jen.Code
	for _, s := range a.States {
		var targets []jen.Code
		for _, e := range a.Evolutions {
			if e.From == s {
				targets = append(targets, jen.Case(jen.Lit(e.Event.Name)).Block(jen.Id("to").Op("=").Lit(e.To.Name)))
			}
		}
		if len(targets) > 0 {
			evCases = append(evCases, jen.Case(jen.Lit(s.Name)).Block(jen.Switch(jen.Id("in").Dot("Type")).Block(targets...)))
		}
	}
	var timerCases []jen.Code
	for _, t := range a.Timers {
		var values []jen.Code
		for _, fv := range t.Values {
			values = append(values, field(goname.Exported(fv.Field.Name), literalExpr(fv.Field, fv.Value)))
		}
		cmd := goname.Exported(t.Command.Name)
		timerCases = append(timerCases, jen.Case(jen.Lit(timerName(t))).Block(
			jen.If(jen.Id("s").Op("!=").Lit(t.State.Name)).Block(jen.Break()),
			jen.List(jen.Id("send"), jen.Err()).Op(":=").Qual(pathProcess, "Encode").Call(jen.Lit(a.Name), jen.Lit(t.Command.Name),
				jen.Qual(pathProcess, "To").Types(jen.Id(cmd)).Values(field("ID", jen.Id("id")), field("Command", jen.Id(cmd).Values(values...)))),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Append(jen.Id("steps"), step.Clone().Values(field("Input", jen.Id("in")), field("From", jen.Id("s")), field("To", jen.Id("s")),
				field("Sends", jen.Index().Qual(pathProcess, "Send").Values(jen.Id("send"))))), jen.Nil()),
		))
	}
	decide := unexported(a.Name, "timers", "decide")
	jf.Add(comment(wrap(fmt.Sprintf("%s decides the steps of the %s process: an event moves the state it follows as %s's machine does, "+
		"a timer firing in its state sends the timer's command.", decide, name, ag.p.name))))
	jf.Func().Id(decide).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("s").String(), jen.Id("in").Id(input), jen.Id("steps").Index().Add(step.Clone())).Params(jen.Index().Add(step.Clone()), jen.Error()).Block(
		jen.Switch(jen.Id("in").Op(":=").Id("in").Assert(jen.Type())).Block(
			jen.Case(jen.Id(evType)).Block(
				jen.Id("to").Op(":=").Lit(""),
				jen.Switch(jen.Id("s")).Block(evCases...),
				jen.If(jen.Id("to").Op("!=").Lit("")).Block(
					jen.Return(jen.Append(jen.Id("steps"), step.Clone().Values(field("Input", jen.Id("in")), field("From", jen.Id("s")), field("To", jen.Id("to")))), jen.Nil())),
				jen.Return(jen.Nil(), jen.Op("&").Qual(pathES, "InvalidEvolutionError").Values(field("Aggregate", jen.Lit(a.Name)), field("State", jen.Id("s")), field("Event", jen.Id("in").Dot("Type")))),
			),
			jen.Case(jen.Id(fired)).Block(
				jen.List(jen.Id("ref"), jen.Id("_")).Op(":=").Qual(pathES, "RefFromContext").Call(jen.Id("ctx")),
				jen.Id("id").Op(":=").Id("ref").Dot("ID"),
				jen.Switch(jen.Id("in").Dot("Timer")).Block(timerCases...),
				jen.Return(jen.Nil(), jen.Op("&").Qual(pathES, "InvalidTransitionError").Values(field("Aggregate", jen.Lit(a.Name+"Timers")), field("State", jen.Id("s")), field("Command", jen.Id("in").Dot("Timer")))),
			),
		),
		jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(name+": input %T"), jen.Id("in"))),
	)

	// The step codec: JSON; an event by its type only.
	codec := unexported(a.Name, "timers", "codec")
	jf.Add(comment(wrap(fmt.Sprintf("%s stores the steps of the %s process as JSON.", codec, name))))
	jf.Type().Id(codec).Struct()
	jf.Add(comment("Encode encodes a step."))
	jf.Func().Params(jen.Id(codec)).Id("Encode").Params(jen.Id("buf").Index().Byte(), jen.Id("step").Add(step.Clone())).Params(jen.Qual(pathES, "RawEvent"), jen.Error()).Block(
		jen.Id("typ").Op(":=").Lit(timerStep),
		jen.If(jen.List(jen.Id("e"), jen.Id("ok")).Op(":=").Id("step").Dot("Input").Assert(jen.Id(evType)), jen.Id("ok")).Block(jen.Id("typ").Op("=").Id("e").Dot("Type")),
		jen.List(jen.Id("in"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("step").Dot("Input")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(pathES, "RawEvent").Values(), jen.Err())),
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(pathProcess, "EncodeStep").Call(jen.Id("buf"), jen.Id("step"), jen.Qual(pathES, "RawEvent").Values(field("SchemaVersion", jen.Lit(1)), field("Data", jen.Id("in")))),
		jen.Return(jen.Qual(pathES, "RawEvent").Values(field("Type", jen.Id("typ")), field("SchemaVersion", jen.Lit(1)), field("Data", jen.Id("data"))), jen.Err()),
	)
	jf.Add(comment("Decode decodes a stored step."))
	jf.Func().Params(jen.Id(codec)).Id("Decode").Params(jen.Id("typ").String(), jen.Id("version").Int(), jen.Id("data").Index().Byte()).Params(step.Clone(), jen.Error()).Block(
		jen.If(jen.Id("version").Op("!=").Lit(1)).Block(jen.Return(step.Clone().Values(),
			jen.Qual("fmt", "Errorf").Call(jen.Lit("%w: "+name+" step %s v%d"), jen.Qual(pathES, "ErrUnknownSchemaVersion"), jen.Id("typ"), jen.Id("version")))),
		jen.Return(jen.Qual(pathProcess, "DecodeStep").Call(jen.Id("data"), jen.Func().Params(jen.Id("v").Int(), jen.Id("in").Index().Byte()).Params(jen.Id(input), jen.Error()).Block(
			jen.If(jen.Id("typ").Op("==").Lit(timerStep)).Block(jen.Return(jen.Qual(pathProcess, "DecodeJSON").Types(jen.Id(fired)).Call(jen.Id("v"), jen.Id("in")))),
			jen.Return(jen.Qual(pathProcess, "DecodeJSON").Types(jen.Id(evType)).Call(jen.Id("v"), jen.Id("in"))),
		))),
	)

	// Dispatch: a timer's command, to the aggregate itself.
	dispatch := unexported(a.Name, "timers", "dispatch")
	var cmdCases []jen.Code
	seen := map[*dsl.Command]bool{}
	for _, t := range a.Timers {
		if seen[t.Command] {
			continue
		}
		seen[t.Command] = true
		cmd := goname.Exported(t.Command.Name)
		cmdCases = append(cmdCases, jen.Case(jen.Lit(t.Command.Name)).Block(
			jen.List(jen.Id("c"), jen.Err()).Op(":=").Qual(pathProcess, "Decode").Types(jen.Id(cmd)).Call(jen.Id("s")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.List(jen.Id("_"), jen.Err()).Op("=").Id("r").Dot("Handle").Call(jen.Id("ctx"), jen.Id("s").Dot("ID"), jen.Id("c"), jen.Id("opts").Op("...")),
			jen.Return(jen.Err()),
		))
	}
	jf.Add(comment(wrap(fmt.Sprintf("%s hands a timer's command to the aggregate's repository.", dispatch))))
	jf.Func().Id(dispatch).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("r").Op("*").Id(goname.Repository(a.Name)), jen.Id("s").Qual(pathProcess, "Send"), jen.Id("opts").Index().Qual(pathES, "HandleOption")).Error().Block(
		jen.Switch(jen.Id("s").Dot("Command")).Block(cmdCases...),
		jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("no timer of "+a.Name+" sends %s"), jen.Id("s").Dot("Command"))),
	)
	return render(outname.Timers(a.Name), jf)
}

// timerStep is the type under which the timers process of an aggregate
// stores a timer's firing: a dot keeps it apart from every event type.
const timerStep = "esgen.timer"

// timerName names a timer of an aggregate: its state and duration.
func timerName(t *dsl.Timer) string {
	return goname.Exported(t.State.Name) + "After" + strings.ReplaceAll(t.Text, ".", "_")
}

// durationOf is a duration as a Go expression, in its largest whole unit.
func durationOf(d time.Duration) jen.Code { return durationExpr(&dsl.Input{After: d}) }

// literalExpr is the Go expression of a .esm literal for a field.
func literalExpr(f *dsl.Field, l *dsl.Literal) jen.Code {
	switch f.Type.Name {
	case "string", "bool":
		return jen.Op(l.Text)
	}
	return jen.Id(f.Type.Name).Call(jen.Op(l.Text))
}
