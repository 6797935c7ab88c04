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
	return g.sampleIn(t, label, seed, depth, false, false)
}

// sampleIn is sample; elided leaves out the type of a composite literal
// that is an element of a slice or map literal, as gofmt -s does; alt
// builds the changed value.
func (g *gen) sampleIn(t *dsl.TypeExpr, label string, seed, depth int, elided, alt bool) jen.Code {
	if !native(t) {
		return nil
	}
	switch t.Kind {
	case dsl.TypeBuiltin:
		switch t.Name {
		case "string":
			return jen.Lit(sampleText(label, seed, alt))
		case "bool":
			return jen.Lit(!alt)
		case "float32", "float64":
			if alt {
				return jen.Lit(float64(seed%100) + 0.25)
			}
			return jen.Lit(float64(seed%100) + 0.5)
		}
		if alt {
			// 1..100 like the sample, and never equal to it.
			return jen.Lit((seed%100+1)%100 + 1)
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
		return lit.Values(g.sampleFieldsIn(t.Value.Fields, seed*10, depth+1, alt)...)
	case dsl.TypeQualified: // time.Time
		nsec := seed
		if alt {
			nsec += 500_000_000
		}
		return jen.Qual("time", "Date").Call(jen.Lit(2024+seed%10), jen.Qual("time", months[seed%12]), jen.Lit(seed%28+1),
			jen.Lit(seed%24), jen.Lit(seed%60), jen.Lit(seed%60), jen.Lit(nsec), jen.Qual("time", "UTC"))
	case dsl.TypeSlice:
		if isBytes(t) {
			return jen.Index().Byte().Call(jen.Lit(sampleText(label, seed, alt)))
		}
		// Two elements: a hook that keeps only one of them loses the other.
		e := g.sampleIn(t.Elem, label, seed+1, depth+1, true, alt)
		if e == nil {
			return nil
		}
		return g.typ(t).Values(e, g.sampleIn(t.Elem, label, seed+2, depth+1, true, alt))
	case dsl.TypeMap:
		k := g.sampleIn(t.Key, label+"-key", seed, depth+1, false, alt)
		e := g.sampleIn(t.Elem, label, seed+1, depth+1, true, alt)
		if e == nil {
			return nil
		}
		// Two entries, as for slices (keys are strings, integers or
		// types the tests leave alone: never two equal constants).
		k2 := g.sampleIn(t.Key, label+"-key", seed+2, depth+1, false, alt)
		e2 := g.sampleIn(t.Elem, label, seed+3, depth+1, true, alt)
		return g.typ(t).Values(jen.Add(k).Op(":").Add(e), jen.Add(k2).Op(":").Add(e2))
	case dsl.TypePointer:
		e := g.sampleIn(t.Elem, label, seed, depth, false, alt)
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

func sampleText(label string, seed int, alt bool) string {
	if alt {
		return fmt.Sprintf("%s-%d-changed", label, seed)
	}
	return fmt.Sprintf("%s-%d", label, seed)
}

// perturbable reports whether changed builds a value of t, at depth, that
// differs from sample's: t is not one of the types the tests leave at
// zero, nor made only of them.
func perturbable(t *dsl.TypeExpr, depth int) bool {
	if !native(t) {
		return false
	}
	switch t.Kind {
	case dsl.TypeValue:
		if depth > 2 {
			return false
		}
		for _, f := range t.Value.Fields {
			if perturbable(f.Type, depth+1) {
				return true
			}
		}
		return false
	case dsl.TypeSlice:
		return isBytes(t) || perturbable(t.Elem, depth+1)
	case dsl.TypeMap:
		return perturbable(t.Key, depth+1) || perturbable(t.Elem, depth+1)
	case dsl.TypePointer:
		return perturbable(t.Elem, depth)
	}
	return true
}

// sampleFields are the keyed fields of a sample struct: field i gets seed
// seed+i.
func (g *gen) sampleFields(fields []*dsl.Field, seed, depth int) []jen.Code {
	return g.sampleFieldsIn(fields, seed, depth, false)
}

func (g *gen) sampleFieldsIn(fields []*dsl.Field, seed, depth int, alt bool) []jen.Code {
	var out []jen.Code
	for i, f := range fields {
		if v := g.sampleIn(f.Type, f.Name, seed+i, depth, false, alt); v != nil {
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

// changedStruct is sampleStruct with field changed changed.
func (g *gen) changedStruct(typeName string, fields []*dsl.Field, seed int, changed *dsl.Field) *jen.Statement {
	var out []jen.Code
	for i, f := range fields {
		v := g.sampleIn(f.Type, f.Name, seed+i, 0, false, f == changed)
		if v != nil {
			out = append(out, field(goname.Exported(f.Name), v))
		}
	}
	return jen.Id(typeName).Values(out...)
}

var months = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
