package build

import (
	"go/ast"
	"go/parser"
	"go/token"
)

// goDecls is what a Go file declares at package level.
type goDecls struct {
	name  string // the file's name in its directory
	pkg   string
	names []string // package-level identifiers, methods left out
}

// parseDecls reads the package clause and the package-level identifiers of
// a Go file; ok is false when it does not parse.
func parseDecls(name string, src []byte) (d goDecls, ok bool) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		return goDecls{}, false
	}
	d = goDecls{name: name, pkg: f.Name.Name}
	add := func(id *ast.Ident) {
		if id.Name != "_" && id.Name != "init" {
			d.names = append(d.names, id.Name)
		}
	}
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			if decl.Recv == nil {
				add(decl.Name)
			}
		case *ast.GenDecl:
			for _, spec := range decl.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					add(spec.Name)
				case *ast.ValueSpec:
					for _, id := range spec.Names {
						add(id)
					}
				}
			}
		}
	}
	return d, true
}
