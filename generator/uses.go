package generator

import (
	"strconv"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
)

// valueUses says which value types generated codecs encode (reachable from
// a state or the newest version of an event) and decode (reachable from a
// state or any version of an event), so that no unused method is emitted;
// and which composite field types (slices, maps and pointers esjson
// handles) get a JSON helper function, emitted once for the package and
// called wherever a field has that type.
type valueUses struct {
	write, read map[*dsl.ValueType]bool
	// writers and readers are the composite types with a write or read
	// helper, in the order the .esm file first uses them.
	writers, readers []*dsl.TypeExpr
	// helper is the name of the helpers of each composite type, by
	// typeKey, without the write or read prefix: "SliceOfLineItem".
	helper map[string]string
}

func findValueUses(f *dsl.File, taken map[string]bool) valueUses {
	u := valueUses{write: map[*dsl.ValueType]bool{}, read: map[*dsl.ValueType]bool{}, helper: map[string]string{}}
	seenWriter, seenReader := map[string]bool{}, map[string]bool{}
	mark := func(set map[*dsl.ValueType]bool, seen map[string]bool, helpers *[]*dsl.TypeExpr, fields []*dsl.Field) {
		var walk func(t *dsl.TypeExpr)
		walk = func(t *dsl.TypeExpr) {
			if hasHelper(t) && !seen[typeKey(t)] {
				seen[typeKey(t)] = true
				*helpers = append(*helpers, t)
			}
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
			mark(u.write, seenWriter, &u.writers, s.Fields)
			mark(u.read, seenReader, &u.readers, s.Fields)
		}
		for _, e := range a.Events {
			mark(u.write, seenWriter, &u.writers, e.Latest().Fields)
			for _, v := range e.Versions {
				mark(u.read, seenReader, &u.readers, v.Fields)
			}
		}
	}
	// Name the helpers, writers first, each base name once: two types
	// spelt alike (a value type SliceOfItem beside []Item) get numbers, and
	// so does a name the generated package or one of its imports already
	// has (taken).
	bases := map[string]bool{}
	for _, t := range append(append([]*dsl.TypeExpr(nil), u.writers...), u.readers...) {
		k := typeKey(t)
		if u.helper[k] != "" {
			continue
		}
		base := helperBase(t)
		name := base
		for n := 2; bases[name] || taken["write"+name] || taken["read"+name]; n++ {
			name = base + strconv.Itoa(n)
		}
		bases[name] = true
		u.helper[k] = name
	}
	return u
}

// hasHelper reports whether values of type t are written and read by a
// helper function: slices (but []byte, which is base64), maps and
// pointers that esjson handles without encoding/json.
func hasHelper(t *dsl.TypeExpr) bool {
	switch t.Kind {
	case dsl.TypeSlice:
		return !isBytes(t) && native(t)
	case dsl.TypeMap, dsl.TypePointer:
		return native(t)
	}
	return false
}

// typeKey identifies a type whatever the import alias that spells it.
func typeKey(t *dsl.TypeExpr) string {
	switch t.Kind {
	case dsl.TypeSlice:
		return "[]" + typeKey(t.Elem)
	case dsl.TypeMap:
		return "map[" + typeKey(t.Key) + "]" + typeKey(t.Elem)
	case dsl.TypePointer:
		return "*" + typeKey(t.Elem)
	case dsl.TypeQualified:
		return strconv.Quote(t.Import.Path) + "." + t.Name
	}
	return t.Name
}

// helperBase spells a composite type in words: []LineItem is
// SliceOfLineItem, map[string][]*int MapOfStringToSliceOfPointerToInt.
func helperBase(t *dsl.TypeExpr) string {
	switch t.Kind {
	case dsl.TypeSlice:
		return "SliceOf" + helperBase(t.Elem)
	case dsl.TypeMap:
		return "MapOf" + helperBase(t.Key) + "To" + helperBase(t.Elem)
	case dsl.TypePointer:
		return "PointerTo" + helperBase(t.Elem)
	}
	return goname.Exported(t.Name)
}

// writeHelper and readHelper are the names of t's helpers.
func (g *gen) writeHelper(t *dsl.TypeExpr) string { return "write" + g.uses.helper[typeKey(t)] }
func (g *gen) readHelper(t *dsl.TypeExpr) string  { return "read" + g.uses.helper[typeKey(t)] }
