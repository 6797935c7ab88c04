package generator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/outname"
)

// decideFile emits <aggregate>_decide.gen.go: the decider interface and
// its result types, the Evolver hooks, the exhaustive Decide and Evolve
// functions, the es.Definition and the machine as data.
func (ag *aggGen) decideFile() (unformatted, error) {
	jf := ag.newFile(true)
	for _, d := range ag.p.decisions {
		ag.sourcesType(jf, d)
		ag.resultTypes(jf, d)
	}
	ag.deciderInterface(jf)
	if ag.p.needEvolver {
		ag.evolverInterface(jf)
	}
	ag.definition(jf)
	ag.decideFunc(jf)
	ag.evolveFunc(jf)
	ag.machineFunc(jf)
	return render(outname.Decide(ag.a.Name), jf)
}

// sourcesType emits the sealed interface of a decision's source states when
// there are several.
func (ag *aggGen) sourcesType(jf *jen.File, d *decision) {
	if len(d.sources) < 2 {
		return
	}
	name := goname.Sources(d.cmd.Name)
	marker := unexported(d.cmd.Name, "source")
	jf.Add(comment(wrap(fmt.Sprintf("%s is a state of %s in which %s is accepted: %s.",
		name, aggDisplay(ag.a), goname.Exported(d.cmd.Name), list(stateNames(d.sources), "or")))))
	jf.Type().Id(name).Interface(
		jen.Id(goname.StateInterface(ag.a.Name)),
		jen.Id(marker).Params(),
	)
	for _, s := range d.sources {
		jf.Func().Params(jen.Id(goname.Exported(s.Name))).Id(marker).Params().Block()
	}
}

// eventStructFields are the fields of a struct holding a branch's events.
func eventStructFields(b *branch) []jen.Code {
	out := make([]jen.Code, len(b.emits))
	for i, e := range b.emits {
		out[i] = jen.Id(b.fields[i]).Id(goname.Exported(e.Name))
	}
	return out
}

func eventList(b *branch) string {
	return list(names(len(b.emits), func(i int) string { return goname.Exported(b.emits[i].Name) }), "and")
}

// resultTypes emits <Cmd>Emitted, or <Cmd>Outcome and its branch types.
func (ag *aggGen) resultTypes(jf *jen.File, d *decision) {
	cmd := goname.Exported(d.cmd.Name)
	switch d.result() {
	case resultEmitted:
		b := d.branches[0]
		name := goname.Emitted(d.cmd.Name)
		jf.Add(comment(wrap(fmt.Sprintf("%s holds the events %s records, in this order: %s.", name, cmd, eventList(b)))))
		jf.Type().Id(name).Struct(eventStructFields(b)...)
	case resultOutcome:
		ag.outcomeType(jf, d)
	}
}

// outcomeType emits <Cmd>Outcome, a struct holding the branch taken and its
// events, the constants numbering its branches, and one constructor per
// branch, named for it. A struct rather than a sealed interface of branch
// types: returning it boxes nothing, so a decision allocates no more than
// its events.
func (ag *aggGen) outcomeType(jf *jen.File, d *decision) {
	cmd := goname.Exported(d.cmd.Name)
	name := goname.Outcome(d.cmd.Name)
	ctors := names(len(d.branches), func(i int) string { return d.branches[i].typeName })
	jf.Add(comment(wrap(fmt.Sprintf("%s is the decision on %s: the branch taken and its events, made by %s. "+
		"The zero %s is no decision, which Decide rejects.", name, cmd, list(ctors, "or"), name))))
	fields := []jen.Code{jen.Id("branch").Uint8().Comment("the branch taken, one of the constants below; 0 for none")}
	for _, b := range d.branches {
		for i, e := range b.emits {
			fields = append(fields, jen.Id(b.outcome[i]).Id(goname.Exported(e.Name)))
		}
	}
	jf.Type().Id(name).Struct(fields...)
	consts := make([]jen.Code, len(d.branches))
	for i, b := range d.branches {
		if i == 0 {
			consts[i] = jen.Id(goname.BranchConst(b.typeName)).Uint8().Op("=").Iota().Op("+").Lit(1)
		} else {
			consts[i] = jen.Id(goname.BranchConst(b.typeName))
		}
	}
	jf.Add(comment(fmt.Sprintf("The branches of %s.", name)))
	jf.Const().Defs(consts...)
	for _, b := range d.branches {
		text := fmt.Sprintf("%s moves %s to %s", b.typeName, aggDisplay(ag.a), goname.Exported(b.to.Name))
		if b.to == b.from[0] && len(b.from) == 1 {
			text = fmt.Sprintf("%s keeps %s in %s", b.typeName, aggDisplay(ag.a), goname.Exported(b.to.Name))
		}
		if len(b.emits) > 0 {
			text += fmt.Sprintf(", recording %s", eventList(b))
		} else {
			text += ", recording nothing"
		}
		if b.guarded {
			text += fmt.Sprintf(". It may be chosen in %s only", list(stateNames(b.from), "or"))
		}
		jf.Add(comment(wrap(text + ".")))
		params := make([]jen.Code, len(b.emits))
		values := []jen.Code{field("branch", jen.Id(goname.BranchConst(b.typeName)))}
		for i, e := range b.emits {
			p := goname.Unexported(b.fields[i])
			params[i] = jen.Id(p).Id(goname.Exported(e.Name))
			values = append(values, field(b.outcome[i], jen.Id(p)))
		}
		jf.Func().Id(b.typeName).Params(params...).Id(name).Block(jen.Return(jen.Id(name).Values(values...)))
	}
	if !slices.ContainsFunc(d.branches, func(b *branch) bool { return b.guarded }) {
		return // only a guarded branch's rejection names its target
	}
	jf.Add(comment(wrap(fmt.Sprintf("target returns the name of the state the branch taken leads to, or \"\" for the zero %s.", name))))
	cases := make([]jen.Code, len(d.branches))
	for i, b := range d.branches {
		cases[i] = jen.Case(jen.Id(goname.BranchConst(b.typeName))).Block(jen.Return(jen.Lit(b.to.Name)))
	}
	jf.Func().Params(jen.Id("o").Id(name)).Id("target").Params().String().Block(
		jen.Switch(jen.Id("o").Dot("branch")).Block(cases...),
		jen.Return(jen.Lit("")),
	)
}

// outcomeFields names the fields of <Cmd>Outcome holding the events of
// each branch of d: for the event ("paymentValidated") when no other
// branch records it, else for the branch too ("toDeclinedRejected"); a
// name already taken, by the outcome itself or by another branch, gets a
// number.
func outcomeFields(d *decision) {
	taken := map[string]bool{"branch": true, "target": true} // the outcome's own
	for _, b := range d.branches {
		b.outcome = make([]string, len(b.fields))
		for i, f := range b.fields {
			name := unexported(f)
			shared := taken[name]
			for _, other := range d.branches {
				if other != b && slices.Contains(other.fields, f) {
					shared = true
				}
			}
			if shared {
				name = unexported(strings.TrimPrefix(b.typeName, goname.Exported(d.cmd.Name)), f)
			}
			for n, base := 2, name; taken[name]; n++ {
				name = base + strconv.Itoa(n)
			}
			taken[name] = true
			b.outcome[i] = name
		}
	}
}

// deciderMethod is the signature of a decision's decider method.
func (ag *aggGen) deciderMethod(d *decision) *jen.Statement {
	params := jen.Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("s").Id(d.srcType()),
		jen.Id("c").Id(goname.Exported(d.cmd.Name)),
	)
	st := jen.Id(d.method).Add(params)
	switch d.result() {
	case resultNone:
		return st.Error()
	case resultEvent:
		return st.Parens(jen.List(jen.Id(goname.Exported(d.branches[0].emits[0].Name)), jen.Error()))
	case resultEmitted:
		return st.Parens(jen.List(jen.Id(goname.Emitted(d.cmd.Name)), jen.Error()))
	}
	return st.Parens(jen.List(jen.Id(goname.Outcome(d.cmd.Name)), jen.Error()))
}

func (ag *aggGen) deciderInterface(jf *jen.File) {
	name := goname.Decider(ag.a.Name)
	jf.Add(comment(wrap(fmt.Sprintf("%s holds the business decisions of %s: one method per command the machine accepts, "+
		"given the current state and the command, returning what the transition declares and nothing else. "+
		"An error rejects the command; nothing is recorded. Implement it and pass it to %s or %s.",
		name, aggDisplay(ag.a), goname.NewDefinition(ag.a.Name), goname.NewRepository(ag.a.Name)))))
	var methods []jen.Code
	for _, d := range ag.p.decisions {
		methods = append(methods, comment(ag.decisionDoc(d)), ag.deciderMethod(d))
	}
	jf.Type().Id(name).Interface(methods...)
}

// decisionDoc documents a decider method.
func (ag *aggGen) decisionDoc(d *decision) string {
	cmd := goname.Exported(d.cmd.Name)
	var b strings.Builder
	fmt.Fprintf(&b, "%s decides %s in %s: ", d.method, cmd, list(stateNames(d.sources), "or"))
	switch d.result() {
	case resultNone:
		fmt.Fprintf(&b, "%s stays in %s and nothing is recorded; a nil error accepts the command.", ag.p.name, goname.Exported(d.branches[0].to.Name))
	case resultEvent:
		br := d.branches[0]
		fmt.Fprintf(&b, "the %s it returns %s.", goname.Exported(br.emits[0].Name), moves(ag.p.name, br, true))
	case resultEmitted:
		fmt.Fprintf(&b, "the events it returns %s.", moves(ag.p.name, d.branches[0], false))
	case resultOutcome:
		var alts []string
		for _, br := range d.branches {
			alts = append(alts, fmt.Sprintf("%s (to %s)", br.typeName, goname.Exported(br.to.Name)))
		}
		fmt.Fprintf(&b, "it returns the branch taken, made by %s.", list(alts, "or"))
	}
	return joinDoc(wrap(b.String()), d.doc)
}

// moves describes where a single-branch decision leads.
func moves(agg string, br *branch, single bool) string {
	verb, stays := "move", "are recorded"
	if single {
		verb, stays = "moves", "is recorded"
	}
	if len(br.from) == 1 && br.from[0] == br.to {
		return stays + " and the " + agg + " stays in " + goname.Exported(br.to.Name)
	}
	return verb + " the " + agg + " to " + goname.Exported(br.to.Name)
}

func (ag *aggGen) evolverInterface(jf *jen.File) {
	name := goname.Evolver(ag.a.Name)
	jf.Add(comment(wrap(fmt.Sprintf("%s computes the states of %s that do not follow from an event's fields: "+
		"one method per (state, event) pair whose new state needs code. Each must be pure (no clock, no randomness, "+
		"no I/O) and must not modify its arguments: replaying the same events must always give the same state.",
		name, aggDisplay(ag.a)))))
	var methods []jen.Code
	for _, e := range ag.p.evolutions {
		if e.hook == "" {
			continue
		}
		from, to, ev := goname.Exported(e.From.Name), goname.Exported(e.To.Name), goname.Exported(e.Event.Name)
		methods = append(methods,
			comment(wrap(fmt.Sprintf("%s returns the %s that %s leads to from %s. %s", e.hook, to, ev, from, hookWhy(e.Evolution, "Test"+ag.p.name+"EvolveHooks")))),
			jen.Id(e.hook).Params(jen.Id("s").Id(from), jen.Id("e").Id(ev)).Id(to),
		)
	}
	jf.Type().Id(name).Interface(methods...)
}

// hookWhy says why an evolution is a hook and what it must use, in the
// .esm's terms.
func hookWhy(e *dsl.Evolution, test string) string {
	var b strings.Builder
	if len(e.HookReasons) == 0 {
		fmt.Fprintf(&b, "The .esm asks for it (evolve %s on %s: hook).", e.From.Name, e.Event.Name)
	} else {
		fmt.Fprintf(&b, "It is not generated: %s.", strings.Join(e.HookReasons, "; "))
	}
	if len(e.Dropped) > 0 {
		fmt.Fprintf(&b, " The .esm drops %s: the hook need not use %s. Every other field of the event must reach the new state", fieldList(e.Dropped), pronoun(len(e.Dropped)))
	} else {
		b.WriteString(" Every field of the event must reach the new state")
	}
	fmt.Fprintf(&b, " (the test skeleton's %s checks it).", test)
	return b.String()
}

// fieldList spells field names as "a", "a and b", "a, b and c".
func fieldList(fields []*dsl.Field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return andList(names)
}

func andList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// generics is the type argument list [OrderState, OrderCommand, OrderEvent].
func (ag *aggGen) generics() []jen.Code {
	return []jen.Code{jen.Id(goname.StateInterface(ag.a.Name)), jen.Id(goname.CommandInterface(ag.a.Name)), jen.Id(goname.EventInterface(ag.a.Name))}
}

// hookParams are the parameters that bind the user's code: the decider,
// then the Evolver and Upcaster when the aggregate needs them.
func (ag *aggGen) hookParams() []jen.Code {
	ps := []jen.Code{jen.Id("d").Id(goname.Decider(ag.a.Name))}
	if ag.p.needEvolver {
		ps = append(ps, jen.Id("ev").Id(goname.Evolver(ag.a.Name)))
	}
	if ag.p.needUpcaster {
		ps = append(ps, jen.Id("up").Id(goname.Upcaster(ag.a.Name)))
	}
	return ps
}

func (ag *aggGen) hookArgs() []jen.Code {
	as := []jen.Code{jen.Id("d")}
	if ag.p.needEvolver {
		as = append(as, jen.Id("ev"))
	}
	if ag.p.needUpcaster {
		as = append(as, jen.Id("up"))
	}
	return as
}

// eventCodecValue is the expression of the aggregate's event codec.
func (ag *aggGen) eventCodecValue() jen.Code {
	if ag.p.needUpcaster {
		return jen.Id(goname.EventCodec(ag.a.Name)).Values(jen.Id("up").Op(":").Id("up"))
	}
	return jen.Id(goname.EventCodec(ag.a.Name)).Values()
}

func (ag *aggGen) definition(jf *jen.File) {
	name := goname.NewDefinition(ag.a.Name)
	state, cmd, event := goname.StateInterface(ag.a.Name), goname.CommandInterface(ag.a.Name), goname.EventInterface(ag.a.Name)
	bound := "d"
	if ag.p.needEvolver {
		bound += ", ev"
	}
	if ag.p.needUpcaster {
		bound += " and up"
	} else if ag.p.needEvolver {
		bound = "d and ev"
	}
	snap := "no snapshots"
	if ag.a.SnapshotEvery > 0 {
		snap = fmt.Sprintf("a snapshot every %d events", ag.a.SnapshotEvery)
	}
	text := fmt.Sprintf("%s returns the definition of %s that the runtime runs: the initial state %s, "+
		"Decide and Evolve bound to %s, the event and state codecs, and %s.",
		name, ag.p.name, goname.Exported(ag.a.Initial.Name), bound, snap)
	if creates := ag.creatingCommands(); creates != "" {
		text += fmt.Sprintf(" %s, which only %s accepts, is decided on a new aggregate without reading it first.", creates, goname.Exported(ag.a.Initial.Name))
	}
	if ag.a.ArchiveAfter > 0 {
		text += fmt.Sprintf(" An instance %s after it reached a final state may be archived (see es.Repository.Archive).", durationText(ag.a.ArchiveAfter))
	}
	text += fmt.Sprintf(" It panics if %s is nil: a nil one would fail only where it is first called, in production.", hookList(ag.p))
	jf.Add(comment(wrap(text)))
	evolve := jen.Id(goname.Evolve(ag.a.Name))
	if ag.p.needEvolver {
		evolve = jen.Func().Params(jen.Id("s").Id(state), jen.Id("e").Id(event)).Params(jen.Id(state), jen.Error()).Block(
			jen.Return(jen.Id(goname.Evolve(ag.a.Name)).Call(jen.Id("ev"), jen.Id("s"), jen.Id("e"))))
	}
	fields := []jen.Code{
		field("Type", jen.Lit(ag.a.Name)),
		field("Initial", jen.Func().Params().Id(state).Add(oneLine(jen.Return(jen.Id(goname.Exported(ag.a.Initial.Name)).Values())))),
		field("Decide", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("s").Id(state), jen.Id("c").Id(cmd), jen.Id("events").Index().Id(event)).
			Params(jen.Index().Id(event), jen.Error()).Block(
			jen.Return(jen.Id(goname.Decide(ag.a.Name)).Call(jen.Id("ctx"), jen.Id("d"), jen.Id("s"), jen.Id("c"), jen.Id("events"))))),
		field("Evolve", evolve),
	}
	if creates := ag.creates(); creates != nil {
		fields = append(fields, field("Creates", creates))
	}
	fields = append(fields,
		field("Events", ag.eventCodecValue()),
		field("States", jen.Id(goname.StateCodec(ag.a.Name)).Values()),
	)
	if ag.a.SnapshotEvery > 0 {
		fields = append(fields, field("SnapshotEvery", jen.Lit(ag.a.SnapshotEvery)))
	}
	if ag.a.ArchiveAfter > 0 {
		var finals []jen.Code
		for _, st := range ag.a.States {
			if st.Final {
				finals = append(finals, jen.Id(goname.Exported(st.Name)))
			}
		}
		fields = append(fields,
			field("Final", jen.Func().Params(jen.Id("s").Id(state)).Bool().Block(
				jen.Switch(jen.Id("s").Assert(jen.Type())).Block(jen.Case(finals...).Block(jen.Return(jen.True()))),
				jen.Return(jen.False()))),
			field("ArchiveAfter", durationCode(ag.a.ArchiveAfter)))
	}
	body := append(ag.nilChecks(name), jen.Return(jen.Id(goname.Definition(ag.a.Name)).Call(ag.hookArgs()...)))
	jf.Func().Id(name).Params(ag.hookParams()...).Qual(pathES, "Definition").Types(ag.generics()...).Block(body...)
	jf.Add(comment(wrap(fmt.Sprintf("%s is %s without its checks: the generated tests pass nil for the code they must never reach.",
		goname.Definition(ag.a.Name), name))))
	jf.Func().Id(goname.Definition(ag.a.Name)).Params(ag.hookParams()...).Qual(pathES, "Definition").Types(ag.generics()...).Block(
		jen.Return(jen.Qual(pathES, "Definition").Types(ag.generics()...).Add(keyed(fields...))),
	)
}

// hookList names the hook parameters of an aggregate's constructors:
// "d", "d or ev", "d, ev or up".
func hookList(p *aggPlan) string {
	names := []string{"d"}
	if p.needEvolver {
		names = append(names, "ev")
	}
	if p.needUpcaster {
		names = append(names, "up")
	}
	return list(names, "or")
}

// nilChecks are the statements with which constructor fn panics on a nil
// hook parameter, naming it and what would call it: a nil hook would
// otherwise fail only when it is first called, in production (an old
// event version read, a state whose evolution is user code).
func (ag *aggGen) nilChecks(fn string) []jen.Code {
	check := func(param, iface, when string) jen.Code {
		return jen.If(jen.Id(param).Op("==").Nil()).Block(jen.Panic(jen.Lit(fmt.Sprintf(
			"%s: %s is nil: pass your %s (%s)", fn, param, iface, when))))
	}
	out := []jen.Code{check("d", goname.Decider(ag.a.Name), "Decide calls it for every command")}
	if ag.p.needEvolver {
		for _, e := range ag.p.evolutions {
			if e.hook != "" {
				out = append(out, check("ev", goname.Evolver(ag.a.Name), fmt.Sprintf("Evolve calls %s when %s applies to %s", e.hook, e.Event.Name, e.From.Name)))
				break
			}
		}
	}
	out = append(out, ag.upcasterCheck(fn)...)
	return out
}

// upcasterCheck is the statement with which constructor fn panics on a
// nil upcaster, naming the first version that needs it.
func (ag *aggGen) upcasterCheck(fn string) []jen.Code {
	if !ag.p.needUpcaster {
		return nil
	}
	for _, c := range ag.p.upcasts {
		for _, st := range c.steps {
			if st.hook != "" {
				return []jen.Code{jen.If(jen.Id("up").Op("==").Nil()).Block(jen.Panic(jen.Lit(fmt.Sprintf(
					"%s: up is nil: pass your %s (reading a stored %s v%d calls %s)", fn, goname.Upcaster(ag.a.Name), c.event.Name, st.from.Number, st.hook))))}
			}
		}
	}
	return nil
}

// creatingCommands names the commands only the initial state accepts.
func (ag *aggGen) creatingCommands() string {
	var names []string
	for _, d := range ag.p.decisions {
		if len(d.sources) == 1 && d.sources[0] == ag.a.Initial {
			names = append(names, goname.Exported(d.cmd.Name))
		}
	}
	return orList(names)
}

// durationText is d as the .esm writes it: 2160h, 1h30m, 90m30s.
func durationText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

func orList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// creates is the Definition's Creates function: whether a command is one
// that only the initial state accepts, so that the runtime may decide it
// on a new aggregate without reading it first; nil when no command is.
func (ag *aggGen) creates() jen.Code {
	var cmds []jen.Code
	for _, d := range ag.p.decisions {
		if len(d.sources) == 1 && d.sources[0] == ag.a.Initial {
			cmds = append(cmds, jen.Id(goname.Exported(d.cmd.Name)))
		}
	}
	cmd := goname.CommandInterface(ag.a.Name)
	switch len(cmds) {
	case 0:
		return nil
	case 1:
		return jen.Func().Params(jen.Id("c").Id(cmd)).Bool().Block(
			jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("c").Assert(cmds[0]),
			jen.Return(jen.Id("ok")),
		)
	}
	return jen.Func().Params(jen.Id("c").Id(cmd)).Bool().Block(
		jen.Switch(jen.Id("c").Assert(jen.Type())).Block(jen.Case(cmds...).Block(jen.Return(jen.True()))),
		jen.Return(jen.False()),
	)
}

// keyed renders a composite literal's elements one per line, in order.
func keyed(elems ...jen.Code) *jen.Statement {
	return jen.Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, elems...)
}

// field is one keyed element of a composite literal.
func field(name string, value jen.Code) jen.Code { return jen.Id(name).Op(":").Add(value) }

// invalidTransition is &es.InvalidTransitionError{...} for the current
// state s and the command named cmd (an expression).
func (ag *aggGen) invalidTransition(cmd jen.Code) jen.Code {
	return jen.Op("&").Qual(pathES, "InvalidTransitionError").Values(
		field("Aggregate", jen.Lit(ag.a.Name)),
		field("State", jen.Id("s").Dot(ag.stateMarker()).Call()),
		field("Command", cmd),
	)
}

// eventsOf is append(events, x.A, x.B) for the events of a branch held in
// the struct x, or append(events, x) for the single event x itself.
func (ag *aggGen) eventsOf(x string, b *branch, single bool) jen.Code {
	if single {
		return jen.Append(jen.Id("events"), jen.Id(x))
	}
	return appendFields(x, b.fields)
}

// outcomeEvents is append(events, o.a, o.b) for the events of branch b of
// the outcome o.
func outcomeEvents(b *branch) jen.Code { return appendFields("o", b.outcome) }

// appendFields is append(events, x.f1, x.f2...).
func appendFields(x string, fields []string) jen.Code {
	elems := []jen.Code{jen.Id("events")}
	for _, f := range fields {
		elems = append(elems, jen.Id(x).Dot(f))
	}
	return jen.Append(elems...)
}

// decideFunc emits the exhaustive Decide: an outer switch on the command,
// an assertion of its source states, the decider call, and the events of
// the branch it picked.
func (ag *aggGen) decideFunc(jf *jen.File) {
	name := goname.Decide(ag.a.Name)
	state, cmd, event := goname.StateInterface(ag.a.Name), goname.CommandInterface(ag.a.Name), goname.EventInterface(ag.a.Name)
	jf.Add(comment(wrap(fmt.Sprintf("%s is the output function of the %s machine: it hands every declared (state, command) "+
		"pair to the decider, appending the events of the branch taken to events, and rejects every other pair with an "+
		"*es.InvalidTransitionError naming both.", name, ag.p.name))))

	var cases []jen.Code
	for _, d := range ag.p.decisions {
		call := jen.Id("d").Dot(d.method).Call(jen.Id("ctx"), jen.Id("s"), jen.Id("c"))
		var body []jen.Code
		errCheck := jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))
		switch d.result() {
		case resultNone:
			body = []jen.Code{
				jen.If(jen.Err().Op(":=").Add(call), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
				jen.Return(jen.Id("events"), jen.Nil()),
			}
		case resultEvent:
			body = []jen.Code{jen.List(jen.Id("e"), jen.Err()).Op(":=").Add(call), errCheck, jen.Return(ag.eventsOf("e", d.branches[0], true), jen.Nil())}
		case resultEmitted:
			body = []jen.Code{jen.List(jen.Id("o"), jen.Err()).Op(":=").Add(call), errCheck, jen.Return(ag.eventsOf("o", d.branches[0], false), jen.Nil())}
		case resultOutcome:
			body = append([]jen.Code{jen.List(jen.Id("o"), jen.Err()).Op(":=").Add(call), errCheck}, ag.outcomeSwitch(d)...)
		}
		cases = append(cases, jen.Case(jen.Id(goname.Exported(d.cmd.Name))).Block(
			jen.If(jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Id("s").Assert(jen.Id(d.srcType())), jen.Id("ok")).Block(body...),
		))
	}
	cases = append(cases, jen.Case(jen.Nil()).Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(
		jen.Lit("decide "+ag.a.Name+": %w: nil command in state %s"), jen.Qual(pathES, "ErrInvalidTransition"), jen.Id("s").Dot(ag.stateMarker()).Call()))))
	subject := jen.Id("c").Assert(jen.Type())
	if len(ag.p.decisions) > 0 {
		subject = jen.Id("c").Op(":=").Add(subject)
	}
	jf.Func().Id(name).Params(
		jen.Id("ctx").Qual("context", "Context"), jen.Id("d").Id(goname.Decider(ag.a.Name)), jen.Id("s").Id(state), jen.Id("c").Id(cmd),
		jen.Id("events").Index().Id(event),
	).Params(jen.Index().Id(event), jen.Error()).Block(
		jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit("decide "+ag.a.Name+": nil state")))),
		jen.Switch(subject).Block(cases...),
		jen.Return(jen.Nil(), ag.invalidTransition(jen.Id("c").Dot(ag.commandMarker()).Call())),
	)
}

// outcomeSwitch returns the events of the branch the decision returned.
// A branch that starts in fewer states than the command accepts is taken
// only in those; in another state Decide rejects it with an
// *es.InvalidTransitionError naming its target.
func (ag *aggGen) outcomeSwitch(d *decision) []jen.Code {
	var cases []jen.Code
	guarded := false
	for _, b := range d.branches {
		var ret jen.Code = jen.Return(jen.Id("events"), jen.Nil())
		if len(b.emits) > 0 {
			ret = jen.Return(outcomeEvents(b), jen.Nil())
		}
		body := ret
		switch {
		case !b.guarded:
		case len(b.from) == 1:
			guarded = true
			body = jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("s").Assert(jen.Id(goname.Exported(b.from[0].Name))), jen.Id("ok")).Block(ret)
		default:
			guarded = true
			body = jen.Switch(jen.Id("s").Assert(jen.Type())).Block(jen.Case(stateTypes(b.from)...).Block(ret))
		}
		cases = append(cases, jen.Case(jen.Id(goname.BranchConst(b.typeName))).Block(body))
	}
	noBranch := jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(
		jen.Lit(fmt.Sprintf("decide %s: %s in %%s: the decision returned no branch (the zero %s)", ag.a.Name, d.cmd.Name, goname.Outcome(d.cmd.Name))),
		jen.Id("s").Dot(ag.stateMarker()).Call()))
	if !guarded {
		return []jen.Code{jen.Switch(jen.Id("o").Dot("branch")).Block(cases...), noBranch}
	}
	cases = append(cases, jen.Default().Block(noBranch))
	return []jen.Code{
		jen.Switch(jen.Id("o").Dot("branch")).Block(cases...),
		jen.Return(jen.Nil(), jen.Op("&").Qual(pathES, "InvalidTransitionError").Values(
			field("Aggregate", jen.Lit(ag.a.Name)),
			field("State", jen.Id("s").Dot(ag.stateMarker()).Call()),
			field("Command", jen.Lit(d.cmd.Name)),
			field("Branch", jen.Id("o").Dot("target").Call()),
		)),
	}
}

func stateTypes(states []*dsl.State) []jen.Code {
	out := make([]jen.Code, len(states))
	for i, s := range states {
		out[i] = jen.Id(goname.Exported(s.Name))
	}
	return out
}
