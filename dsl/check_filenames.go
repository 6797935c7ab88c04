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
// build only on some platforms, or that Windows cannot hold, or a name
// that makes a file name longer than file systems hold (outname.MaxName
// bytes, the longest file counted: order_repository.gen.go).
func (c *checker) checkFileNames(m *File) {
	first := map[string]string{}      // outname.Key -> the name first generated
	owners := map[string]*fileOwner{} // outname.Key -> what first generates it
	if m.Name != "" && c.ast.Package != nil {
		own := &fileOwner{what: "file " + outname.FileBase(m.Name) + ".esm", pos: fromLexer(c.ast.Package.Pos)}
		name := outname.FileTypes(m.Name)
		if over := len(name) - outname.MaxName; over > 0 {
			c.diags = append(c.diags, newDiag(own.pos, codeFileName, fmt.Sprintf(
				"file %s.esm has too long a name for the file it generates: the one ending in %s would be %d bytes, more than the %d a file name can have",
				outname.FileBase(m.Name), name[len(outname.FileBase(m.Name)):], len(name), outname.MaxName),
				"shorten the .esm file's name by at least "+byteCount(over)))
		} else if p := outname.Problem(name); p != "" {
			c.diags = append(c.diags, newDiag(own.pos, codeFileName, fmt.Sprintf(
				"file %s.esm generates file %s: %s", outname.FileBase(m.Name), name, p), "rename the .esm file"))
		}
		first[outname.Key(name)], owners[outname.Key(name)] = name, own
	}
	type owner struct {
		kind, name string
		eventual   bool
		pos        Position
	}
	var all []owner
	for _, a := range m.Aggregates {
		all = append(all, owner{"aggregate", a.Name, a.Eventual, a.Pos})
	}
	for _, p := range m.Processes {
		all = append(all, owner{"process", p.Name, false, p.Pos})
	}
	for _, a := range all {
		if !validExported(goname.Exported(a.name)) {
			continue // E022 already asks for another name
		}
		own := &fileOwner{what: a.kind + " " + a.name, pos: a.pos}
		problem := false
		clashed := map[*fileOwner]bool{}
		files := outname.AggregateFiles(a.name, a.eventual)
		if a.kind == "process" {
			files = outname.ProcessFiles(a.name)
		}
		if long := outname.Longest(files); len(long) > outname.MaxName {
			problem = true
			c.diags = append(c.diags, newDiag(a.pos, codeFileName, fmt.Sprintf(
				"%s %s has too long a name for its files: the one ending in %s would be %d bytes, more than the %d a file name can have",
				a.kind, a.name, long[len(outname.Base(a.name)):], len(long), outname.MaxName),
				"shorten the name by at least "+byteCount(len(long)-outname.MaxName)))
		}
		for _, name := range files {
			if p := outname.Problem(name); p != "" && !problem {
				problem = true
				c.diags = append(c.diags, newDiag(a.pos, codeFileName, fmt.Sprintf(
					"%s %s generates file %s: %s", a.kind, a.name, name, p), "rename the "+a.kind))
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
			c.diags = append(c.diags, newDiag(a.pos, codeFileName, fmt.Sprintf(
				"file %s of %s %s collides with %s of %s at line %d", name, a.kind, a.name, first[key], prev.what, prev.pos.Line),
				"rename the "+a.kind+": its files are named after it in lower case"))
		}
	}
}

// byteCount spells a number of bytes: "1 byte", "3 bytes".
func byteCount(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}
