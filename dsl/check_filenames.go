package dsl

import (
	"fmt"

	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/outname"
)

// fileOwner is what a generated file is generated for: the .esm file or
// one of its aggregates.
type fileOwner struct {
	what string // "aggregate Order", "file orders.esm"
	pos  Position
}

// checkFileNames checks the names of the files generated for m, as
// internal/outname spells them for the generator: the file's
// <name>_types.gen.go and every file each aggregate may get, whatever the
// options. It reports, at the later aggregate, one file that has the name
// of a file of the .esm file or of an earlier aggregate (ignoring case, as
// macOS and Windows do), once per earlier owner; and, at the package
// clause or the aggregate, the first name that the go tool would skip or
// build only on some platforms, or that Windows cannot hold.
func (c *checker) checkFileNames(m *File) {
	first := map[string]string{}      // outname.Key -> the name first generated
	owners := map[string]*fileOwner{} // outname.Key -> what first generates it
	if m.Name != "" && c.ast.Package != nil {
		own := &fileOwner{what: "file " + outname.FileBase(m.Name) + ".esm", pos: fromLexer(c.ast.Package.Pos)}
		name := outname.FileTypes(m.Name)
		if p := outname.Problem(name); p != "" {
			c.diags = append(c.diags, newDiag(own.pos, codeFileName, fmt.Sprintf(
				"file %s.esm generates file %s: %s", outname.FileBase(m.Name), name, p), "rename the .esm file"))
		}
		first[outname.Key(name)], owners[outname.Key(name)] = name, own
	}
	for _, a := range m.Aggregates {
		if !validExported(goname.Exported(a.Name)) {
			continue // E022 already asks for another name
		}
		own := &fileOwner{what: "aggregate " + a.Name, pos: a.Pos}
		problem := false
		clashed := map[*fileOwner]bool{}
		for _, name := range outname.AggregateFiles(a.Name, a.Eventual) {
			if p := outname.Problem(name); p != "" && !problem {
				problem = true
				c.diags = append(c.diags, newDiag(a.Pos, codeFileName, fmt.Sprintf(
					"aggregate %s generates file %s: %s", a.Name, name, p), "rename the aggregate"))
			}
			key := outname.Key(name)
			prev, ok := owners[key]
			if !ok {
				first[key], owners[key] = name, own
				continue
			}
			if prev == own || clashed[prev] {
				continue
			}
			clashed[prev] = true
			c.diags = append(c.diags, newDiag(a.Pos, codeFileName, fmt.Sprintf(
				"file %s of aggregate %s collides with %s of %s at line %d", name, a.Name, first[key], prev.what, prev.pos.Line),
				"rename the aggregate: its files are named after it in lower case"))
		}
	}
}
