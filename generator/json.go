package generator

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/runtime/esjson"
)

// This file emits the reflection-free JSON methods of generated structs:
//
//	func (v T) writeJSON(w *esjson.Writer)   // encodes v as encoding/json would
//	func (v *T) readJSON(r *esjson.Reader)   // decodes what encoding/json reads
//
// Types esjson has no reader or writer for (types of the consumer's
// package, imported types other than time.Time, any, complex numbers, maps
// with other keys) go through encoding/json, and so do slices, maps and
// pointers of them, as a whole.

// intBits gives the bit size of the integer builtins ("" for the
// platform's int size).
var intBits = map[string]string{
	"int": "", "int8": "8", "int16": "16", "int32": "32", "int64": "64", "rune": "32",
	"uint": "", "uint8": "8", "uint16": "16", "uint32": "32", "uint64": "64", "byte": "8", "uintptr": "",
}

func isSigned(name string) bool {
	switch name {
	case "int", "int8", "int16", "int32", "int64", "rune":
		return true
	}
	return false
}

func isUnsigned(name string) bool {
	switch name {
	case "uint", "uint8", "uint16", "uint32", "uint64", "byte", "uintptr":
		return true
	}
	return false
}

func isTime(t *dsl.TypeExpr) bool {
	return t.Kind == dsl.TypeQualified && t.Import.Path == "time" && t.Name == "Time"
}

// native reports whether esjson reads and writes t without encoding/json.
func native(t *dsl.TypeExpr) bool {
	switch t.Kind {
	case dsl.TypeBuiltin:
		switch t.Name {
		case "string", "bool", "float32", "float64":
			return true
		}
		_, ok := intBits[t.Name]
		return ok
	case dsl.TypeValue:
		return true
	case dsl.TypeQualified:
		return isTime(t)
	case dsl.TypeSlice, dsl.TypePointer:
		return native(t.Elem)
	case dsl.TypeMap:
		return t.Key.Kind == dsl.TypeBuiltin && (t.Key.Name == "string" || intBits[t.Key.Name] != "" || t.Key.Name == "int" || t.Key.Name == "uint" || t.Key.Name == "uintptr") && native(t.Elem)
	}
	return false
}

// isBytes reports whether t is []byte, which JSON holds as base64.
func isBytes(t *dsl.TypeExpr) bool {
	return t.Kind == dsl.TypeSlice && t.Elem.Kind == dsl.TypeBuiltin && (t.Elem.Name == "byte" || t.Elem.Name == "uint8")
}

// jsonKey is the escaped JSON spelling of a key, as encoding/json writes it.
func jsonKey(name string) string { return string(esjson.AppendString(nil, name)) }

// rawLit is a Go string literal of s, raw (backquoted) when s allows.
func rawLit(s string) jen.Code {
	if !strings.ContainsAny(s, "`\r") {
		return jen.Op("`" + s + "`")
	}
	return jen.Lit(s)
}

// writeMethod emits func (v T) writeJSON(w *esjson.Writer).
func (g *gen) writeMethod(typeName string, fields []*dsl.Field) jen.Code {
	var body []jen.Code
	if len(fields) == 0 {
		body = append(body, jen.Id("w").Dot("Raw").Call(rawLit("{}")))
	}
	for i, f := range fields {
		sep := ","
		if i == 0 {
			sep = "{"
		}
		body = append(body, jen.Id("w").Dot("Raw").Call(rawLit(sep+jsonKey(f.Name)+":")))
		body = append(body, g.writeValue(f.Type, jen.Id("v").Dot(goname.Exported(f.Name)))...)
	}
	if len(fields) > 0 {
		body = append(body, jen.Id("w").Dot("Byte").Call(jen.LitRune('}')))
	}
	recv, doc := "v", "// writeJSON writes v as JSON, as encoding/json would."
	if len(fields) == 0 {
		recv, doc = "", "// writeJSON writes the empty object {}, as encoding/json would."
	}
	return jen.Comment(doc).Line().
		Func().Params(jen.Id(recv).Id(typeName)).Id("writeJSON").Params(jen.Id("w").Op("*").Qual(pathESJSON, "Writer")).Block(body...)
}

// writeValue returns the statements writing the value x of type t.
func (g *gen) writeValue(t *dsl.TypeExpr, x *jen.Statement) []jen.Code {
	w := func() *jen.Statement { return jen.Id("w") }
	if !native(t) {
		return []jen.Code{w().Dot("Marshal").Call(x)}
	}
	switch t.Kind {
	case dsl.TypeBuiltin:
		switch t.Name {
		case "string":
			return []jen.Code{w().Dot("String").Call(x)}
		case "bool":
			return []jen.Code{w().Dot("Bool").Call(x)}
		case "float64":
			return []jen.Code{w().Dot("Float").Call(x, jen.Lit(64))}
		case "float32":
			return []jen.Code{w().Dot("Float").Call(jen.Float64().Call(x), jen.Lit(32))}
		case "int64":
			return []jen.Code{w().Dot("Int").Call(x)}
		case "uint64":
			return []jen.Code{w().Dot("Uint").Call(x)}
		}
		if isSigned(t.Name) {
			return []jen.Code{w().Dot("Int").Call(jen.Int64().Call(x))}
		}
		return []jen.Code{w().Dot("Uint").Call(jen.Uint64().Call(x))}
	case dsl.TypeValue:
		return []jen.Code{x.Dot("writeJSON").Call(w())}
	case dsl.TypeQualified: // time.Time
		return []jen.Code{w().Dot("Time").Call(x)}
	case dsl.TypeSlice:
		if isBytes(t) {
			return []jen.Code{w().Dot("Base64").Call(x)}
		}
		return []jen.Code{jen.Id(g.writeHelper(t)).Call(w(), x)}
	case dsl.TypeMap, dsl.TypePointer:
		return []jen.Code{jen.Id(g.writeHelper(t)).Call(w(), x)}
	}
	panic("unreachable: native type of kind " + strconv.Itoa(int(t.Kind)))
}

// readMethod emits func (v *T) readJSON(r *esjson.Reader).
func (g *gen) readMethod(typeName string, fields []*dsl.Field) jen.Code {
	var body jen.Code
	if len(fields) == 0 {
		body = jen.For(jen.Id("more").Op(":=").Id("r").Dot("BeginObject").Call(), jen.Id("more"), jen.Id("more").Op("=").Id("r").Dot("NextMember").Call()).Block(
			jen.Id("r").Dot("Skip").Call())
	} else {
		var cases []jen.Code
		for _, f := range fields {
			cases = append(cases, jen.Case(jen.Lit(f.Name)).Block(g.readValue(f.Type, jen.Id("v").Dot(goname.Exported(f.Name)))...))
		}
		cases = append(cases, jen.Default().Block(jen.Id("r").Dot("Skip").Call()))
		body = jen.For(jen.Id("more").Op(":=").Id("r").Dot("BeginObject").Call(), jen.Id("more"), jen.Id("more").Op("=").Id("r").Dot("NextMember").Call()).Block(
			jen.Switch(jen.String().Call(jen.Id("r").Dot("Key").Call())).Block(cases...))
	}
	recv, doc := jen.Id("v").Op("*").Id(typeName), "// readJSON reads v from JSON, skipping unknown keys."
	if len(fields) == 0 {
		recv, doc = jen.Op("*").Id(typeName), "// readJSON reads a JSON object, skipping its keys: "+typeName+" has no fields."
	}
	return jen.Comment(doc).Line().
		Func().Params(recv).Id("readJSON").Params(jen.Id("r").Op("*").Qual(pathESJSON, "Reader")).Block(body)
}

// bitsArg is the bit-size argument of esjson's integer readers.
func bitsArg(name string) jen.Code {
	if b := intBits[name]; b != "" {
		return jen.Lit(mustAtoi(b))
	}
	return jen.Qual("strconv", "IntSize")
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

// readValue returns the statements reading a value of type t into the
// addressable x.
func (g *gen) readValue(t *dsl.TypeExpr, x *jen.Statement) []jen.Code {
	r := func() *jen.Statement { return jen.Id("r") }
	if !native(t) {
		return []jen.Code{r().Dot("Unmarshal").Call(jen.Op("&").Add(x))}
	}
	switch t.Kind {
	case dsl.TypeBuiltin:
		switch t.Name {
		case "string":
			return []jen.Code{x.Op("=").Add(r().Dot("String").Call())}
		case "bool":
			return []jen.Code{x.Op("=").Add(r().Dot("Bool").Call())}
		case "float64":
			return []jen.Code{x.Op("=").Add(r().Dot("Float").Call(jen.Lit(64)))}
		case "float32":
			return []jen.Code{x.Op("=").Float32().Call(r().Dot("Float").Call(jen.Lit(32)))}
		case "int64":
			return []jen.Code{x.Op("=").Add(r().Dot("Int").Call(jen.Lit(64)))}
		case "uint64":
			return []jen.Code{x.Op("=").Add(r().Dot("Uint").Call(jen.Lit(64)))}
		}
		if isSigned(t.Name) {
			return []jen.Code{x.Op("=").Id(t.Name).Call(r().Dot("Int").Call(bitsArg(t.Name)))}
		}
		return []jen.Code{x.Op("=").Id(t.Name).Call(r().Dot("Uint").Call(bitsArg(t.Name)))}
	case dsl.TypeValue:
		return []jen.Code{x.Dot("readJSON").Call(r())}
	case dsl.TypeQualified: // time.Time
		return []jen.Code{x.Op("=").Add(r().Dot("Time").Call())}
	case dsl.TypeSlice:
		if isBytes(t) {
			return []jen.Code{x.Op("=").Add(r().Dot("Base64").Call())}
		}
		return []jen.Code{x.Op("=").Id(g.readHelper(t)).Call(r())}
	case dsl.TypeMap, dsl.TypePointer:
		return []jen.Code{x.Op("=").Id(g.readHelper(t)).Call(r())}
	}
	panic("unreachable: native type of kind " + strconv.Itoa(int(t.Kind)))
}

// writeHelperFunc emits the write helper of a composite type (hasHelper):
// func writeSliceOfItem(w *esjson.Writer, x []Item), writing x as
// encoding/json would. Elements of composite types call their own helpers.
func (g *gen) writeHelperFunc(t *dsl.TypeExpr) jen.Code {
	w := func() *jen.Statement { return jen.Id("w") }
	null := jen.If(jen.Id("x").Op("==").Nil()).Block(w().Dot("Null").Call(), jen.Return())
	var body []jen.Code
	switch t.Kind {
	case dsl.TypePointer:
		elem := jen.Op("*").Id("x")
		if t.Elem.Kind == dsl.TypeValue {
			elem = jen.Id("x") // the value method is in the pointer's method set
		}
		body = append([]jen.Code{null}, g.writeValue(t.Elem, elem)...)
	case dsl.TypeSlice:
		body = []jen.Code{
			null,
			w().Dot("Byte").Call(jen.LitRune('[')),
			jen.For(jen.List(jen.Id("i"), jen.Id("e")).Op(":=").Range().Id("x")).Block(
				append([]jen.Code{jen.If(jen.Id("i").Op(">").Lit(0)).Block(w().Dot("Byte").Call(jen.LitRune(',')))},
					g.writeValue(t.Elem, jen.Id("e"))...)...,
			),
			w().Dot("Byte").Call(jen.LitRune(']')),
		}
	case dsl.TypeMap:
		var keys, key jen.Code
		switch {
		case t.Key.Name == "string":
			keys = jen.Qual(pathESJSON, "SortedKeys").Call(jen.Id("x"))
			key = w().Dot("String").Call(jen.Id("k"))
		case isSigned(t.Key.Name):
			keys = jen.Qual(pathESJSON, "SortedIntKeys").Call(jen.Id("x"))
			key = w().Dot("IntKey").Call(jen.Int64().Call(jen.Id("k")))
		default:
			keys = jen.Qual(pathESJSON, "SortedUintKeys").Call(jen.Id("x"))
			key = w().Dot("UintKey").Call(jen.Uint64().Call(jen.Id("k")))
		}
		body = []jen.Code{
			null,
			w().Dot("Byte").Call(jen.LitRune('{')),
			jen.For(jen.List(jen.Id("i"), jen.Id("k")).Op(":=").Range().Add(keys)).Block(
				append([]jen.Code{
					jen.If(jen.Id("i").Op(">").Lit(0)).Block(w().Dot("Byte").Call(jen.LitRune(','))),
					key,
					w().Dot("Byte").Call(jen.LitRune(':')),
				}, g.writeValue(t.Elem, jen.Id("x").Index(jen.Id("k")))...)...,
			),
			w().Dot("Byte").Call(jen.LitRune('}')),
		}
	}
	name := g.writeHelper(t)
	return comment(wrap(fmt.Sprintf("%s writes x as JSON, as encoding/json would.", name))).Line().
		Func().Id(name).Params(jen.Id("w").Op("*").Qual(pathESJSON, "Writer"), jen.Id("x").Add(g.typ(t))).Block(body...)
}

// readHelperFunc emits the read helper of a composite type (hasHelper):
// func readSliceOfItem(r *esjson.Reader) []Item, reading what
// encoding/json reads into a nil value (null is nil).
func (g *gen) readHelperFunc(t *dsl.TypeExpr) jen.Code {
	r := func() *jen.Statement { return jen.Id("r") }
	null := jen.If(r().Dot("Null").Call()).Block(jen.Return(jen.Nil()))
	var body []jen.Code
	switch t.Kind {
	case dsl.TypePointer:
		inner := jen.Op("*").Id("x")
		if t.Elem.Kind == dsl.TypeValue {
			inner = jen.Id("x")
		}
		body = append([]jen.Code{null, jen.Id("x").Op(":=").New(g.typ(t.Elem))}, g.readValue(t.Elem, inner)...)
	case dsl.TypeSlice:
		body = []jen.Code{
			null,
			jen.Id("x").Op(":=").Add(g.typ(t)).Values(),
			jen.For(jen.Id("more").Op(":=").Add(r().Dot("BeginArray").Call()), jen.Id("more"), jen.Id("more").Op("=").Add(r().Dot("NextElem").Call())).Block(
				append(append([]jen.Code{jen.Var().Id("e").Add(g.typ(t.Elem))}, g.readValue(t.Elem, jen.Id("e"))...),
					jen.Id("x").Op("=").Append(jen.Id("x"), jen.Id("e")))...,
			),
		}
	case dsl.TypeMap:
		var key jen.Code
		switch {
		case t.Key.Name == "string":
			key = jen.String().Call(r().Dot("Key").Call())
		case t.Key.Name == "int64":
			key = r().Dot("KeyInt").Call(jen.Lit(64))
		case t.Key.Name == "uint64":
			key = r().Dot("KeyUint").Call(jen.Lit(64))
		case isSigned(t.Key.Name):
			key = jen.Id(t.Key.Name).Call(r().Dot("KeyInt").Call(bitsArg(t.Key.Name)))
		default:
			key = jen.Id(t.Key.Name).Call(r().Dot("KeyUint").Call(bitsArg(t.Key.Name)))
		}
		body = []jen.Code{
			null,
			jen.Id("x").Op(":=").Add(g.typ(t)).Values(),
			jen.For(jen.Id("more").Op(":=").Add(r().Dot("BeginObject").Call()), jen.Id("more"), jen.Id("more").Op("=").Add(r().Dot("NextMember").Call())).Block(
				append(append([]jen.Code{jen.Id("k").Op(":=").Add(key), jen.Var().Id("e").Add(g.typ(t.Elem))},
					g.readValue(t.Elem, jen.Id("e"))...),
					jen.Id("x").Index(jen.Id("k")).Op("=").Id("e"))...,
			),
		}
	}
	body = append(body, jen.Return(jen.Id("x")))
	name := g.readHelper(t)
	return comment(wrap(fmt.Sprintf("%s reads a %s from JSON as encoding/json reads one into a nil value: null is nil.", name, g.typ(t).GoString()))).Line().
		Func().Id(name).Params(jen.Id("r").Op("*").Qual(pathESJSON, "Reader")).Add(g.typ(t)).Block(body...)
}
