package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
)

// Generated tests build values with every field set, so that a codec that
// drops or swaps a field fails them. Samples are deterministic expressions
// of a label and a seed; the tests rebuild the expected values from the
// same expressions.

// sample is a Go expression of a non-zero value of t, or nil when the
// test uses the zero value (types esgen knows nothing of: the consumer's,
// imported ones other than time.Time).
func (g *gen) sample(t *dsl.TypeExpr, label string, seed, depth int) jen.Code {
	return g.sampleIn(t, label, seed, depth, false)
}

// sampleIn is sample; elided leaves out the type of a composite literal
// that is an element of a slice or map literal, as gofmt -s does.
func (g *gen) sampleIn(t *dsl.TypeExpr, label string, seed, depth int, elided bool) jen.Code {
	if !native(t) {
		return nil
	}
	switch t.Kind {
	case dsl.TypeBuiltin:
		switch t.Name {
		case "string":
			return jen.Lit(fmt.Sprintf("%s-%d", label, seed))
		case "bool":
			return jen.True()
		case "float32", "float64":
			return jen.Lit(float64(seed%100) + 0.5)
		}
		return jen.Lit(seed%100 + 1)
	case dsl.TypeValue:
		lit := jen.Id(goname.Exported(t.Name))
		if elided {
			lit = jen.Empty()
		}
		if depth > 2 {
			return lit.Values()
		}
		return lit.Values(g.sampleFields(t.Value.Fields, seed*10, depth+1)...)
	case dsl.TypeQualified: // time.Time
		return jen.Qual("time", "Date").Call(jen.Lit(2024+seed%10), jen.Qual("time", months[seed%12]), jen.Lit(seed%28+1),
			jen.Lit(seed%24), jen.Lit(seed%60), jen.Lit(seed%60), jen.Lit(seed), jen.Qual("time", "UTC"))
	case dsl.TypeSlice:
		if isBytes(t) {
			return jen.Index().Byte().Call(jen.Lit(fmt.Sprintf("%s-%d", label, seed)))
		}
		e := g.sampleIn(t.Elem, label, seed+1, depth+1, true)
		if e == nil {
			return nil
		}
		return g.typ(t).Values(e)
	case dsl.TypeMap:
		k := g.sample(t.Key, label+"-key", seed, depth+1)
		e := g.sampleIn(t.Elem, label, seed+1, depth+1, true)
		if e == nil {
			return nil
		}
		return g.typ(t).Values(jen.Add(k).Op(":").Add(e))
	case dsl.TypePointer:
		e := g.sample(t.Elem, label, seed, depth)
		if e == nil {
			return nil
		}
		if t.Elem.Kind == dsl.TypeValue {
			return jen.Op("&").Add(e)
		}
		if t.Elem.Kind == dsl.TypeBuiltin {
			switch t.Elem.Name {
			case "string", "bool", "int", "float64":
			default:
				e = jen.Id(t.Elem.Name).Call(e)
			}
		}
		return jen.New(e)
	}
	return nil
}

// sampleFields are the keyed fields of a sample struct: field i gets seed
// seed+i.
func (g *gen) sampleFields(fields []*dsl.Field, seed, depth int) []jen.Code {
	var out []jen.Code
	for i, f := range fields {
		if v := g.fieldSample(f, seed, i, depth); v != nil {
			out = append(out, field(goname.Exported(f.Name), v))
		}
	}
	return out
}

func (g *gen) fieldSample(f *dsl.Field, seed, i, depth int) jen.Code {
	return g.sample(f.Type, f.Name, seed+i, depth)
}

// sampleStruct is a composite literal of the named struct with every
// field sampled.
func (g *gen) sampleStruct(typeName string, fields []*dsl.Field, seed int) *jen.Statement {
	return jen.Id(typeName).Values(g.sampleFields(fields, seed, 0)...)
}

var months = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
