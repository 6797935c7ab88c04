package dsl

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/esgen/esgen/dsl/ast"
	"github.com/esgen/esgen/internal/goname"
)

// Check resolves the names of a parsed file, applies every check listed in
// docs/language.md and returns the validated model. It reports as many
// problems as it can find in one pass, sorted by position. The File is nil
// when any diagnostic is an error; warnings come with a File. Check(nil)
// returns nil and no diagnostics.
func Check(f *ast.File) (*File, Diagnostics) {
	if f == nil || f.Package == nil {
		return nil, nil
	}
	m, diags := check(f, nil, true)
	if diags.HasErrors() {
		return nil, diags
	}
	return m, diags
}

// check checks f, its processes naming its aggregates or external ones
// (other files of its package); processes are left out when withProcesses
// is not set. It returns the model even with errors, for LoadPackage's
// first pass.
func check(f *ast.File, external map[string]*Aggregate, withProcesses bool) (*File, Diagnostics) {
	c := &checker{
		external:      external,
		skipProcesses: !withProcesses,
		ast:           f,
		imports:       map[string]*Import{},
		types:         map[string]*ValueType{},
		externs:       map[string]*Extern{},
		used:          map[any]bool{},
		typeDecls:     map[*ValueType]*ast.TypeDecl{},
		fieldDecls:    map[*Field]*ast.Field{},
		externDecls:   map[*Extern]*ast.Extern{},
	}
	m := c.run()
	c.diags = applyDirectives(f, c.diags)
	c.diags.Sort()
	return m, c.diags
}

// checker holds the state of one Check.
type checker struct {
	ast   *ast.File
	file  *File
	diags Diagnostics

	imports     map[string]*Import    // by alias
	types       map[string]*ValueType // value types by name
	externs     map[string]*Extern    // externs by name
	used        map[any]bool          // imports, value types and externs some type refers to
	typeDecls   map[*ValueType]*ast.TypeDecl
	typeNames   []string // value type and extern names in declaration order, for suggestions
	fieldDecls  map[*Field]*ast.Field
	externDecls map[*Extern]*ast.Extern
	agg         *aggScope // the aggregate being checked, nil outside aggregates
	// external are aggregates of other files of the package, which the
	// processes of this file may name (CheckPackage's second pass).
	external map[string]*Aggregate
	// skipProcesses leaves processes out (LoadPackage's first pass).
	skipProcesses bool
	suggestWork   int // edit-distance work spent on suggestions
}

// report adds a diagnostic of code at pos; the code fixes its severity.
func (c *checker) report(pos ast.Position, code, suggestion, format string, args ...any) {
	c.diags = append(c.diags, newDiag(fromLexer(pos), code, fmt.Sprintf(format, args...), suggestion))
}

// reportAt is report at a model position.
func (c *checker) reportAt(pos Position, code, suggestion, format string, args ...any) {
	c.diags = append(c.diags, newDiag(pos, code, fmt.Sprintf(format, args...), suggestion))
}

func (c *checker) run() *File {
	f := c.ast
	m := &File{Name: f.Pos.Filename, Doc: f.Doc.Text(), Package: f.Package.Name.Name, Pos: fromLexer(f.Pos)}
	c.file = m
	c.checkPackage(f.Package)
	for _, im := range f.Imports {
		for _, spec := range im.Specs() {
			c.declareImport(spec)
		}
	}
	var typeDecls []*ast.TypeDecl
	var aggs []*ast.Aggregate
	var procs []*ast.Process
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.Extern:
			c.declareExtern(d)
		case *ast.TypeDecl:
			if vt := c.declareType(d); vt != nil {
				typeDecls = append(typeDecls, d)
			}
		case *ast.Aggregate:
			aggs = append(aggs, d)
		case *ast.Process:
			procs = append(procs, d)
		}
	}
	for _, d := range typeDecls {
		vt := c.types[d.Name.Name]
		vt.Fields = c.fields(d.Body, "type "+vt.Name, false)
	}
	c.checkRecursiveTypes()
	aggNames := map[string]*ast.Aggregate{}
	for _, d := range aggs {
		if prev := aggNames[d.Name.Name]; prev != nil {
			c.report(d.Name.Pos, codeDuplicate, "", "aggregate %s is already declared at line %d", d.Name.Name, prev.Name.Pos.Line)
			continue
		}
		aggNames[d.Name.Name] = d
		m.Aggregates = append(m.Aggregates, c.aggregate(d))
	}
	byName := map[string]*Aggregate{}
	for name, a := range c.external {
		byName[name] = a
	}
	for _, a := range m.Aggregates {
		byName[a.Name] = a
	}
	procNames := map[string]ast.Position{}
	if c.skipProcesses {
		procs = nil
	}
	for _, d := range procs {
		name := d.Name.Name
		if prev := aggNames[name]; prev != nil {
			c.report(d.Name.Pos, codeDuplicate, "", "aggregate %s is already declared at line %d", name, prev.Name.Pos.Line)
			continue
		}
		if prev, ok := procNames[name]; ok {
			c.report(d.Name.Pos, codeDuplicate, "", "process %s is already declared at line %d", name, prev.Line)
			continue
		}
		procNames[name] = d.Name.Pos
		m.Processes = append(m.Processes, c.process(d, byName))
	}
	c.checkGoIdents(m)
	c.checkFileNames(m)
	c.checkUnused(m)
	if !c.diags.HasErrors() {
		for _, a := range m.Aggregates {
			c.neverSet(a)
		}
	}
	return m
}

// checkPackage checks the package clause: the name is written verbatim
// into the generated Go package clause.
func (c *checker) checkPackage(p *ast.Package) {
	name := p.Name.Name
	switch {
	case goname.IsKeyword(name):
		c.report(p.Name.Pos, codeGoKeyword, "", "package name %s is a Go keyword", name)
	case name == "_" || strings.Trim(name, "_") == "":
		c.report(p.Name.Pos, codeInvalidGoName, "", "package name %s is not a usable Go package name", name)
	}
}

// declareImport records an import spec under its alias.
func (c *checker) declareImport(spec *ast.ImportSpec) {
	path, err := strconv.Unquote(spec.Path.Text)
	if err != nil || !validImportPath(path) {
		c.report(spec.Path.Pos, codeInvalidImport, "", "invalid import path %s", spec.Path.Text)
		return
	}
	im := &Import{Path: path, Pos: fromLexer(spec.Pos)}
	aliasPos := spec.Path.Pos
	if spec.Alias != nil {
		im.Alias = spec.Alias.Name
		aliasPos = spec.Alias.Pos
		switch {
		case goname.IsKeyword(im.Alias):
			c.report(spec.Alias.Pos, codeGoKeyword, "", "import name %s is a Go keyword", im.Alias)
			return
		case goname.IsPredeclared(im.Alias):
			c.report(spec.Alias.Pos, codeGoKeyword, "", "import name %s would hide Go's predeclared %s", im.Alias, im.Alias)
			return
		case im.Alias == "_":
			c.report(spec.Alias.Pos, codeInvalidImport, "", "blank import of %q: the .esm only imports packages whose types fields use", path)
			return
		}
	} else {
		im.Alias = defaultImportName(path)
		if im.Alias == "" {
			c.report(spec.Path.Pos, codeInvalidImport, "give it a name: import "+importNameFor(path)+" \""+path+"\"",
				"import path %q does not end in a Go identifier", path)
			return
		}
		if goname.IsKeyword(im.Alias) || goname.IsPredeclared(im.Alias) {
			what := "the Go keyword"
			if !goname.IsKeyword(im.Alias) {
				what = "Go's predeclared"
			}
			c.report(spec.Path.Pos, codeGoKeyword, "give it a name: import "+importNameFor(path)+" \""+path+"\"",
				"import path %q ends in %s %s", path, what, im.Alias)
			return
		}
	}
	if prev := c.imports[im.Alias]; prev != nil {
		c.report(aliasPos, codeDuplicate, "", "import name %s is already used by %q at line %d", im.Alias, prev.Path, prev.Pos.Line)
		return
	}
	c.imports[im.Alias] = im
	c.file.Imports = append(c.file.Imports, im)
}

// validImportPath reports whether path looks like a Go import path:
// slash-separated non-empty elements of letters, digits and ._~+-, no
// element starting with a dot.
func validImportPath(path string) bool {
	if path == "" {
		return false
	}
	for _, elem := range strings.Split(path, "/") {
		if elem == "" || elem[0] == '.' {
			return false
		}
		for _, r := range elem {
			if !(r == '.' || r == '_' || r == '~' || r == '+' || r == '-' ||
				'0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				return false
			}
		}
	}
	return true
}

// defaultImportName returns the package name Go code conventionally uses
// for path: its last element, skipping a major version suffix (/v2); ""
// when that element is not an identifier.
func defaultImportName(path string) string {
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && len(last) > 1 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
		last = elems[len(elems)-2]
	}
	if !isGoIdent(last) {
		return ""
	}
	return last
}

// importNameFor proposes a name for an import whose path does not give a
// usable one: the identifier its last element starts with, escaped when
// it is a Go keyword.
func importNameFor(path string) string {
	last := path[strings.LastIndexByte(path, '/')+1:]
	end := 0
	for end < len(last) && isIdentByte(last[end]) && !(end == 0 && isDigit(last[end])) {
		end++
	}
	if end == 0 {
		return "pkg"
	}
	return goname.Escape(last[:end])
}

// isGoIdent reports whether s is a Go identifier (keywords included).
func isGoIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || r < 0x80 && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') || r >= 0x80 && unicode.IsLetter(r) {
			continue
		}
		if i > 0 && (r < 0x80 && '0' <= r && r <= '9' || r >= 0x80 && unicode.IsDigit(r)) {
			continue
		}
		return false
	}
	return true
}

// declareExtern records an extern type. Its name is the Go name of a type
// of the consumer's package and is used verbatim.
func (c *checker) declareExtern(d *ast.Extern) {
	name := d.Name.Name
	if !c.declareTypeName(d.Name) {
		return
	}
	switch {
	case goname.IsKeyword(name):
		c.report(d.Name.Pos, codeGoKeyword, "", "extern %s is a Go keyword", name)
		return
	case goname.IsPredeclared(name):
		c.report(d.Name.Pos, codeGoKeyword, "", "extern %s would hide Go's predeclared %s", name, name)
		return
	case name == "_":
		c.report(d.Name.Pos, codeInvalidGoName, "", "extern _ is not a usable Go type name")
		return
	}
	x := &Extern{Name: name, Doc: d.Doc.Text(), Pos: fromLexer(d.Pos)}
	c.externDecls[x] = d
	c.externs[name] = x
	c.file.Externs = append(c.file.Externs, x)
}

// declareType records a value type; its fields are resolved once every
// type name is known.
func (c *checker) declareType(d *ast.TypeDecl) *ValueType {
	if !c.declareTypeName(d.Name) {
		return nil
	}
	c.checkExportable(d.Name, "type")
	vt := &ValueType{Name: d.Name.Name, Doc: d.Doc.Text(), Pos: fromLexer(d.Pos)}
	c.types[vt.Name] = vt
	c.typeDecls[vt] = d
	c.file.Types = append(c.file.Types, vt)
	return vt
}

// declareTypeName reports a type name that is already declared or names a
// predeclared Go type, and records it otherwise.
func (c *checker) declareTypeName(id *ast.Ident) bool {
	name := id.Name
	if goname.IsBuiltinType(name) {
		c.report(id.Pos, codeGoKeyword, "", "%s is a predeclared Go type and cannot be declared again", name)
		return false
	}
	if vt := c.types[name]; vt != nil {
		c.report(id.Pos, codeDuplicate, "", "type %s is already declared at line %d", name, vt.Pos.Line)
		return false
	}
	if x := c.externs[name]; x != nil {
		c.report(id.Pos, codeDuplicate, "", "type %s is already declared as extern at line %d", name, x.Pos.Line)
		return false
	}
	c.typeNames = append(c.typeNames, name)
	return true
}

// checkExportable reports a name with no exported Go spelling.
func (c *checker) checkExportable(id *ast.Ident, kind string) bool {
	if validExported(goname.Exported(id.Name)) {
		return true
	}
	if e := goname.Exported(id.Name); e == "" {
		c.report(id.Pos, codeInvalidGoName, "", "%s name %s has no Go spelling: it needs a letter", kind, id.Name)
	} else {
		c.report(id.Pos, codeInvalidGoName, "start it with a letter that has an upper case",
			"%s name %s has no exported Go spelling: %s does not start with an upper-case letter", kind, id.Name, e)
	}
	return false
}

// validExported reports whether s is an exported Go identifier.
func validExported(s string) bool {
	if !isGoIdent(s) {
		return false
	}
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}
