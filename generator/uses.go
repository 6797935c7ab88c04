package generator

import (
	"slices"
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
	u := collectValueUses(f)
	u.nameHelpers(map[string]bool{}, taken)
	return u
}

// collectValueUses finds the value uses of f, its helpers not yet named.
func collectValueUses(f *dsl.File) valueUses {
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
	return u
}

// nameHelpers names the helpers of u that u.helper does not name yet,
// writers first, each base name once: two types spelt alike (a value type
// SliceOfItem beside []Item) get numbers, and so does a name the generated
// package or one of its imports already has (taken). bases holds the
// names given so far, and gets the new ones.
func (u *valueUses) nameHelpers(bases, taken map[string]bool) {
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
}

// packageValueUses returns the value uses of g.f when the files of
// siblings are generated into the same Go package: its helpers are named
// for the whole package (a type has one helper name in every file), and
// those a file earlier in dsl.PackageOrder already declares are left out
// of writers and readers, so that every helper is declared once.
func packageValueUses(g *gen, siblings []*dsl.File) valueUses {
	files := dsl.PackageOrder(append([]*dsl.File{g.f}, siblings...))
	gens := make([]*gen, len(files))
	taken := map[string]bool{}
	for i, f := range files {
		gens[i] = g
		if f != g.f {
			gens[i] = newFileGen(f, g.pkg)
		}
		for name := range gens[i].packageNames() {
			taken[name] = true
		}
	}
	names, bases := map[string]string{}, map[string]bool{}
	declaredW, declaredR := map[string]bool{}, map[string]bool{}
	for _, fg := range gens {
		u := collectValueUses(fg.f)
		u.helper = names
		u.nameHelpers(bases, taken)
		if fg == g {
			u.writers = slices.DeleteFunc(u.writers, func(t *dsl.TypeExpr) bool { return declaredW[typeKey(t)] })
			u.readers = slices.DeleteFunc(u.readers, func(t *dsl.TypeExpr) bool { return declaredR[typeKey(t)] })
			return u
		}
		for _, t := range u.writers {
			declaredW[typeKey(t)] = true
		}
		for _, t := range u.readers {
			declaredR[typeKey(t)] = true
		}
	}
	panic("unreachable: g.f is one of files")
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
