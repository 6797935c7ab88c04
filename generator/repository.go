package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/outname"
)

// idType is the Go type of the aggregate's id and how it becomes the
// runtime's string id: strings as they are, integers in decimal, other
// types through their String method (they must implement fmt.Stringer).
type idType struct {
	typ      *jen.Statement
	toString func(x jen.Code) jen.Code
	doc      string
}

func (g *gen) aggregateID(a *dsl.Aggregate) (idType, error) {
	t := a.IDType
	if t == nil || (t.Kind == dsl.TypeBuiltin && t.Name == "string") {
		return idType{typ: jen.String(), toString: func(x jen.Code) jen.Code { return x }}, nil
	}
	switch t.Kind {
	case dsl.TypeBuiltin:
		switch {
		case isSigned(t.Name):
			return idType{typ: jen.Id(t.Name), doc: "in decimal", toString: func(x jen.Code) jen.Code {
				if t.Name != "int64" {
					x = jen.Int64().Call(x)
				}
				return jen.Qual("strconv", "FormatInt").Call(x, jen.Lit(10))
			}}, nil
		case isUnsigned(t.Name):
			return idType{typ: jen.Id(t.Name), doc: "in decimal", toString: func(x jen.Code) jen.Code {
				if t.Name != "uint64" {
					x = jen.Uint64().Call(x)
				}
				return jen.Qual("strconv", "FormatUint").Call(x, jen.Lit(10))
			}}, nil
		}
	case dsl.TypeExtern, dsl.TypeQualified:
		return idType{typ: g.typ(t), doc: "as its String method spells it", toString: func(x jen.Code) jen.Code {
			return jen.Add(x).Dot("String").Call()
		}}, nil
	}
	return idType{}, &invalidError{fmt.Sprintf("%s: aggregate %s: id type %s cannot name an aggregate: use a string, an integer, "+
		"or a type with a String method (extern or imported)", pos(t.Pos), a.Name, t)}
}

// repositoryFile emits <aggregate>_repository.gen.go: the typed repository
// on es.Repository.
func (ag *aggGen) repositoryFile() (unformatted, error) {
	id, err := ag.aggregateID(ag.a)
	if err != nil {
		return unformatted{}, err
	}
	jf := ag.newFile(true)
	name, ctor := goname.Repository(ag.a.Name), goname.NewRepository(ag.a.Name)
	state, event := goname.StateInterface(ag.a.Name), goname.EventInterface(ag.a.Name)
	esRepo := jen.Qual(pathES, "Repository").Types(ag.generics()...)
	idText := "Ids are strings"
	if id.doc != "" {
		idText = "Ids become the runtime's string ids " + id.doc
	}
	jf.Add(comment(wrap(fmt.Sprintf("%s handles the commands of %s aggregates on an event store and loads their states, "+
		"at present or in the past. %s. It is safe for concurrent use.", name, ag.p.name, idText))))
	jf.Type().Id(name).Struct(jen.Id("repo").Op("*").Add(esRepo))
	ag.namingConsts(jf)

	bound := "the decisions d"
	switch {
	case ag.p.needEvolver && ag.p.needUpcaster:
		bound += ", the Evolve hooks ev and the upcast hooks up"
	case ag.p.needEvolver:
		bound += " and the Evolve hooks ev"
	case ag.p.needUpcaster:
		bound += " and the upcast hooks up"
	}
	jf.Add(comment(wrap(fmt.Sprintf("%s binds %s to store. Options set snapshots, the state cache, "+
		"conflict retries, the clock and the logger. It panics if %s is nil, as %s does.", ctor, bound, hookList(ag.p), goname.NewDefinition(ag.a.Name)))))
	params := append([]jen.Code{jen.Id("store").Qual(pathES, "Store")}, ag.hookParams()...)
	params = append(params, jen.Id("opts").Op("...").Qual(pathES, "RepositoryOption"))
	body := append(ag.nilChecks(ctor), jen.Return(jen.Op("&").Id(name).Values(field("repo", jen.Qual(pathES, "NewRepository").Call(
		jen.Id("store"), jen.Id(goname.Definition(ag.a.Name)).Call(ag.hookArgs()...), jen.Id("opts").Op("..."))))))
	jf.Func().Id(ctor).Params(params...).Op("*").Id(name).Block(body...)

	recv := jen.Id("r").Op("*").Id(name)
	ctx := jen.Id("ctx").Qual("context", "Context")
	idp := jen.Id("id").Add(id.typ)
	inst := jen.Qual(pathES, "Instance").Types(jen.Id(state))
	idArg := id.toString(jen.Id("id"))

	jf.Add(comment(wrap("Handle decides c on the current state of aggregate id and appends the events it produces as one atomic append, " +
		"retrying on a concurrency conflict. Options set the command id (for idempotent retries), correlation and causation ids, the actor and the trace context. " +
		"A command the state does not accept fails with an error matching es.ErrInvalidTransition; errors of the decision are returned as they are.")))
	jf.Func().Params(recv.Clone()).Id("Handle").Params(ctx.Clone(), idp.Clone(), jen.Id("c").Id(goname.CommandInterface(ag.a.Name)), jen.Id("opts").Op("...").Qual(pathES, "HandleOption")).
		Params(jen.Qual(pathES, "Result").Types(jen.Id(state), jen.Id(event)), jen.Error()).Block(
		jen.Return(jen.Id("r").Dot("repo").Dot("Handle").Call(jen.Id("ctx"), idArg, jen.Id("c"), jen.Id("opts").Op("..."))))

	jf.Add(comment(wrap("Load returns the current state of aggregate id. An aggregate with no events fails with es.ErrNotFound.")))
	jf.Func().Params(recv.Clone()).Id("Load").Params(ctx.Clone(), idp.Clone()).Params(inst.Clone(), jen.Error()).Block(
		jen.Return(jen.Id("r").Dot("repo").Dot("Load").Call(jen.Id("ctx"), idArg)))

	jf.Add(comment(wrap("LoadAt returns the state of aggregate id right after its event number version; version 0 is the initial state. " +
		"A version past the newest fails with es.ErrNotFound.")))
	jf.Func().Params(recv.Clone()).Id("LoadAt").Params(ctx.Clone(), idp.Clone(), jen.Id("version").Uint64()).Params(inst.Clone(), jen.Error()).Block(
		jen.Return(jen.Id("r").Dot("repo").Dot("LoadAt").Call(jen.Id("ctx"), idArg, jen.Id("version"))))

	jf.Add(comment(wrap("LoadAsOf returns the state of aggregate id as it was at time t, after every event recorded at or before t. " +
		"An aggregate with no event by then fails with es.ErrNotFound.")))
	jf.Func().Params(recv.Clone()).Id("LoadAsOf").Params(ctx.Clone(), idp.Clone(), jen.Id("t").Qual("time", "Time")).Params(inst.Clone(), jen.Error()).Block(
		jen.Return(jen.Id("r").Dot("repo").Dot("LoadAsOf").Call(jen.Id("ctx"), idArg, jen.Id("t"))))

	jf.Add(comment(wrap("History returns every stored event of aggregate id with its metadata, decoded and upcast: its audit trail.")))
	jf.Func().Params(recv.Clone()).Id("History").Params(ctx.Clone(), idp.Clone()).
		Params(jen.Index().Qual(pathES, "Record"), jen.Index().Id(event), jen.Error()).Block(
		jen.Return(jen.Id("r").Dot("repo").Dot("History").Call(jen.Id("ctx"), idArg)))

	jf.Add(comment(wrap("Forget drops aggregate id from the state cache: the next command reloads it from the store.")))
	jf.Func().Params(recv.Clone()).Id("Forget").Params(idp.Clone()).Block(
		jen.Id("r").Dot("repo").Dot("Forget").Call(idArg))

	if ag.a.ArchiveAfter > 0 {
		var finals []string
		for _, st := range ag.a.States {
			if st.Final {
				finals = append(finals, goname.Exported(st.Name))
			}
		}
		jf.Add(comment(wrap(fmt.Sprintf("Archive moves aggregate id out of the event stream into the store's archive when, at now, "+
			"it has been in a final state (%s) for %s, as %s declares (archive after): its last event is at least that old. "+
			"It reports whether the aggregate is archived, now or before; one that is not final, or not for long enough, is left as it is (false, nil). "+
			"Load, LoadAt, LoadAsOf and History read an archived aggregate from the archive, unchanged, and a command to it is refused as in its final state. "+
			"The store must have an archive (jsstore.WithArchive), else the error matches es.ErrNoArchive.",
			orList(finals), durationText(ag.a.ArchiveAfter), ag.base+".esm"))))
		jf.Func().Params(recv.Clone()).Id("Archive").Params(ctx.Clone(), idp.Clone(), jen.Id("now").Qual("time", "Time")).Params(jen.Bool(), jen.Error()).Block(
			jen.Return(jen.Id("r").Dot("repo").Dot("Archive").Call(jen.Id("ctx"), idArg, jen.Id("now"))))
	}

	jf.Add(comment(wrap(fmt.Sprintf("Events returns the codec of the events of %s the repository stores and reads, "+
		"hooks bound: the process managers reacting to them decode them with it.", ag.p.name))))
	jf.Func().Params(recv.Clone()).Id("Events").Params().Qual(pathES, "EventCodec").Types(jen.Id(goname.EventInterface(ag.a.Name))).Block(
		jen.Return(jen.Id("r").Dot("repo").Dot("Definition").Call().Dot("Events")))

	return render(outname.Repository(ag.a.Name), jf)
}

// logFile emits <aggregate>_log.gen.go for an eventual aggregate: the
// append-only repository on es.Log.
func (ag *aggGen) logFile() (unformatted, error) {
	id, err := ag.aggregateID(ag.a)
	if err != nil {
		return unformatted{}, err
	}
	jf := ag.newFile(true)
	name, ctor := goname.Log(ag.a.Name), goname.NewLog(ag.a.Name)
	event := goname.EventInterface(ag.a.Name)
	esLog := jen.Qual(pathES, "Log").Types(jen.Id(event))
	jf.Add(comment(wrap(fmt.Sprintf("%s appends the events of %s aggregates, which have no state machine: no decision, no state, "+
		"but the same envelope, metadata, ordering and atomicity as a repository. It is safe for concurrent use.", name, ag.p.name))))
	jf.Type().Id(name).Struct(jen.Id("log").Op("*").Add(esLog))
	ag.namingConsts(jf)

	params := []jen.Code{jen.Id("store").Qual(pathES, "Store")}
	if ag.p.needUpcaster {
		params = append(params, jen.Id("up").Id(goname.Upcaster(ag.a.Name)))
	}
	params = append(params, jen.Id("opts").Op("...").Qual(pathES, "RepositoryOption"))
	jf.Add(comment(wrap(fmt.Sprintf("%s binds %s to store. Of the repository options, the cache size, retries, clock and logger apply.", ctor, name))))
	jf.Func().Id(ctor).Params(params...).Op("*").Id(name).Block(
		jen.Id("def").Op(":=").Qual(pathES, "LogDefinition").Types(jen.Id(event)).Values(
			field("Type", jen.Lit(ag.a.Name)), field("Events", ag.eventCodecValue())),
		jen.Return(jen.Op("&").Id(name).Values(field("log", jen.Qual(pathES, "NewLog").Call(jen.Id("store"), jen.Id("def"), jen.Id("opts").Op("..."))))),
	)

	recv := jen.Id("l").Op("*").Id(name)
	ctx := jen.Id("ctx").Qual("context", "Context")
	idp := jen.Id("id").Add(id.typ)
	idArg := id.toString(jen.Id("id"))
	jf.Add(comment(wrap("Append stores events as one atomic append to aggregate id, after every event already there. " +
		"Appending no events does nothing.")))
	jf.Func().Params(recv.Clone()).Id("Append").Params(ctx.Clone(), idp.Clone(), jen.Id("events").Index().Id(event), jen.Id("opts").Op("...").Qual(pathES, "HandleOption")).
		Params(jen.Index().Qual(pathES, "Record"), jen.Error()).Block(
		jen.Return(jen.Id("l").Dot("log").Dot("Append").Call(jen.Id("ctx"), idArg, jen.Id("events"), jen.Id("opts").Op("..."))))
	jf.Add(comment(wrap("History returns every stored event of aggregate id with its metadata, decoded and upcast.")))
	jf.Func().Params(recv.Clone()).Id("History").Params(ctx.Clone(), idp.Clone()).
		Params(jen.Index().Qual(pathES, "Record"), jen.Index().Id(event), jen.Error()).Block(
		jen.Return(jen.Id("l").Dot("log").Dot("History").Call(jen.Id("ctx"), idArg)))
	return render(outname.Log(ag.a.Name), jf)
}

// namingConsts emits the stream name and subject prefix the aggregate
// declares, so that the code opening its JetStream store reads them from
// the .esm instead of repeating the strings. Nothing when none is declared.
func (ag *aggGen) namingConsts(jf *jen.File) {
	if s := ag.a.Stream; s != "" {
		name := goname.Stream(ag.a.Name)
		jf.Add(comment(wrap(fmt.Sprintf("%s is the JetStream stream %s declares for %s events: "+
			"open their store with jsstore.WithStream(%s).", name, ag.base+".esm", ag.a.Name, name))))
		jf.Const().Id(name).Op("=").Lit(s)
	}
	if p := ag.a.Subject; p != "" {
		name := goname.SubjectPrefix(ag.a.Name)
		jf.Add(comment(wrap(fmt.Sprintf("%s is the subject prefix %s declares for %s events: "+
			"open their store with jsstore.WithSubjectPrefix(%s).", name, ag.base+".esm", ag.a.Name, name))))
		jf.Const().Id(name).Op("=").Lit(p)
	}
}
