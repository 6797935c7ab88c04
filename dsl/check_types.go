package dsl

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/esgen/esgen/dsl/ast"
	"github.com/esgen/esgen/internal/goname"
)

// fieldTypes are the predeclared Go types a field may have, in the order
// suggestions list them.
var fieldTypes = []string{
	"string", "bool", "int", "int8", "int16", "int32", "int64",
	"uint", "uint8", "uint16", "uint32", "uint64", "byte", "rune", "float32", "float64",
}

// intBits gives the size of each integer type and whether it is unsigned.
var intBits = map[string]struct {
	bits     int
	unsigned bool
}{
	"int": {64, false}, "int8": {8, false}, "int16": {16, false}, "int32": {32, false},
	"int64": {64, false}, "rune": {32, false}, "uint": {64, true}, "uint8": {8, true},
	"uint16": {16, true}, "uint32": {32, true}, "uint64": {64, true}, "byte": {8, true},
}

// wellKnownImports suggests an import for a qualifier that is not imported.
var wellKnownImports = map[string]string{
	"time": "time", "netip": "net/netip", "url": "net/url", "mail": "net/mail",
	"big": "math/big", "json": "encoding/json",
}

// fields resolves the fields of a body. owner names the declaration in
// messages ("type LineItem", "event OrderSubmitted v2"); defaults are
// allowed only when event is set.
func (c *checker) fields(b *ast.Body, owner string, event bool) []*Field {
	if b == nil || len(b.Fields) == 0 {
		return nil
	}
	out := make([]*Field, 0, len(b.Fields))
	byName := map[string]*ast.Field{}
	byGo := map[string]*ast.Field{}
	for _, af := range b.Fields {
		name := af.Name.Name
		if prev := byName[name]; prev != nil {
			c.report(af.Name.Pos, codeDuplicate, "", "field %s of %s is already declared at line %d", name, owner, prev.Pos.Line)
			continue
		}
		byName[name] = af
		if c.checkExportable(af.Name, "field") {
			gn := goname.Exported(name)
			if prev := byGo[gn]; prev != nil {
				c.report(af.Name.Pos, codeFieldCollision, "", "field %s of %s has the Go name %s, like field %s at line %d",
					name, owner, gn, prev.Name.Name, prev.Pos.Line)
			} else {
				byGo[gn] = af
			}
		}
		f := &Field{Name: name, Doc: af.Doc.Text(), Type: c.resolveType(af.Type), Pos: fromLexer(af.Pos)}
		c.fieldDecls[f] = af
		if af.Default != nil {
			if !event {
				c.report(af.Default.Pos, codeInvalidDefault, "", "field %s of %s has a default, but only event fields can: defaults fill fields when an older event version is upcast", name, owner)
			} else if f.Type != nil {
				f.Default = c.literal(af.Default, f, owner, "default")
			}
		}
		out = append(out, f)
	}
	return out
}

// literal checks a literal against its field's type: a default of an
// event field, or a value a timer gives a command's field (what names
// which).
func (c *checker) literal(l *ast.Literal, f *Field, owner, what string) *Literal {
	lit := &Literal{Text: l.Text, Pos: fromLexer(l.Pos)}
	switch {
	case strings.HasPrefix(l.Text, `"`):
		lit.Kind = LiteralString
	case l.Text == "true" || l.Text == "false":
		lit.Kind = LiteralBool
	case strings.ContainsAny(l.Text, ".eE"):
		lit.Kind = LiteralFloat
	default:
		lit.Kind = LiteralInt
	}
	t := f.Type
	if t.Kind != TypeBuiltin {
		c.report(l.Pos, codeInvalidDefault, "", "field %s of %s has type %s, which cannot have a %s: only string, bool and number fields can",
			f.Name, owner, t, what)
		return nil
	}
	fits := false
	switch name := t.Name; {
	case name == "string":
		fits = lit.Kind == LiteralString
	case name == "bool":
		fits = lit.Kind == LiteralBool
	case name == "float32" || name == "float64":
		if lit.Kind == LiteralInt || lit.Kind == LiteralFloat {
			bits := 64
			if name == "float32" {
				bits = 32
			}
			_, err := strconv.ParseFloat(l.Text, bits)
			fits = !errors.Is(err, strconv.ErrRange)
		}
	default:
		if ib, ok := intBits[name]; ok && lit.Kind == LiteralInt {
			var err error
			if ib.unsigned {
				_, err = strconv.ParseUint(l.Text, 10, ib.bits)
			} else {
				_, err = strconv.ParseInt(l.Text, 10, ib.bits)
			}
			fits = err == nil
		}
	}
	if !fits {
		c.report(l.Pos, codeInvalidDefault, "", "%s %s does not fit field %s of type %s", what, l.Text, f.Name, t)
		return nil
	}
	return lit
}

// resolveType resolves a written type; nil after an error.
func (c *checker) resolveType(t *ast.Type) *TypeExpr {
	pos := fromLexer(t.Pos)
	switch {
	case t.Slice != nil:
		if elem := c.resolveType(t.Slice); elem != nil {
			return &TypeExpr{Kind: TypeSlice, Elem: elem, Pos: pos}
		}
	case t.Pointer != nil:
		if elem := c.resolveType(t.Pointer); elem != nil {
			return &TypeExpr{Kind: TypePointer, Elem: elem, Pos: pos}
		}
	case t.Map != nil:
		key := c.resolveType(t.Map.Key)
		elem := c.resolveType(t.Map.Elem)
		if key == nil || elem == nil {
			return nil
		}
		if !validMapKey(key) {
			c.report(t.Map.Key.Pos, codeInvalidMapKey, "use string or an integer type", "map key type %s cannot be a JSON object key", key)
			return nil
		}
		return &TypeExpr{Kind: TypeMap, Key: key, Elem: elem, Pos: pos}
	case t.Named != nil:
		return c.resolveName(t.Named)
	}
	return nil
}

// validMapKey reports whether a map key type has a JSON object key
// spelling: strings and integers, and types of other packages (which must
// then implement encoding.TextMarshaler).
func validMapKey(t *TypeExpr) bool {
	switch t.Kind {
	case TypeBuiltin:
		_, isInt := intBits[t.Name]
		return t.Name == "string" || isInt
	case TypeExtern, TypeQualified:
		return true
	}
	return false
}

// resolveName resolves a type name: qualified, builtin, value type or
// extern.
func (c *checker) resolveName(n *ast.TypeName) *TypeExpr {
	pos := fromLexer(n.Pos)
	if n.Sel != nil {
		q := n.First.Name
		im := c.imports[q]
		if im == nil {
			other := ""
			if path, ok := wellKnownImports[q]; ok {
				other = `add import "` + path + `"`
			}
			c.reportName(n.First, codeUndeclared, mapKeys(c.imports), other, "undeclared package %s in type %s", q, n)
			return nil
		}
		c.used[im] = true
		if !validExported(n.Sel.Name) {
			c.report(n.Sel.Pos, codeUndeclared, "", "%s is not an exported name of package %s", n.Sel.Name, im.Path)
			return nil
		}
		return &TypeExpr{Kind: TypeQualified, Name: n.Sel.Name, Import: im, Pos: pos}
	}
	name := n.First.Name
	if vt := c.types[name]; vt != nil {
		c.used[vt] = true
		return &TypeExpr{Kind: TypeValue, Name: name, Value: vt, Pos: pos}
	}
	if x := c.externs[name]; x != nil {
		c.used[x] = true
		return &TypeExpr{Kind: TypeExtern, Name: name, Extern: x, Pos: pos}
	}
	if goname.IsBuiltinType(name) {
		if _, ok := intBits[name]; ok || name == "string" || name == "bool" || name == "float32" || name == "float64" {
			return &TypeExpr{Kind: TypeBuiltin, Name: name, Pos: pos}
		}
		c.report(n.Pos, codeUnsupportedType, "", "type %s cannot be a field type: esgen encodes every field as JSON and decodes it back", name)
		return nil
	}
	other := ""
	if c.agg != nil {
		other = c.agg.kindOf(name)
	}
	c.reportName(n.First, codeUndeclared, append(append([]string(nil), c.typeNames...), fieldTypes...), other, "undeclared type %s", name)
	return nil
}

// checkRecursiveTypes reports value types that contain themselves
// directly (not through a pointer, slice or map), which Go rejects: once
// per cycle, at the type of the cycle declared first. It finds the cycles
// as the strongly connected components of the containment graph (Tarjan's
// algorithm, iterative), in time linear in types and fields.
func (c *checker) checkRecursiveTypes() {
	types := c.file.Types
	index := make(map[*ValueType]int, len(types))
	for i, vt := range types {
		index[vt] = i
	}
	edges := make([][]int, len(types))
	selfLoop := make([]bool, len(types))
	for i, vt := range types {
		for _, f := range vt.Fields {
			if f.Type != nil && f.Type.Kind == TypeValue {
				j := index[f.Type.Value]
				edges[i] = append(edges[i], j)
				if j == i {
					selfLoop[i] = true
				}
			}
		}
	}
	comps, _ := sccs(len(types), func(v int) []int { return edges[v] })
	for _, comp := range comps {
		if len(comp) == 1 && !selfLoop[comp[0]] {
			continue
		}
		first := slices.Min(comp)
		in := make(map[int]bool, len(comp))
		for _, i := range comp {
			in[i] = true
		}
		path := c.cyclePath(types, first, in, index)
		steps := make([]string, len(path))
		for j, step := range path {
			steps[j] = step.owner.Name + "." + step.field.Name
		}
		vt := types[first]
		c.report(c.typeDecls[vt].Name.Pos, codeRecursiveType, "use a pointer, slice or map for one of these fields",
			"type %s contains itself through %s", vt.Name, strings.Join(steps, " -> "))
	}
}

type cycleStep struct {
	owner *ValueType
	field *Field
}

// cyclePath returns a path of direct containment from types[start] back to
// itself, staying inside the component in (breadth first, so the shortest).
func (c *checker) cyclePath(types []*ValueType, start int, in map[int]bool, index map[*ValueType]int) []cycleStep {
	type visit struct {
		from int
		step cycleStep
	}
	prev := map[int]visit{}
	queue := []int{start}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, f := range types[i].Fields {
			if f.Type == nil || f.Type.Kind != TypeValue {
				continue
			}
			j := index[f.Type.Value]
			if !in[j] {
				continue
			}
			if j == start {
				path := []cycleStep{{types[i], f}}
				for k := i; k != start; k = prev[k].from {
					path = append(path, prev[k].step)
				}
				slices.Reverse(path)
				return path
			}
			if _, seen := prev[j]; !seen {
				prev[j] = visit{i, cycleStep{types[i], f}}
				queue = append(queue, j)
			}
		}
	}
	return nil
}

// mapKeys returns the keys of m, sorted.
func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
