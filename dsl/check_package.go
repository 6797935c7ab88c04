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
// the same extern, a type of the package that neither generates, and
// import the same names, which Go scopes to each file. A declaration is
// reported once for each earlier one it collides with (two aggregates
// Order collide in every identifier generated for them: the first is
// named).
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
	first := map[string]decl{}
	reported := map[[2]Position]bool{} // one diagnostic per pair of declarations
	var diags Diagnostics
	for _, f := range files {
		mine := map[string]bool{}
		for _, id := range f.goIdents() {
			if id.name == "" || mine[id.name] {
				continue // a collision within f is Check's
			}
			mine[id.name] = true
			prev, ok := first[id.name]
			if !ok {
				first[id.name] = decl{id, f}
				continue
			}
			if prev.kind == id.kind && id.kind != identGenerated || reported[[2]Position{id.pos, prev.pos}] {
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
