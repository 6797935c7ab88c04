package generator

import "github.com/esgen/esgen/dsl"

// valueUses says which value types generated codecs encode (reachable from
// a state or the newest version of an event) and decode (reachable from a
// state or any version of an event), so that no unused method is emitted.
type valueUses struct {
	write, read map[*dsl.ValueType]bool
}

func findValueUses(f *dsl.File) valueUses {
	u := valueUses{write: map[*dsl.ValueType]bool{}, read: map[*dsl.ValueType]bool{}}
	mark := func(set map[*dsl.ValueType]bool, fields []*dsl.Field) {
		var walk func(t *dsl.TypeExpr)
		walk = func(t *dsl.TypeExpr) {
			switch t.Kind {
			case dsl.TypeValue:
				if !set[t.Value] {
					set[t.Value] = true
					for _, f := range t.Value.Fields {
						walk(f.Type)
					}
				}
			case dsl.TypeSlice, dsl.TypePointer:
				walk(t.Elem)
			case dsl.TypeMap:
				walk(t.Key)
				walk(t.Elem)
			}
		}
		for _, fl := range fields {
			walk(fl.Type)
		}
	}
	for _, a := range f.Aggregates {
		for _, s := range a.States {
			mark(u.write, s.Fields)
			mark(u.read, s.Fields)
		}
		for _, e := range a.Events {
			mark(u.write, e.Latest().Fields)
			for _, v := range e.Versions {
				mark(u.read, v.Fields)
			}
		}
	}
	return u
}
