package dsl

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
)

// PackageOrder returns files in the order in which the files generated
// into one Go package are checked together and generated: by file name
// without directory, then by the whole name. The first in this order with
// a doc comment gives the package doc, and the first that needs a JSON
// helper declares it; an identifier collision is reported at the later
// file. Nil files are left out.
func PackageOrder(files []*File) []*File {
	out := make([]*File, 0, len(files))
	for _, f := range files {
		if f != nil {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b *File) int {
		return cmp.Or(cmp.Compare(filepath.Base(a.Name), filepath.Base(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// CheckPackage checks checked files whose code is generated into one Go
// package together: every Go identifier the code of one generates at
// package level must not be one that another's code generates, nor one of
// its externs or import names (E018, at the declaration of the file later
// in PackageOrder, naming the other file and line). Two files may declare
// the same extern, a type of the package, and import the same names,
// which Go scopes to each file; an extern may name a Go type another file
// generates in package code (any generated type but those of the
// generated tests), which is a type of the package, but not a function or
// constant. A
// declaration is reported once, naming the first earlier one it collides
// with (two aggregates Order collide in every identifier generated for
// them: the first is named).
//
// Each file is checked alone by Check; CheckPackage adds only what two
// files cause. It returns no diagnostics for fewer than two files.
func CheckPackage(files []*File) Diagnostics {
	files = PackageOrder(files)
	if len(files) < 2 {
		return nil
	}
	type decl struct {
		goIdent
		file *File
	}
	earlier := map[string][]decl{}     // by name, in PackageOrder, one per file
	reported := map[[2]Position]bool{} // one diagnostic per pair of declarations
	var diags Diagnostics
	for _, f := range files {
		mine := map[string]bool{}
		for _, id := range f.goIdents() {
			if id.name == "" || mine[id.name] {
				continue // a collision within f is Check's
			}
			mine[id.name] = true
			i := slices.IndexFunc(earlier[id.name], func(prev decl) bool { return collides(prev.goIdent, id) })
			earlier[id.name] = append(earlier[id.name], decl{id, f})
			if i < 0 {
				continue
			}
			prev := earlier[id.name][i]
			if reported[[2]Position{id.pos, prev.pos}] {
				continue
			}
			reported[[2]Position{id.pos, prev.pos}] = true
			diags = append(diags, newDiag(id.pos, codeGoCollision, fmt.Sprintf(
				"Go identifier %s of %s collides with %s at %s:%d, generated into the same Go package",
				id.name, id.what, prev.what, prev.file.Name, prev.pos.Line), ""))
		}
	}
	diags.Sort()
	return diags
}

// collides reports whether two files of one package cannot both have a and
// b, of one name: two externs or two imports can, and so can an extern
// and a Go type another file generates, which is the type the extern
// names.
func collides(a, b goIdent) bool {
	switch {
	case a.kind == b.kind:
		return a.kind == identGenerated
	case a.kind == identExtern && b.kind == identGenerated:
		return !b.goType
	case b.kind == identExtern && a.kind == identGenerated:
		return !a.goType
	}
	return true
}
