package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/outname"
)

// pathProcess is the import path of the process runtime.
const pathProcess = "github.com/esgen/esgen/runtime/process"

// procGen emits the files of one process manager:
//
//	<process>.gen.go         sealed states and inputs, the refusal and timer inputs
//	<process>_decide.gen.go  the decider and its results, Evolve hooks, Decide, Evolve, the step codec, the definition
type procGen struct {
	*gen
	p    *dsl.Process
	name string // exported process name
	// aggs are the aggregates the process names: correlated or sent to,
	// in the order of first mention.
	aggs []*dsl.Aggregate
	// sendsTo marks the aggregates the process sends commands to.
	sendsTo map[*dsl.Aggregate]bool
	// hooks are the Evolve entries computed by user code, with their
	// method names.
	hooks map[*dsl.ProcessEvolution]string
}

func newProcGen(g *gen, p *dsl.Process) *procGen {
	pg := &procGen{gen: g, p: p, name: goname.Exported(p.Name), sendsTo: map[*dsl.Aggregate]bool{}, hooks: map[*dsl.ProcessEvolution]string{}}
	seen := map[*dsl.Aggregate]bool{}
	add := func(a *dsl.Aggregate) {
		if !seen[a] {
			seen[a] = true
			pg.aggs = append(pg.aggs, a)
		}
	}
	for _, co := range p.Correlations {
		add(co.Aggregate)
	}
	for _, r := range p.Reactions {
		if r.Input.Aggregate != nil {
			add(r.Input.Aggregate)
		}
		for _, br := range r.Branches {
			for _, s := range br.Sends {
				add(s.Aggregate)
				pg.sendsTo[s.Aggregate] = true
			}
		}
	}
	for _, e := range p.Evolutions {
		if e.Hook {
			pg.hooks[e] = goname.Exported(e.From.Name) + "On" + goname.Exported(e.Input.Name) + "To" + goname.Exported(e.To.Name)
		}
	}
	return pg
}

// steps are the functions generating the files of the process.
func (pg *procGen) steps(opt Options) []func() (unformatted, error) {
	steps := []func() (unformatted, error){pg.decideFile, pg.typesFile}
	if !opt.NoTests {
		steps = append(steps, pg.genTestFile, pg.skeletonFile)
	}
	return steps
}

// Go names of the process's declarations.
func (pg *procGen) stateIface() string                { return pg.name + "State" }
func (pg *procGen) inputIface() string                { return pg.name + "Input" }
func (pg *procGen) stateMarker() string               { return unexported(pg.p.Name, "state") }
func (pg *procGen) inputMarker() string               { return unexported(pg.p.Name, "input") }
func (pg *procGen) stateType(s *dsl.State) string     { return pg.name + goname.Exported(s.Name) }
func (pg *procGen) decider() string                   { return pg.name + "Decider" }
func (pg *procGen) evolver() string                   { return pg.name + "Evolver" }
func (pg *procGen) decideFunc() string                { return unexported(pg.p.Name, "decide") }
func (pg *procGen) definitionFunc() string            { return unexported(pg.p.Name, "definition") }
func (pg *procGen) testDefinition() string            { return unexported(pg.p.Name, "test", "definition") }
func (pg *procGen) evolveFunc() string                { return unexported(pg.p.Name, "evolve") }
func (pg *procGen) codecType() string                 { return unexported(pg.p.Name, "step", "codec") }
func (pg *procGen) repoParam(a *dsl.Aggregate) string { return unexported(a.Name, "repo") }
func (pg *procGen) stepType() *jen.Statement {
	return jen.Qual(pathProcess, "Step").Types(jen.Id(pg.inputIface()))
}

// inputType is the Go type of an input: an event's own type; the
// process's types for refusals and timers.
func (pg *procGen) inputType(in *dsl.Input) string {
	if in.Kind == dsl.InputEvent {
		return goname.Exported(in.Event.Name)
	}
	return pg.name + goname.Exported(in.Name)
}

// result is what the decider method of a reaction returns besides the
// error: "" when it returns only an error.
func (pg *procGen) result(r *dsl.Reaction) string {
	switch {
	case len(r.Branches) > 1:
		return pg.name + goname.Exported(r.Input.Name) + "Outcome"
	case len(r.Branches[0].Sends) > 0:
		return pg.name + goname.Exported(r.Input.Name) + "Sends"
	}
	return ""
}

// branchCtor is the constructor of a branch of a reaction with several.
func (pg *procGen) branchCtor(r *dsl.Reaction, i int) string { return pg.p.BranchCtor(r, i) }

// sendFields names the fields of a branch's sends: the command's name,
// numbered when the branch sends it more than once.
func sendFields(b *dsl.ProcessBranch) []string {
	count := map[*dsl.Command]int{}
	for _, s := range b.Sends {
		count[s.Command]++
	}
	seen := map[*dsl.Command]int{}
	out := make([]string, len(b.Sends))
	for i, s := range b.Sends {
		out[i] = goname.Exported(s.Command.Name)
		if count[s.Command] > 1 {
			seen[s.Command]++
			out[i] += fmt.Sprint(seen[s.Command])
		}
	}
	return out
}

// sourcesOf is the union of a reaction's sources, in state order.
func (pg *procGen) sourcesOf(r *dsl.Reaction) []*dsl.State {
	in := map[*dsl.State]bool{}
	for _, b := range r.Branches {
		for _, s := range b.From {
			in[s] = true
		}
	}
	var out []*dsl.State
	for _, s := range pg.p.States {
		if in[s] {
			out = append(out, s)
		}
	}
	return out
}

// stateParam is the Go type of the state a decider method is given: the
// state's type for one source, the state interface for several.
func (pg *procGen) stateParam(r *dsl.Reaction) string {
	if src := pg.sourcesOf(r); len(src) == 1 {
		return pg.stateType(src[0])
	}
	return pg.stateIface()
}

// typesFile emits <process>.gen.go: the sealed states and inputs.
func (pg *procGen) typesFile() (unformatted, error) {
	jf := pg.newFile(true)
	p := pg.p
	var states []string
	for _, s := range p.States {
		states = append(states, pg.stateType(s))
	}
	jf.Add(comment(wrap(fmt.Sprintf("%s is a state of a %s process: %s. Only the types of this package implement it.",
		pg.stateIface(), pg.name, list(states, "or")))))
	jf.Type().Id(pg.stateIface()).Interface(
		comment(fmt.Sprintf("%s returns the state's name as declared in %s.", pg.stateMarker(), pg.esmName())),
		jen.Id(pg.stateMarker()).Params().String(),
	)
	for _, s := range p.States {
		ident := pg.stateType(s)
		kind := fmt.Sprintf("%s is a state of the %s process.", ident, pg.name)
		switch {
		case s.Initial:
			kind = fmt.Sprintf("%s is the initial state of the %s process: the state of a process that has handled no input.", ident, pg.name)
		case s.Final:
			kind = fmt.Sprintf("%s is a final state of the %s process: it has ended.", ident, pg.name)
		}
		jf.Add(doc(ident, s.Name, s.Doc, kind, ""))
		jf.Type().Id(ident).Struct(pg.structFields(s.Fields)...)
	}
	for _, s := range p.States {
		jf.Func().Params(jen.Id(pg.stateType(s))).Id(pg.stateMarker()).Params().String().Add(oneLine(jen.Return(jen.Lit(s.Name))))
	}
	name := pg.name + "StateName"
	jf.Add(comment(wrap(fmt.Sprintf("%s returns the name of state s as declared in %s, \"\" for a nil state.", name, pg.esmName()))))
	jf.Func().Id(name).Params(jen.Id("s").Id(pg.stateIface())).String().Block(
		jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Lit(""))),
		jen.Return(jen.Id("s").Dot(pg.stateMarker()).Call()),
	)

	var inputs []string
	for _, in := range p.Inputs {
		inputs = append(inputs, pg.inputType(in))
	}
	jf.Add(comment(wrap(fmt.Sprintf("%s is an input of a %s process: %s. Only the types of this package implement it.",
		pg.inputIface(), pg.name, list(inputs, "or")))))
	jf.Type().Id(pg.inputIface()).Interface(
		comment(fmt.Sprintf("%s returns the input's name as the process stores it.", pg.inputMarker())),
		jen.Id(pg.inputMarker()).Params().String(),
	)
	for _, in := range p.Inputs {
		ident := pg.inputType(in)
		switch in.Kind {
		case dsl.InputRejection:
			jf.Add(comment(wrap(fmt.Sprintf("%s is the input of a %s command that the %s process sent and aggregate %s refused.",
				ident, goname.Exported(in.Command.Name), pg.name, goname.Exported(in.Aggregate.Name)))))
			jf.Type().Id(ident).Struct(
				comment("ID is the aggregate's id.").Line().Id("ID").String().Tag(map[string]string{"json": "id"}),
				comment("Command is the command refused.").Line().Id("Command").Id(goname.Exported(in.Command.Name)).Tag(map[string]string{"json": "command"}),
				comment("Reason is the refusal, as the aggregate's error said it.").Line().Id("Reason").String().Tag(map[string]string{"json": "reason"}),
			)
		case dsl.InputTimer:
			jf.Add(comment(wrap(fmt.Sprintf("%s is the input of the %s process when it has been in %s for %s.",
				ident, pg.name, goname.Exported(in.State.Name), in.Text))))
			jf.Type().Id(ident).Struct(
				comment("Due is when the timer was due.").Line().Id("Due").Qual("time", "Time").Tag(map[string]string{"json": "due"}),
			)
		}
	}
	for _, in := range p.Inputs {
		jf.Func().Params(jen.Id(pg.inputType(in))).Id(pg.inputMarker()).Params().String().Add(oneLine(jen.Return(jen.Lit(in.Name))))
	}
	return render(outname.Types(p.Name), jf)
}

// esmName is the .esm file name, for doc comments.
func (pg *procGen) esmName() string { return pg.base + ".esm" }
