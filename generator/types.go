package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/outname"
)

// aggGen emits the files of one aggregate.
type aggGen struct {
	*gen
	p *aggPlan
	a *dsl.Aggregate
}

// marker methods of the sealed interfaces: unexported, so that only this
// package's types implement them; the state, command and event markers
// return the .esm name, for errors.
func (ag *aggGen) stateMarker() string   { return unexported(ag.a.Name, "state") }
func (ag *aggGen) commandMarker() string { return unexported(ag.a.Name, "command") }
func (ag *aggGen) eventMarker() string   { return unexported(ag.a.Name, "event") }

func names(items int, name func(int) string) []string {
	out := make([]string, items)
	for i := range out {
		out[i] = name(i)
	}
	return out
}

func stateNames(states []*dsl.State) []string {
	return names(len(states), func(i int) string { return goname.Exported(states[i].Name) })
}

// typesFile emits <aggregate>.gen.go: the sealed states, commands and
// events of the aggregate.
func (ag *aggGen) typesFile() (unformatted, error) {
	jf := ag.newFile(true)
	a, name := ag.a, ag.p.name
	if !a.Eventual {
		iface := goname.StateInterface(a.Name)
		jf.Add(comment(wrap(fmt.Sprintf("%s is a state of %s: %s. Only the types of this package implement it.",
			iface, aggDisplay(a), list(stateNames(a.States), "or")))))
		jf.Type().Id(iface).Interface(
			comment(fmt.Sprintf("%s returns the state's name as declared in %s.", ag.stateMarker(), ag.esmName())),
			jen.Id(ag.stateMarker()).Params().String(),
		)
		for _, s := range a.States {
			jf.Add(ag.stateDoc(s))
			jf.Type().Id(goname.Exported(s.Name)).Struct(ag.structFields(s.Fields)...)
		}
		for _, s := range a.States {
			jf.Func().Params(jen.Id(goname.Exported(s.Name))).Id(ag.stateMarker()).Params().String().Add(oneLine(jen.Return(jen.Lit(s.Name))))
		}
		ag.stateNameFunc(jf)

		iface = goname.CommandInterface(a.Name)
		jf.Add(comment(wrap(fmt.Sprintf("%s is a command of %s: %s. Only the types of this package implement it.",
			iface, aggDisplay(a), list(names(len(a.Commands), func(i int) string { return goname.Exported(a.Commands[i].Name) }), "or")))))
		jf.Type().Id(iface).Interface(
			comment(fmt.Sprintf("%s returns the command's name as declared in %s.", ag.commandMarker(), ag.esmName())),
			jen.Id(ag.commandMarker()).Params().String(),
		)
		for _, c := range a.Commands {
			ident := goname.Exported(c.Name)
			jf.Add(doc(ident, c.Name, c.Doc, fmt.Sprintf("%s is a command of %s.", ident, name), ag.commandMore(c)))
			jf.Type().Id(ident).Struct(ag.structFields(c.Fields)...)
		}
		for _, c := range a.Commands {
			jf.Func().Params(jen.Id(goname.Exported(c.Name))).Id(ag.commandMarker()).Params().String().Add(oneLine(jen.Return(jen.Lit(c.Name))))
		}
	}

	iface := goname.EventInterface(a.Name)
	text := fmt.Sprintf("%s is an event of %s: %s. Only the types of this package implement it.",
		iface, aggDisplay(a), list(names(len(a.Events), func(i int) string { return goname.Exported(a.Events[i].Name) }), "or"))
	if len(a.Events) == 0 {
		text = fmt.Sprintf("%s is an event of %s, which declares none: no value implements it.", iface, aggDisplay(a))
	}
	jf.Add(comment(wrap(text)))
	jf.Type().Id(iface).Interface(
		comment(fmt.Sprintf("%s returns the event's type name as stored.", ag.eventMarker())),
		jen.Id(ag.eventMarker()).Params().String(),
	)
	for _, e := range a.Events {
		ident := goname.Exported(e.Name)
		latest := e.Latest()
		text := e.Doc
		if latest.Doc != "" && latest.Doc != e.Doc && len(e.Versions) > 1 {
			text = joinDoc(text, latest.Doc)
		}
		more := ""
		if len(e.Versions) > 1 {
			more = fmt.Sprintf("It is stored in schema version %d; older versions are upcast to it when read.", latest.Number)
		}
		jf.Add(doc(ident, e.Name, text, fmt.Sprintf("%s is an event of %s.", ident, name), more))
		jf.Type().Id(ident).Struct(ag.structFields(latest.Fields)...)
		for _, v := range e.Versions[:len(e.Versions)-1] {
			vt := goname.EventVersion(e.Name, v.Number)
			lead := fmt.Sprintf("%s is schema version %d of %s, read from stored events and upcast to %s.", vt, v.Number, ident, ident)
			jf.Add(comment(joinDoc(wrap(lead), versionDoc(e, v))))
			jf.Type().Id(vt).Struct(ag.structFields(v.Fields)...)
		}
	}
	for _, e := range a.Events {
		jf.Func().Params(jen.Id(goname.Exported(e.Name))).Id(ag.eventMarker()).Params().String().Add(oneLine(jen.Return(jen.Lit(e.Name))))
	}
	return render(outname.Types(ag.a.Name), jf)
}

// stateNameFunc emits <Agg>StateName, the exported face of the sealed
// state marker: the declared name of a state, as the machine and the
// diagrams name it.
func (ag *aggGen) stateNameFunc(jf *jen.File) {
	name, iface := goname.StateName(ag.a.Name), goname.StateInterface(ag.a.Name)
	initial := ag.a.Initial
	text := wrap(fmt.Sprintf("%s returns the name of state s as declared in %s, %q for %s %s: the name %s and the diagrams use. "+
		"It returns \"\" for a nil state. Use it to highlight the current state of an instance:",
		name, ag.esmName(), initial.Name, article(goname.Exported(initial.Name)), goname.Exported(initial.Name), goname.Machine(ag.a.Name)))
	example := "//\t" + goname.Machine(ag.a.Name) + "().DOT(machine.Options{Highlight: " + name + "(inst.State)})"
	jf.Add(jen.Comment(commentText(text) + "\n//\n" + example))
	jf.Func().Id(name).Params(jen.Id("s").Id(iface)).String().Block(
		jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Lit(""))),
		jen.Return(jen.Id("s").Dot(ag.stateMarker()).Call()),
	)
}

// versionDoc is the doc of an old event version, unless it repeats the
// event's.
func versionDoc(e *dsl.Event, v *dsl.EventVersion) string {
	if v.Doc == e.Doc {
		return ""
	}
	return v.Doc
}

func (ag *aggGen) esmName() string { return ag.base + ".esm" }

// aggDisplay names the aggregate in prose: "an Order".
func aggDisplay(a *dsl.Aggregate) string {
	n := goname.Exported(a.Name)
	return article(n) + " " + n
}

// article is the indefinite article before an exported name: "an" for
// Order, "a" for Draft.
func article(name string) string {
	if strings.ContainsRune("AEIOU", rune(name[0])) {
		return "an"
	}
	return "a"
}

func (ag *aggGen) stateDoc(s *dsl.State) *jen.Statement {
	ident := goname.Exported(s.Name)
	kind := "a state"
	switch {
	case s.Initial && s.Final:
		kind = "the initial and final state"
	case s.Initial:
		kind = "the initial state"
	case s.Final:
		kind = "a final state"
	}
	var accepted []string
	for _, d := range ag.p.accepts[s] {
		accepted = append(accepted, goname.Exported(d.cmd.Name))
	}
	lead := fmt.Sprintf("%s is %s of %s.", ident, kind, ag.p.name)
	if s.Initial {
		lead = fmt.Sprintf("%s is %s of %s: the state of %s with no events.", ident, kind, ag.p.name, aggDisplay(ag.a))
	}
	var more string
	if len(accepted) > 0 {
		more = joinSentence(more, fmt.Sprintf("It accepts %s.", list(accepted, "and")))
	}
	if startsWithName(s.Doc, ident) || startsWithName(s.Doc, s.Name) {
		more = joinSentence(lead, more)
	}
	return doc(ident, s.Name, s.Doc, lead, more)
}

func joinSentence(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + " " + b
}

// commandMore says in which states a command is accepted.
func (ag *aggGen) commandMore(c *dsl.Command) string {
	for _, d := range ag.p.decisions {
		if d.cmd == c {
			return fmt.Sprintf("%s is accepted in %s.", goname.Exported(c.Name), list(stateNames(d.sources), "and"))
		}
	}
	return fmt.Sprintf("No transition accepts %s: it is invalid in every state.", goname.Exported(c.Name))
}
