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

// decideFile emits <process>_decide.gen.go: the decider interface and its
// result types, the Evolve hooks, Decide, Evolve, the step codec and the
// definition the runtime runs.
func (pg *procGen) decideFile() (unformatted, error) {
	jf := pg.newFile(true)
	jf.ImportName(pathProcess, "process")
	pg.deciderInterface(jf)
	for _, r := range pg.p.Reactions {
		pg.resultTypes(jf, r)
	}
	if len(pg.hooks) > 0 {
		pg.evolverInterface(jf)
	}
	pg.definition(jf)
	pg.decide(jf)
	pg.evolve(jf)
	pg.codec(jf)
	pg.inputFunc(jf)
	pg.rejectedFunc(jf)
	pg.dispatchFunc(jf)
	pg.sentFunc(jf)
	return render(outname.Decide(pg.p.Name), jf)
}

// branchText spells a branch for doc comments: "Paying -> Shipping, sending
// Order.ValidatePayment and Shipment.RequestShipment".
func branchText(b *dsl.ProcessBranch) string {
	var from []string
	for _, s := range b.From {
		from = append(from, s.Name)
	}
	text := strings.Join(from, ", ") + " -> " + b.To.Name
	if len(b.Sends) > 0 {
		var sends []string
		for _, s := range b.Sends {
			sends = append(sends, s.Aggregate.Name+"."+s.Command.Name)
		}
		text += ", sending " + list(sends, "and")
	}
	return text
}

func (pg *procGen) deciderInterface(jf *jen.File) {
	jf.Add(comment(wrap(fmt.Sprintf("%s decides what the %s process does with each input: one method per reaction of %s, "+
		"given the process's id, its state and the input, returning exactly the commands the branch taken sends. "+
		"A method may be called again for an input (a crash, a redelivery): it must not have effects of its own; the commands it returns are the effects.",
		pg.decider(), pg.name, pg.esmName()))))
	var methods []jen.Code
	for _, r := range pg.p.Reactions {
		var text []string
		for _, b := range r.Branches {
			text = append(text, branchText(b))
		}
		lead := fmt.Sprintf("%s: %s.", goname.Exported(r.Input.Name), strings.Join(text, "; or "))
		if r.Doc != "" {
			lead = r.Doc + "\n\n" + lead
		}
		results := []jen.Code{jen.Error()}
		if res := pg.result(r); res != "" {
			results = []jen.Code{jen.Id(res), jen.Error()}
		}
		methods = append(methods, comment(wrap(lead)),
			jen.Id(goname.Exported(r.Input.Name)).Params(
				jen.Id("ctx").Qual("context", "Context"), jen.Id("id").String(),
				jen.Id("s").Id(pg.stateParam(r)), jen.Id("in").Id(pg.inputType(r.Input)),
			).Params(results...))
	}
	jf.Type().Id(pg.decider()).Interface(methods...)
}

// resultTypes emits what a reaction's decision returns: a struct of its
// sends (one branch), or an outcome made by one constructor per branch.
func (pg *procGen) resultTypes(jf *jen.File, r *dsl.Reaction) {
	res := pg.result(r)
	if res == "" {
		return
	}
	to := func(s *dsl.Send) *jen.Statement {
		return jen.Qual(pathProcess, "To").Types(jen.Id(goname.Exported(s.Command.Name)))
	}
	if len(r.Branches) == 1 {
		b := r.Branches[0]
		jf.Add(comment(wrap(fmt.Sprintf("%s are the commands the %s process sends on %s: %s.", res, pg.name, r.Input.Name, branchText(b)))))
		var fields []jen.Code
		for i, name := range sendFields(b) {
			fields = append(fields, jen.Id(name).Add(to(b.Sends[i])))
		}
		jf.Type().Id(res).Struct(fields...)
		return
	}
	jf.Add(comment(wrap(fmt.Sprintf("%s is the decision of the %s process on %s: the branch taken and the commands it sends. "+
		"Make it with one of its constructors; the zero value is no decision, which Decide refuses.", res, pg.name, r.Input.Name))))
	fields := []jen.Code{jen.Id("branch").Int()}
	for i, b := range r.Branches {
		for j, name := range sendFields(b) {
			fields = append(fields, jen.Id(fmt.Sprintf("b%d%s", i+1, name)).Add(to(b.Sends[j])))
		}
	}
	jf.Type().Id(res).Struct(fields...)
	for i, b := range r.Branches {
		ctor := pg.branchCtor(r, i)
		jf.Add(comment(wrap(fmt.Sprintf("%s decides the branch %s.", ctor, branchText(b)))))
		var params, values []jen.Code
		values = append(values, field("branch", jen.Lit(i+1)))
		for j, name := range sendFields(b) {
			p := goname.Unexported(name)
			params = append(params, jen.Id(p).Add(to(b.Sends[j])))
			values = append(values, field(fmt.Sprintf("b%d%s", i+1, name), jen.Id(p)))
		}
		jf.Func().Id(ctor).Params(params...).Id(res).Block(jen.Return(jen.Id(res).Values(values...)))
	}
}

func (pg *procGen) evolverInterface(jf *jen.File) {
	jf.Add(comment(wrap(fmt.Sprintf("%s computes the states of the %s process that do not follow from its inputs' fields: "+
		"one method per (state, input, target) whose new state needs code. Each must be pure and leave its arguments alone.", pg.evolver(), pg.name))))
	var methods []jen.Code
	for _, e := range pg.p.Evolutions {
		hook := pg.hooks[e]
		if hook == "" {
			continue
		}
		methods = append(methods,
			comment(wrap(fmt.Sprintf("%s returns the %s that %s leads to from %s. It is not generated: %s.",
				hook, pg.stateType(e.To), e.Input.Name, pg.stateType(e.From), strings.Join(e.HookReasons, "; ")))),
			jen.Id(hook).Params(jen.Id("s").Id(pg.stateType(e.From)), jen.Id("in").Id(pg.inputType(e.Input))).Id(pg.stateType(e.To)))
	}
	jf.Type().Id(pg.evolver()).Interface(methods...)
}

// definition emits New<Process>Definition.
func (pg *procGen) definition(jf *jen.File) {
	name := "New" + pg.name + "Definition"
	var params []jen.Code
	params = append(params, jen.Id("d").Id(pg.decider()))
	if len(pg.hooks) > 0 {
		params = append(params, jen.Id("ev").Id(pg.evolver()))
	}
	var aggNames []string
	for _, a := range pg.aggs {
		params = append(params, jen.Id(pg.repoParam(a)).Op("*").Id(goname.Repository(a.Name)))
		aggNames = append(aggNames, goname.Exported(a.Name))
	}
	jf.Add(comment(wrap(fmt.Sprintf("%s returns the definition of the %s process that a process.Runner runs: "+
		"its decisions bound to d, and the repositories of %s, which decode the events it reacts to and handle the commands it sends. "+
		"It panics if any of them is nil: a nil one would fail only where it is first called, in production.",
		name, pg.name, list(aggNames, "and")))))
	state, input := pg.stateIface(), pg.inputIface()
	evolve := jen.Id(pg.evolveFunc())
	if len(pg.hooks) > 0 {
		evolve = jen.Func().Params(jen.Id("s").Id(state), jen.Id("step").Add(pg.stepType())).Params(jen.Id(state), jen.Error()).Block(
			jen.Return(jen.Id(pg.evolveFunc()).Call(jen.Id("ev"), jen.Id("s"), jen.Id("step"))))
	}
	var sources []jen.Code
	for _, co := range pg.p.Correlations {
		sources = append(sources, jen.Lit(co.Aggregate.Name))
	}
	codec := []jen.Code{}
	for _, a := range pg.aggs {
		codec = append(codec, field(pg.repoParam(a), jen.Id(pg.repoParam(a)).Dot("Events").Call()))
	}
	machine := []jen.Code{
		field("Type", jen.Lit(pg.p.Name)),
		field("Initial", jen.Func().Params().Id(state).Add(oneLine(jen.Return(jen.Id(pg.stateType(pg.p.Initial)).Values())))),
		field("Decide", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("s").Id(state), jen.Id("in").Id(input), jen.Id("steps").Index().Add(pg.stepType())).
			Params(jen.Index().Add(pg.stepType()), jen.Error()).Block(
			jen.Return(jen.Id(pg.decideFunc()).Call(jen.Id("ctx"), jen.Id("d"), jen.Id("s"), jen.Id("in"), jen.Id("steps"))))),
		field("Evolve", evolve),
	}
	if creates := pg.creates(); creates != nil {
		machine = append(machine, field("Creates", creates))
	}
	machine = append(machine, field("Events", jen.Id("codec")))
	fields := []jen.Code{
		field("Machine", jen.Qual(pathES, "Definition").Types(jen.Id(state), jen.Id(input), pg.stepType()).Add(keyed(machine...))),
		field("Sources", jen.Index().String().Values(sources...)),
		field("Input", jen.Id("codec").Dot("input")),
		field("Rejected", jen.Id(unexported(pg.p.Name, "rejected"))),
	}
	if timers := pg.timers(); timers != nil {
		fields = append(fields, field("Timers", timers))
	}
	fields = append(fields,
		field("StateName", jen.Id(pg.name+"StateName")),
		field("Dispatch", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("s").Qual(pathProcess, "Send"), jen.Id("opts").Op("...").Qual(pathES, "HandleOption")).Error().Block(
			jen.Return(jen.Id(unexported(pg.p.Name, "dispatch")).Call(append(append([]jen.Code{jen.Id("ctx")}, pg.sendRepos()...), jen.Id("s"), jen.Id("opts"))...)))),
		field("Sent", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("s").Qual(pathProcess, "Send"), jen.Id("commandID").String()).Params(jen.Bool(), jen.Error()).Block(
			jen.Return(jen.Id(unexported(pg.p.Name, "sent")).Call(append(append([]jen.Code{jen.Id("ctx")}, pg.sendRepos()...), jen.Id("s"), jen.Id("commandID"))...)))),
	)
	var args, checks []jen.Code
	check := func(param, what string) {
		checks = append(checks, jen.If(jen.Id(param).Op("==").Nil()).Block(jen.Panic(jen.Lit(fmt.Sprintf("%s: %s is nil: %s", name, param, what)))))
	}
	args = append(args, jen.Id("d"))
	check("d", "pass your "+pg.decider()+" (Decide calls it for every input)")
	if len(pg.hooks) > 0 {
		args = append(args, jen.Id("ev"))
		check("ev", "pass your "+pg.evolver()+" (Evolve calls it for the states that need code)")
	}
	for _, a := range pg.aggs {
		args = append(args, jen.Id(pg.repoParam(a)))
		check(pg.repoParam(a), fmt.Sprintf("pass the %s (made with %s and your %s code): the process decodes its events and sends it commands",
			goname.Repository(a.Name), goname.NewRepository(a.Name), goname.Exported(a.Name)))
	}
	jf.Func().Id(name).Params(params...).Qual(pathProcess, "Definition").Types(jen.Id(state), jen.Id(input)).Block(
		append(checks, jen.Return(jen.Id(pg.definitionFunc()).Call(args...)))...)
	jf.Add(comment(wrap(fmt.Sprintf("%s is %s without its checks: the generated tests pass nil for the code they must never reach.", pg.definitionFunc(), name))))
	jf.Func().Id(pg.definitionFunc()).Params(params...).Qual(pathProcess, "Definition").Types(jen.Id(state), jen.Id(input)).Block(
		jen.Id("codec").Op(":=").Id(pg.codecType()).Add(keyed(codec...)),
		jen.Return(jen.Qual(pathProcess, "Definition").Types(jen.Id(state), jen.Id(input)).Add(keyed(fields...))),
	)
}

// sendRepos are the repository parameters of the aggregates the process
// sends commands to, in order.
func (pg *procGen) sendRepos() []jen.Code {
	var out []jen.Code
	for _, a := range pg.aggs {
		if pg.sendsTo[a] {
			out = append(out, jen.Id(pg.repoParam(a)))
		}
	}
	return out
}

// timers is the Definition's Timers map, or nil.
func (pg *procGen) timers() jen.Code {
	byState := map[*dsl.State][]jen.Code{}
	for _, in := range pg.p.Inputs {
		if in.Kind != dsl.InputTimer {
			continue
		}
		byState[in.State] = append(byState[in.State], jen.Values(
			field("Name", jen.Lit(in.Name)),
			field("After", durationExpr(in)),
			field("Input", jen.Func().Params(jen.Id("due").Qual("time", "Time")).Id(pg.inputIface()).Add(
				oneLine(jen.Return(jen.Id(pg.inputType(in)).Values(field("Due", jen.Id("due"))))))),
		))
	}
	if len(byState) == 0 {
		return nil
	}
	var entries []jen.Code
	for _, s := range pg.p.States {
		if ts := byState[s]; ts != nil {
			entries = append(entries, jen.Lit(s.Name).Op(":").Add(keyed(ts...)))
		}
	}
	return jen.Map(jen.String()).Index().Qual(pathProcess, "Timer").Types(jen.Id(pg.inputIface())).Add(keyed(entries...))
}

// durationExpr is a timer's duration as a Go expression: its nanoseconds
// written in the largest whole unit.
func durationExpr(in *dsl.Input) jen.Code { return durationCode(in.After) }

// durationCode is a duration as a Go expression: its nanoseconds written
// in the largest whole unit.
func durationCode(d time.Duration) jen.Code {
	for _, u := range []struct {
		unit string
		ns   int64
	}{{"Hour", 3600e9}, {"Minute", 60e9}, {"Second", 1e9}, {"Millisecond", 1e6}, {"Microsecond", 1e3}} {
		if int64(d)%u.ns == 0 {
			return jen.Lit(int(int64(d)/u.ns)).Op("*").Qual("time", u.unit)
		}
	}
	return jen.Qual("time", "Duration").Call(jen.Lit(int64(d)))
}

// decide emits <process>Decide: the process's Mealy output, one step per
// input accepted in the current state.
func (pg *procGen) decide(jf *jen.File) {
	state, input := pg.stateIface(), pg.inputIface()
	jf.Add(comment(wrap(fmt.Sprintf("%s hands every declared (state, input) pair to the decider and appends the step it decides to steps; "+
		"it refuses every other pair with an *es.InvalidTransitionError naming both.", pg.decideFunc()))))
	var cases []jen.Code
	for _, r := range pg.p.Reactions {
		cases = append(cases, jen.Case(jen.Id(pg.inputType(r.Input))).Block(pg.decideReaction(r)...))
	}
	body := []jen.Code{
		jen.If(jen.Id("s").Op("==").Nil().Op("||").Id("in").Op("==").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("decide "+pg.p.Name+": %T with %T: nil state or input"), jen.Id("s"), jen.Id("in")))),
		jen.List(jen.Id("ref"), jen.Id("_")).Op(":=").Qual(pathES, "RefFromContext").Call(jen.Id("ctx")),
		jen.Id("id").Op(":=").Id("ref").Dot("ID"),
		jen.Switch(jen.Id("in").Op(":=").Id("in").Assert(jen.Type())).Block(cases...),
		jen.Return(jen.Nil(), pg.invalid(nil)),
	}
	jf.Func().Id(pg.decideFunc()).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("d").Id(pg.decider()), jen.Id("s").Id(state), jen.Id("in").Id(input),
		jen.Id("steps").Index().Add(pg.stepType())).Params(jen.Index().Add(pg.stepType()), jen.Error()).Block(body...)
}

// invalid is the *es.InvalidTransitionError of the current state and
// input; branch names the target of a branch chosen out of its sources.
func (pg *procGen) invalid(branch jen.Code) jen.Code {
	fs := []jen.Code{
		field("Aggregate", jen.Lit(pg.p.Name)),
		field("State", jen.Id("s").Dot(pg.stateMarker()).Call()),
		field("Command", jen.Id("in").Dot(pg.inputMarker()).Call()),
	}
	if branch != nil {
		fs = append(fs, field("Branch", branch))
	}
	return jen.Op("&").Qual(pathES, "InvalidTransitionError").Values(fs...)
}

// decideReaction is the case of one reaction in Decide.
func (pg *procGen) decideReaction(r *dsl.Reaction) []jen.Code {
	src := pg.sourcesOf(r)
	method := goname.Exported(r.Input.Name)
	res := pg.result(r)
	call := jen.Id("d").Dot(method).Call(jen.Id("ctx"), jen.Id("id"), jen.Id("s"), jen.Id("in"))
	var stmts []jen.Code
	if res == "" {
		stmts = append(stmts, jen.If(jen.Err().Op(":=").Add(call), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
	} else {
		stmts = append(stmts, jen.List(jen.Id("out"), jen.Err()).Op(":=").Add(call),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
	}
	stepOf := func(b *dsl.ProcessBranch, outField func(string) jen.Code) []jen.Code {
		var out []jen.Code
		from := jen.Id("s").Dot(pg.stateMarker()).Call()
		if len(src) == 1 {
			from = jen.Lit(src[0].Name)
		}
		out = append(out, jen.Id("step").Op(":=").Add(pg.stepType()).Values(
			field("Input", jen.Id("in")), field("From", from), field("To", jen.Lit(b.To.Name))))
		if len(b.Sends) > 0 {
			out = append(out, jen.Id("step").Dot("Sends").Op("=").Make(jen.Index().Qual(pathProcess, "Send"), jen.Lit(len(b.Sends))))
		}
		for i, name := range sendFields(b) {
			s := b.Sends[i]
			out = append(out, jen.If(
				jen.List(jen.Id("step").Dot("Sends").Index(jen.Lit(i)), jen.Err()).Op("=").Qual(pathProcess, "Encode").Call(jen.Lit(s.Aggregate.Name), jen.Lit(s.Command.Name), outField(name)),
				jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
		}
		return append(out, jen.Return(jen.Append(jen.Id("steps"), jen.Id("step")), jen.Nil()))
	}
	if len(r.Branches) == 1 {
		stmts = append(stmts, stepOf(r.Branches[0], func(name string) jen.Code { return jen.Id("out").Dot(name) })...)
	} else {
		var cases []jen.Code
		for i, b := range r.Branches {
			body := stepOf(b, func(name string) jen.Code { return jen.Id("out").Dot(fmt.Sprintf("b%d%s", i+1, name)) })
			if len(b.From) < len(src) {
				var types []jen.Code
				for _, st := range b.From {
					types = append(types, jen.Id(pg.stateType(st)))
				}
				body = []jen.Code{
					jen.Switch(jen.Id("s").Assert(jen.Type())).Block(jen.Case(types...).Block(body...)),
					jen.Return(jen.Nil(), pg.invalid(jen.Lit(b.To.Name))),
				}
			}
			cases = append(cases, jen.Case(jen.Lit(i+1)).Block(body...))
		}
		cases = append(cases, jen.Default().Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(
			jen.Lit(fmt.Sprintf("decide %s: %s in %%s: the decision returned no branch (the zero %s)", pg.p.Name, r.Input.Name, res)),
			jen.Id("s").Dot(pg.stateMarker()).Call()))))
		stmts = append(stmts, jen.Switch(jen.Id("out").Dot("branch")).Block(cases...))
	}
	if len(src) == 1 {
		return []jen.Code{jen.If(jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Id("s").Assert(jen.Id(pg.stateType(src[0]))), jen.Id("ok")).Block(stmts...)}
	}
	var types []jen.Code
	for _, st := range src {
		types = append(types, jen.Id(pg.stateType(st)))
	}
	return []jen.Code{jen.Switch(jen.Id("s").Assert(jen.Type())).Block(jen.Case(types...).Block(stmts...))}
}

// creates is the machine's Creates function: whether an input is an event
// that only the initial state accepts, so that the runner may decide it for
// an instance it does not know without reading it first (its step is
// stored only if the instance has none); nil when no input is. Refusals
// and timers always follow a step, so they never create an instance.
func (pg *procGen) creates() jen.Code {
	var ins []jen.Code
	for _, r := range pg.p.Reactions {
		if r.Input.Kind != dsl.InputEvent {
			continue
		}
		initialOnly := true
		for _, b := range r.Branches {
			for _, from := range b.From {
				initialOnly = initialOnly && from == pg.p.Initial
			}
		}
		if initialOnly {
			ins = append(ins, jen.Id(pg.inputType(r.Input)))
		}
	}
	in := pg.inputIface()
	switch len(ins) {
	case 0:
		return nil
	case 1:
		return jen.Func().Params(jen.Id("in").Id(in)).Bool().Block(
			jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("in").Assert(ins[0]),
			jen.Return(jen.Id("ok")),
		)
	}
	return jen.Func().Params(jen.Id("in").Id(in)).Bool().Block(
		jen.Switch(jen.Id("in").Assert(jen.Type())).Block(jen.Case(ins...).Block(jen.Return(jen.True()))),
		jen.Return(jen.False()),
	)
}
