package generator

import (
	"fmt"
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/outname"
)

// skeletonFile emits <aggregate>_test.go, the user's file, written only
// when absent: one given-when-then case per (branch, source state) of every
// transition, each failing with "not written yet" until filled in.
func (ag *aggGen) skeletonFile() (unformatted, error) {
	jf := ag.newFile(false)
	a := ag.a
	under := goname.UnderTest(a.Name)
	jf.Add(comment(wrap(fmt.Sprintf("%s returns the definition the cases below exercise. Pass your %s%s to %s.",
		under, goname.Decider(a.Name), hooksNote(ag.p), goname.NewDefinition(a.Name)))))
	jf.Func().Id(under).Params().Qual(pathES, "Definition").Types(ag.generics()...).Block(
		jen.Return(jen.Id(goname.NewDefinition(a.Name)).Call(ag.nilHooks()...)))

	if ag.p.needEvolver {
		ag.skeletonHookTest(jf)
	}
	if ag.p.needUpcaster {
		ag.skeletonUpcastTest(jf)
	}

	paths := ag.pathsFromInitial()
	for _, d := range ag.p.decisions {
		cmd := goname.Exported(d.cmd.Name)
		for _, b := range d.branches {
			for _, s := range b.from {
				name := "Test" + ag.p.name + cmd + "From" + goname.Exported(s.Name)
				if len(d.branches) > 1 {
					name = "Test" + ag.p.name + b.typeName + "From" + goname.Exported(s.Name)
				}
				text := fmt.Sprintf("%s in %s ", cmd, goname.Exported(s.Name))
				if b.to == s {
					text += "keeps the " + ag.p.name + " in " + goname.Exported(s.Name)
				} else {
					text += "moves the " + ag.p.name + " to " + goname.Exported(b.to.Name)
				}
				if len(b.emits) > 0 {
					text += ", recording " + eventList(b)
				}
				jf.Add(comment(wrap(text + ".")))
				var given, then []jen.Code
				for _, e := range paths[s] {
					given = append(given, jen.Id(goname.Exported(e.Name)).Values())
				}
				for _, e := range b.emits {
					then = append(then, jen.Id(goname.Exported(e.Name)).Values())
				}
				jf.Func().Id(name).Params(tParam()).Block(
					jen.Id("t").Dot("Fatal").Call(jen.Lit("not written yet: fill in this case and delete this line")),
					jen.Qual(pathESTest, "For").Call(jen.Id("t"), jen.Id(under).Call()).Op(".").Line().
						Id("Given").Call(given...).Op(".").Line().
						Id("When").Call(jen.Id(cmd).Values()).Op(".").Line().
						Id("Then").Call(then...),
				)
			}
		}
	}
	f, err := render(outname.Skeleton(ag.a.Name), jf)
	f.once = true
	return f, err
}

// skeletonHookTest emits Test<Agg>EvolveHooks, which checks the user's
// Evolve hooks against what the .esm promises of them.
func (ag *aggGen) skeletonHookTest(jf *jen.File) {
	a := ag.a
	name := "Test" + ag.p.name + "EvolveHooks"
	jf.Add(comment(wrap(fmt.Sprintf("%s checks your %s (estest.CheckEvolutions): every field of an event that %s does not drop, "+
		"and every field of the state left that the new state keeps and %s does not declare zero or replaced (set), "+
		"must change the state your hook returns, so that no value is lost, and each hook must be pure and leave its arguments alone.",
		name, goname.Evolver(a.Name), ag.sourceName(), ag.sourceName()))))
	jf.Func().Id(name).Params(tParam()).Block(
		jen.Qual(pathESTest, "CheckEvolutions").Call(jen.Id("t"), jen.Id(goname.UnderTest(a.Name)).Call(), jen.Id(goname.StateName(a.Name)),
			jen.Id(goname.EvolutionCases(a.Name)).Call(), jen.True()),
	)
}

// skeletonUpcastTest emits Test<Agg>UpcastHooks, which checks the user's
// upcast hooks against what the .esm promises of them.
func (ag *aggGen) skeletonUpcastTest(jf *jen.File) {
	a := ag.a
	name := "Test" + ag.p.name + "UpcastHooks"
	jf.Add(comment(wrap(fmt.Sprintf("%s checks your %s (estest.CheckUpcasts): every field of an old event version that the next version "+
		"keeps under the same name and type, and that %s does not drop, must reach the event your hook returns, so that no stored value is lost, "+
		"and each hook must be pure.", name, goname.Upcaster(a.Name), ag.sourceName()))))
	jf.Func().Id(name).Params(tParam()).Block(
		jen.Qual(pathESTest, "CheckUpcasts").Call(jen.Id("t"), jen.Id(goname.UnderTest(a.Name)).Call(), jen.Id(goname.UpcastCases(a.Name)).Call()),
	)
}

func hooksNote(p *aggPlan) string {
	switch {
	case p.needEvolver && p.needUpcaster:
		return " (and your Evolver and Upcaster)"
	case p.needEvolver:
		return " (and your Evolver)"
	case p.needUpcaster:
		return " (and your Upcaster)"
	}
	return ""
}

// pathsFromInitial returns, for every state reachable from the initial
// one, the events of a shortest history leading there: a breadth-first
// search that follows, from each state, its branches in declaration order.
func (ag *aggGen) pathsFromInitial() map[*dsl.State][]*dsl.Event {
	out := map[*dsl.State][]*dsl.Branch{}
	for _, t := range ag.a.Transitions {
		for _, b := range t.Branches {
			for i, from := range b.From {
				if !slices.Contains(b.From[:i], from) {
					out[from] = append(out[from], b)
				}
			}
		}
	}
	paths := map[*dsl.State][]*dsl.Event{ag.a.Initial: nil}
	queue := []*dsl.State{ag.a.Initial}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, b := range out[s] {
			if _, seen := paths[b.To]; !seen {
				paths[b.To] = append(slices.Clip(paths[s]), b.Emits...)
				queue = append(queue, b.To)
			}
		}
	}
	return paths
}
