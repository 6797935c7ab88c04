package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/outname"
)

// codecFile emits <aggregate>_codec.gen.go: the Upcaster hooks, the event
// codec with its upcast chains, the state codec, and the JSON methods of
// the aggregate's states and events.
func (ag *aggGen) codecFile() (unformatted, error) {
	jf := ag.newFile(true)
	if ag.p.needUpcaster {
		ag.upcasterInterface(jf)
	}
	ag.eventCodec(jf)
	if !ag.a.Eventual {
		ag.stateCodec(jf)
		for _, s := range ag.a.States {
			name := goname.Exported(s.Name)
			jf.Add(ag.writeMethod(name, s.Fields))
			jf.Add(ag.readMethod(name, s.Fields))
		}
	}
	for _, e := range ag.a.Events {
		for _, v := range e.Versions {
			name := versionType(e, v)
			if v == e.Latest() {
				jf.Add(ag.writeMethod(name, v.Fields))
			}
			jf.Add(ag.readMethod(name, v.Fields))
		}
	}
	return render(outname.Codec(ag.a.Name), jf)
}

func (ag *aggGen) upcasterInterface(jf *jen.File) {
	name := goname.Upcaster(ag.a.Name)
	jf.Add(comment(wrap(fmt.Sprintf("%s converts stored events of %s from a schema version to the next where the .esm file "+
		"declares a change that defaults cannot make (a renamed field, a changed type). Each method must be pure.",
		name, aggDisplay(ag.a)))))
	var methods []jen.Code
	for _, c := range ag.p.upcasts {
		for _, st := range c.steps {
			if st.hook == "" {
				continue
			}
			from, to := versionType(c.event, st.from), versionType(c.event, st.to)
			methods = append(methods,
				comment(wrap(fmt.Sprintf("%s converts version %d of %s to version %d.%s", st.hook, st.from.Number, goname.Exported(c.event.Name), st.to.Number,
					ag.upcastHookNote(st)))),
				jen.Id(st.hook).Params(jen.Id("old").Id(from)).Id(to))
		}
	}
	jf.Type().Id(name).Interface(methods...)
}

// upcastMethod is the codec method of a generated upcast step.
func upcastMethod(e *dsl.Event, st *upcastStep) string {
	return "upcast" + goname.EventVersion(e.Name, st.from.Number)
}

// upcastChain applies the steps from version index i to the newest to x.
func (ag *aggGen) upcastChain(c *eventChain, i int, x jen.Code) jen.Code {
	for _, st := range c.steps[i:] {
		if st.hook != "" {
			x = jen.Id("c").Dot("up").Dot(st.hook).Call(x)
		} else {
			x = jen.Id("c").Dot(upcastMethod(c.event, st)).Call(x)
		}
	}
	return x
}

// sizeHint estimates the encoded size of a type, to size the output buffer
// of Encode so that it rarely grows.
func sizeHint(t *dsl.TypeExpr, depth int) int {
	if depth > 3 {
		return 16
	}
	switch t.Kind {
	case dsl.TypeBuiltin:
		switch t.Name {
		case "string":
			return 24
		case "bool":
			return 5
		}
		return 12
	case dsl.TypeValue:
		return structHint(t.Value.Fields, depth+1)
	case dsl.TypeQualified:
		if isTime(t) {
			return 37
		}
		return 32
	case dsl.TypeSlice:
		return 2 + 2*sizeHint(t.Elem, depth+1)
	case dsl.TypeMap:
		return 2 + 2*(16+sizeHint(t.Elem, depth+1))
	case dsl.TypePointer:
		return sizeHint(t.Elem, depth)
	}
	return 16
}

func structHint(fields []*dsl.Field, depth int) int {
	n := 2
	for _, f := range fields {
		n += len(f.Name) + 4 + sizeHint(f.Type, depth)
	}
	return n
}

// bufferSize rounds a size hint up to a multiple of 64, at most 4096.
func bufferSize(fields []*dsl.Field) int {
	return min((structHint(fields, 0)+63)/64*64, 4096)
}

// payloadSize is the expression Encode sizes the payload of the event x
// with (fields its newest version's): its keys and punctuation, the length
// of its strings and byte slices (JSON text without characters to escape
// is exact), the number of elements of its slices and maps times an
// estimate of one, and an estimate of every other field (a time at its
// longest). A payload should fit the room it is sized with at once: the
// estimate of a 193-byte payload was 128 when it knew no lengths.
func payloadSize(fields []*dsl.Field, x func(f *dsl.Field) *jen.Statement) jen.Code {
	n := 2 // {}
	var terms []jen.Code
	for i, f := range fields {
		if i > 0 {
			n++ // ,
		}
		n += len(jsonKey(f.Name)) + 1
		t := f.Type
		switch {
		case t.Kind == dsl.TypeBuiltin && t.Name == "string":
			n += 2
			terms = append(terms, jen.Len(x(f)))
		case isBytes(t): // base64
			n += 2 + 4
			terms = append(terms, jen.Len(x(f)).Op("*").Lit(4).Op("/").Lit(3))
		case t.Kind == dsl.TypeSlice:
			n += 2
			terms = append(terms, jen.Len(x(f)).Op("*").Lit(sizeHint(t.Elem, 1)+1))
		case t.Kind == dsl.TypeMap:
			n += 2
			terms = append(terms, jen.Len(x(f)).Op("*").Lit(sizeHint(t.Key, 1)+2+sizeHint(t.Elem, 1)))
		default:
			n += sizeHint(t, 1)
		}
	}
	size := jen.Lit(n)
	for _, t := range terms {
		size = size.Op("+").Add(t)
	}
	return size
}

func (ag *aggGen) eventCodec(jf *jen.File) {
	name := goname.EventCodec(ag.a.Name)
	event := goname.EventInterface(ag.a.Name)
	text := fmt.Sprintf("%s encodes the events of %s as plain JSON in their newest schema version and decodes every version declared "+
		"in %s, upcasting old ones step by step to the newest. It implements es.EventCodec[%s] without reflection.",
		name, aggDisplay(ag.a), ag.esmName(), event)
	if ag.p.needUpcaster {
		text += fmt.Sprintf(" Build it with New%s.", name)
		jf.Add(comment(wrap(text)))
		jf.Type().Id(name).Struct(jen.Id("up").Id(goname.Upcaster(ag.a.Name)))
		jf.Add(comment(wrap(fmt.Sprintf("New%s returns the event codec of %s, with up converting the versions that need code. "+
			"It panics if up is nil.", name, ag.p.name))))
		jf.Func().Id("New" + name).Params(jen.Id("up").Id(goname.Upcaster(ag.a.Name))).Id(name).Block(
			append(ag.upcasterCheck("New"+name), jen.Return(jen.Id(name).Values(jen.Id("up").Op(":").Id("up"))))...)
	} else {
		text += " The zero value is ready to use."
		jf.Add(comment(wrap(text)))
		jf.Type().Id(name).Struct()
	}

	// Encode.
	var cases []jen.Code
	for _, e := range ag.a.Events {
		latest := e.Latest()
		cases = append(cases, jen.Case(jen.Id(goname.Exported(e.Name))).Block(
			jen.Id("raw").Op("=").Qual(pathES, "RawEvent").Values(field("Type", jen.Lit(e.Name)), field("SchemaVersion", jen.Lit(latest.Number))),
			jen.Id("w").Op("=").Qual(pathESJSON, "WriterOn").Call(jen.Id("buf"), payloadSize(latest.Fields, func(f *dsl.Field) *jen.Statement {
				return jen.Id("e").Dot(goname.Exported(f.Name))
			})),
			jen.Id("e").Dot("writeJSON").Call(jen.Op("&").Id("w")),
		))
	}
	cases = append(cases, jen.Default().Block(jen.Return(jen.Qual(pathES, "RawEvent").Values(),
		jen.Qual("errors", "New").Call(jen.Lit("encode "+ag.a.Name+" event: nil event")))))
	jf.Add(comment(wrap("Encode returns the type name, newest schema version and JSON payload of e, the payload appended to buf[:0] (buf may be nil).")))
	if len(ag.a.Events) == 0 {
		jf.Func().Params(jen.Id(name)).Id("Encode").Params(jen.Index().Byte(), jen.Id(event)).Params(jen.Qual(pathES, "RawEvent"), jen.Error()).Block(
			jen.Return(jen.Qual(pathES, "RawEvent").Values(), jen.Qual("errors", "New").Call(jen.Lit("encode "+ag.a.Name+" event: nil event"))))
	} else {
		jf.Func().Params(jen.Id(name)).Id("Encode").Params(jen.Id("buf").Index().Byte(), jen.Id("e").Id(event)).Params(jen.Qual(pathES, "RawEvent"), jen.Error()).Block(
			jen.Var().Id("raw").Qual(pathES, "RawEvent"),
			jen.Var().Id("w").Qual(pathESJSON, "Writer"),
			jen.Switch(jen.Id("e").Op(":=").Id("e").Assert(jen.Type())).Block(cases...),
			jen.If(jen.Err().Op(":=").Id("w").Dot("Err").Call(), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Qual(pathES, "RawEvent").Values(), jen.Qual("fmt", "Errorf").Call(jen.Lit("encode "+ag.a.Name+" event %s: %w"), jen.Id("raw").Dot("Type"), jen.Err()))),
			jen.Id("raw").Dot("Data").Op("=").Id("w").Dot("Bytes").Call(),
			jen.Return(jen.Id("raw"), jen.Nil()),
		)
	}

	// Decode.
	decodeErr := func(sentinel string) jen.Code {
		return jen.Op("&").Qual(pathES, "DecodeError").Values(
			field("EventType", jen.Id("eventType")), field("SchemaVersion", jen.Id("schemaVersion")), field("Err", jen.Qual(pathES, sentinel)))
	}
	upcasts := false
	cases = nil
	for _, c := range ag.p.upcasts {
		e := c.event
		readInto := func(v *dsl.EventVersion, i int) []jen.Code {
			vt := versionType(e, v)
			if v == e.Latest() {
				return []jen.Code{jen.Var().Id("v").Id(vt), jen.Id("v").Dot("readJSON").Call(jen.Op("&").Id("r")), jen.Id("e").Op("=").Id("v")}
			}
			upcasts = true
			var guard []jen.Code
			if slices.ContainsFunc(c.steps[i:], func(st *upcastStep) bool { return st.hook != "" }) {
				// A codec made as a literal, not by its constructor, has no
				// upcaster: an error, rather than a nil dereference.
				guard = []jen.Code{jen.If(jen.Id("c").Dot("up").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Op("&").Qual(pathES, "DecodeError").Values(
					field("EventType", jen.Id("eventType")), field("SchemaVersion", jen.Id("schemaVersion")),
					field("Err", jen.Qual("errors", "New").Call(jen.Lit(fmt.Sprintf("the codec has no %s: build it with New%s", goname.Upcaster(ag.a.Name), goname.EventCodec(ag.a.Name))))))))}
			}
			return append(guard,
				jen.Var().Id("v").Id(vt),
				jen.Id("v").Dot("readJSON").Call(jen.Op("&").Id("r")),
				jen.If(jen.Id("r").Dot("Err").Call().Op("==").Nil()).Block(jen.Id("e").Op("=").Add(ag.upcastChain(c, i, jen.Id("v")))),
			)
		}
		var body []jen.Code
		if len(e.Versions) == 1 {
			body = append([]jen.Code{jen.If(jen.Id("schemaVersion").Op("!=").Lit(e.Versions[0].Number)).Block(
				jen.Return(jen.Nil(), decodeErr("ErrUnknownSchemaVersion")))}, readInto(e.Versions[0], 0)...)
		} else {
			var vcases []jen.Code
			for i, v := range e.Versions {
				vcases = append(vcases, jen.Case(jen.Lit(v.Number)).Block(readInto(v, i)...))
			}
			vcases = append(vcases, jen.Default().Block(jen.Return(jen.Nil(), decodeErr("ErrUnknownSchemaVersion"))))
			body = []jen.Code{jen.Switch(jen.Id("schemaVersion")).Block(vcases...)}
		}
		cases = append(cases, jen.Case(jen.Lit(e.Name)).Block(body...))
	}
	cases = append(cases, jen.Default().Block(jen.Return(jen.Nil(), decodeErr("ErrUnknownEventType"))))
	recv := jen.Id(name)
	if upcasts {
		recv = jen.Id("c").Id(name)
	}
	jf.Add(comment(wrap("Decode decodes a payload of any declared schema version of eventType and upcasts it to the newest. " +
		"Unknown types and versions fail with an *es.DecodeError wrapping es.ErrUnknownEventType or es.ErrUnknownSchemaVersion; " +
		"a payload that is not valid JSON of the version's shape, with one wrapping es.ErrCorruptEvent.")))
	if len(ag.a.Events) == 0 {
		jf.Func().Params(recv).Id("Decode").Params(jen.Id("eventType").String(), jen.Id("schemaVersion").Int(), jen.Id("_").Index().Byte()).
			Params(jen.Id(event), jen.Error()).Block(jen.Return(jen.Nil(), decodeErr("ErrUnknownEventType")))
		return
	}
	jf.Func().Params(recv).Id("Decode").Params(jen.Id("eventType").String(), jen.Id("schemaVersion").Int(), jen.Id("data").Index().Byte()).
		Params(jen.Id(event), jen.Error()).Block(
		jen.Id("r").Op(":=").Qual(pathESJSON, "NewReader").Call(jen.Id("data")),
		jen.Var().Id("e").Id(event),
		jen.Switch(jen.Id("eventType")).Block(cases...),
		jen.If(jen.Err().Op(":=").Id("r").Dot("End").Call(), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Op("&").Qual(pathES, "DecodeError").Values(
				field("EventType", jen.Id("eventType")), field("SchemaVersion", jen.Id("schemaVersion")),
				field("Err", jen.Qual("fmt", "Errorf").Call(jen.Lit("%w: %w"), jen.Qual(pathES, "ErrCorruptEvent"), jen.Err()))))),
		jen.Return(jen.Id("e"), jen.Nil()),
	)

	// Generated upcast steps.
	for _, c := range ag.p.upcasts {
		for _, st := range c.steps {
			if st.hook != "" {
				continue
			}
			from, to := versionType(c.event, st.from), versionType(c.event, st.to)
			var fields []jen.Code
			var notes []string
			for _, uf := range st.fields {
				fn := goname.Exported(uf.field.Name)
				switch {
				case uf.old != nil:
					fields = append(fields, field(fn, jen.Id("old").Dot(fn)))
				case uf.field.Default != nil:
					fields = append(fields, field(fn, jen.Op(uf.field.Default.Text)))
					notes = append(notes, fmt.Sprintf("%s defaults to %s", fn, uf.field.Default.Text))
				default:
					notes = append(notes, fmt.Sprintf("%s starts as its zero value", fn))
				}
			}
			text := fmt.Sprintf("%s converts version %d of %s to version %d", upcastMethod(c.event, st), st.from.Number, goname.Exported(c.event.Name), st.to.Number)
			if len(notes) > 0 {
				text += ": " + strings.Join(notes, ", ")
			}
			param := jen.Id("old")
			if !hasOld(st) {
				param = jen.Id("_")
			}
			jf.Add(comment(wrap(text + ".")))
			jf.Func().Params(jen.Id(name)).Id(upcastMethod(c.event, st)).Params(param.Id(from)).Id(to).Block(
				jen.Return(jen.Id(to).Values(fields...)))
		}
	}
}

func hasOld(st *upcastStep) bool {
	for _, f := range st.fields {
		if f.old != nil {
			return true
		}
	}
	return false
}

// stateSchema names the encoding of the aggregate's states: a hash of
// their canonical shapes (names, fields, types) and of the shape of every
// value type they hold, however deep, so that it changes whenever any
// state's shape changes, and a snapshot is never read into another shape.
func stateSchema(a *dsl.Aggregate) string {
	var b strings.Builder
	b.WriteString("esjson/2\n")
	var values []*dsl.ValueType // every value type reachable, in the order met
	seen := map[*dsl.ValueType]bool{}
	var typ func(t *dsl.TypeExpr)
	typ = func(t *dsl.TypeExpr) {
		switch t.Kind {
		case dsl.TypeValue:
			b.WriteString(t.Name)
			if !seen[t.Value] {
				seen[t.Value] = true
				values = append(values, t.Value)
			}
		case dsl.TypeSlice:
			b.WriteString("[]")
			typ(t.Elem)
		case dsl.TypeMap:
			b.WriteString("map[")
			typ(t.Key)
			b.WriteString("]")
			typ(t.Elem)
		case dsl.TypePointer:
			b.WriteString("*")
			typ(t.Elem)
		case dsl.TypeQualified:
			b.WriteString(t.Import.Path + "." + t.Name)
		default:
			b.WriteString(t.Name)
		}
	}
	fields := func(name string, fs []*dsl.Field) {
		b.WriteString(name + "{")
		for _, f := range fs {
			b.WriteString(f.Name + " ")
			typ(f.Type)
			b.WriteString(";")
		}
		b.WriteString("}\n")
	}
	for _, s := range a.States {
		fields(s.Name, s.Fields)
	}
	b.WriteString("types\n")
	for i := 0; i < len(values); i++ { // values grows as types hold others
		fields(values[i].Name, values[i].Fields)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return a.Name + "/" + hex.EncodeToString(sum[:6])
}

func (ag *aggGen) stateCodec(jf *jen.File) {
	name := goname.StateCodec(ag.a.Name)
	state := goname.StateInterface(ag.a.Name)
	jf.Add(comment(wrap(fmt.Sprintf(`%s encodes the states of %s for snapshots, as {"state":"<name>","data":{...}}. `+
		"It implements es.StateCodec[%s] without reflection. The zero value is ready to use.", name, aggDisplay(ag.a), state))))
	jf.Type().Id(name).Struct()

	jf.Add(comment(wrap("StateSchema names the shape of the states: it changes whenever a state or a type it holds changes in " + ag.esmName() + ", so that older snapshots are ignored.")))
	jf.Func().Params(jen.Id(name)).Id("StateSchema").Params().String().Block(jen.Return(jen.Lit(stateSchema(ag.a))))

	var cases []jen.Code
	for _, s := range ag.a.States {
		cases = append(cases, jen.Case(jen.Id(goname.Exported(s.Name))).Block(
			jen.Id("w").Op("=").Qual(pathESJSON, "NewWriter").Call(jen.Make(jen.Index().Byte(), jen.Lit(0), jen.Lit(bufferSize(s.Fields)+64))),
			jen.Id("w").Dot("Raw").Call(rawLit(`{"state":`+jsonKey(s.Name)+`,"data":`)),
			jen.Id("s").Dot("writeJSON").Call(jen.Op("&").Id("w")),
		))
	}
	cases = append(cases, jen.Default().Block(jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit("encode "+ag.a.Name+" state: nil state")))))
	jf.Comment("// EncodeState returns the JSON of s.")
	jf.Func().Params(jen.Id(name)).Id("EncodeState").Params(jen.Id("s").Id(state)).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Var().Id("w").Qual(pathESJSON, "Writer"),
		jen.Switch(jen.Id("s").Op(":=").Id("s").Assert(jen.Type())).Block(cases...),
		jen.Id("w").Dot("Byte").Call(jen.LitRune('}')),
		jen.If(jen.Err().Op(":=").Id("w").Dot("Err").Call(), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("encode "+ag.a.Name+" state %s: %w"), jen.Id("s").Dot(ag.stateMarker()).Call(), jen.Err()))),
		jen.Return(jen.Id("w").Dot("Bytes").Call(), jen.Nil()),
	)

	cases = nil
	for _, s := range ag.a.States {
		cases = append(cases, jen.Case(jen.Lit(s.Name)).Block(
			jen.Var().Id("v").Id(goname.Exported(s.Name)),
			jen.Id("v").Dot("readJSON").Call(jen.Op("&").Id("r")),
			jen.Id("s").Op("=").Id("v"),
		))
	}
	cases = append(cases, jen.Default().Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("decode "+ag.a.Name+" state: unknown state %q"), jen.Id("name")))))
	jf.Comment("// DecodeState decodes a state EncodeState encoded.")
	jf.Func().Params(jen.Id(name)).Id("DecodeState").Params(jen.Id("data").Index().Byte()).Params(jen.Id(state), jen.Error()).Block(
		jen.Id("r").Op(":=").Qual(pathESJSON, "NewReader").Call(jen.Id("data")),
		jen.Var().Id("name").String(),
		jen.Var().Id("raw").Index().Byte(),
		jen.For(jen.Id("more").Op(":=").Id("r").Dot("BeginObject").Call(), jen.Id("more"), jen.Id("more").Op("=").Id("r").Dot("NextMember").Call()).Block(
			jen.Switch(jen.String().Call(jen.Id("r").Dot("Key").Call())).Block(
				jen.Case(jen.Lit("state")).Block(jen.Id("name").Op("=").Id("r").Dot("String").Call()),
				jen.Case(jen.Lit("data")).Block(jen.Id("raw").Op("=").Id("r").Dot("Raw").Call()),
				jen.Default().Block(jen.Id("r").Dot("Skip").Call()),
			)),
		jen.If(jen.Err().Op(":=").Id("r").Dot("End").Call(), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("decode "+ag.a.Name+" state: %w"), jen.Err()))),
		jen.Id("r").Op("=").Qual(pathESJSON, "NewReader").Call(jen.Id("raw")),
		jen.Var().Id("s").Id(state),
		jen.Switch(jen.Id("name")).Block(cases...),
		jen.If(jen.Err().Op(":=").Id("r").Dot("End").Call(), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("decode "+ag.a.Name+" state %s: %w"), jen.Id("name"), jen.Err()))),
		jen.Return(jen.Id("s"), jen.Nil()),
	)
}
