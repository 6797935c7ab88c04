package generator

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/esgen/esgen/internal/goname"
)

// SourceFile is a Go file of the consumer's package, as it is on disk.
type SourceFile struct {
	// Name is the file's path as warnings name it.
	Name string
	Data []byte
}

// Growth is what GrowSkeleton makes of a test skeleton the user already
// has.
type Growth struct {
	// Data is the user's file with the missing cases appended at its end
	// and the imports they need added; every byte of the user's file is
	// kept, in order. It is the user's file itself when nothing is added.
	Data []byte
	// Added names the functions appended, in the order of the generated
	// skeleton: the helper (<agg>UnderTest) first when the package no
	// longer declares it, then the cases.
	Added []string
	// Stale are the functions of the user's file named like the cases
	// esgen writes for the aggregate that it no longer writes: the
	// transition they test is gone. They are reported, never removed.
	Stale []StaleCase
}

// StaleCase is a function of the user's test skeleton named like a case
// (Test<Agg><Cmd>From<State>) of a transition the machine no longer has.
type StaleCase struct {
	Name string
	// Pos is the position of the function's name.
	Pos token.Position
	// Transition is what the name says the case tested: "Cancel from
	// Validated" (the command, or the branch <Cmd>To<Target> of a
	// branching command, and the source state).
	Transition string
}

// SkeletonError reports a test skeleton that GrowSkeleton leaves exactly
// as it is: it does not parse, it is not in the generated package, or the
// imports its new cases need would clash with its names.
type SkeletonError struct {
	// Pos is where the problem is; Pos.Line is 0 when it is the whole file.
	Pos token.Position
	// Msg says what is wrong and that the file is kept.
	Msg string
}

func (e *SkeletonError) Error() string { return e.Pos.String() + ": " + e.Msg }

// SkipDirective is the comment by which a user says that a case is theirs
// to write or not: "//esgen:skip TestOrderCancelFromDraft" (names separated
// by spaces or commas; "// esgen:skip" works too). GrowSkeleton neither
// adds nor reports a case it names.
const SkipDirective = "esgen:skip"

// GrowSkeleton adds to user, an existing test skeleton of the aggregate
// named aggregate (as the .esm declares it), the cases of fresh, the
// skeleton Generate writes now, that the package lacks, and reports the
// cases of user that fresh no longer has.
//
// A case is lacking when no Go file of the package (user, or one of
// others: the package's other Go files that are not generated, in the
// package or its external test package) declares a function of its name
// and no SkipDirective in them names it. Missing cases are appended at
// the end of user, with the helper <agg>UnderTest when the package does
// not declare it, and the imports they need are added to user's imports
// (under the names user gives those packages, when it imports them);
// nothing else of user changes. When user is gofmt'd, so is the result.
//
// A function of user named Test<Agg>...From... that fresh does not
// declare, that no SkipDirective names and whose name does not start with
// the name of a case of fresh (TestOrderCancelFromDraftKeepsReason is a
// variant of TestOrderCancelFromDraft) is stale: the transition it tested
// is gone.
//
// A *SkeletonError means user is to be left as it is; the Growth returned
// with it still holds user's bytes and the stale cases found, if any.
// Any other error is esgen's own failure.
func GrowSkeleton(aggregate string, fresh File, user SourceFile, others []SourceFile) (Growth, error) {
	kept := Growth{Data: user.Data}
	fset := token.NewFileSet()
	ff, err := parser.ParseFile(fset, fresh.Name, fresh.Data, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return kept, fmt.Errorf("generator: the generated test skeleton %s does not parse: %w", fresh.Name, err)
	}
	uf, err := parser.ParseFile(fset, user.Name, user.Data, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return kept, parseError(user.Name, err)
	}
	pkg := ff.Name.Name
	helper := goname.UnderTest(aggregate)
	decls, err := freshDecls(fset, ff, helper)
	if err != nil {
		return kept, err
	}

	// What the package declares, and what the user skips.
	inFile := map[string]bool{}   // package-level names of user
	inPkg := map[string]bool{}    // of the other files of the package
	inExtPkg := map[string]bool{} // functions of its external test package
	skipped := map[string]bool{}
	packageNames(uf, func(n string) { inFile[n] = true })
	skipNames(uf, func(n string) { skipped[n] = true })
	// The other files matter only when user alone lacks a case or has a
	// stale one: most runs need not parse them.
	lacks := slices.ContainsFunc(decls, func(d freshDecl) bool { return d.isCase && !inFile[d.name] && !skipped[d.name] })
	if lacks || len(staleCases(fset, uf, aggregate, decls, skipped)) > 0 {
		for _, o := range others {
			of, err := parser.ParseFile(token.NewFileSet(), o.Name, o.Data, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				// It does not build either: what it declares is unknown.
				continue
			}
			switch of.Name.Name {
			case pkg:
				packageNames(of, func(n string) { inPkg[n] = true })
			case pkg + "_test":
				packageNames(of, func(n string) { inExtPkg[n] = true })
			default:
				continue
			}
			skipNames(of, func(n string) { skipped[n] = true })
		}
	}

	kept.Stale = staleCases(fset, uf, aggregate, decls, skipped)

	var add []freshDecl
	for _, d := range decls {
		if d.isCase && !inFile[d.name] && !inPkg[d.name] && !inExtPkg[d.name] && !skipped[d.name] {
			add = append(add, d)
		}
	}
	if len(add) == 0 {
		return kept, nil
	}
	var support []freshDecl
	for _, d := range decls {
		if !d.isCase && !inFile[d.name] && !inPkg[d.name] {
			support = append(support, d)
		}
	}
	add = append(support, add...)
	if uf.Name.Name != pkg {
		return kept, &SkeletonError{Pos: fset.Position(uf.Name.Pos()), Msg: fmt.Sprintf(
			"package %s is not package %s, which the cases esgen writes are in: the cases of new transitions are not added, and the file is left as it is",
			uf.Name.Name, pkg)}
	}

	imports, err := resolveImports(fset, ff, uf, add, func(n string) bool { return inFile[n] || inPkg[n] })
	if err != nil {
		return kept, err
	}
	nl := "\n"
	if line, _, ok := bytes.Cut(user.Data, []byte("\n")); ok && bytes.HasSuffix(line, []byte("\r")) {
		nl = "\r\n"
	}
	var tail bytes.Buffer
	for _, d := range add {
		tail.WriteString(nl)
		tail.WriteString(strings.ReplaceAll(string(d.text(fresh.Data, imports.names)), "\n", nl))
		tail.WriteString(nl)
	}
	data, err := grownFile(fset, uf, user.Data, imports.add, tail.Bytes(), nl)
	if err != nil {
		return kept, err
	}
	g := Growth{Data: data, Stale: kept.Stale}
	for _, d := range add {
		g.Added = append(g.Added, d.name)
	}
	return g, nil
}

// parseError is the SkeletonError of a user's file that does not parse,
// at its first syntax error.
func parseError(name string, err error) *SkeletonError {
	pos := token.Position{Filename: name}
	msg := err.Error()
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		pos, msg = list[0].Pos, list[0].Msg
	}
	return &SkeletonError{Pos: pos, Msg: fmt.Sprintf(
		"does not parse (%s): esgen cannot tell which cases it lacks, and the file is left as it is", msg)}
}

// freshDecl is a function of the generated skeleton: a case, or a helper
// the cases call.
type freshDecl struct {
	name       string
	isCase     bool
	start, end int // its text in the generated file, doc comment included
	// refs are the package names it refers to (the X of testing.T), by
	// offset in the generated file.
	refs []importRef
}

// importRef is one use of an imported package's name.
type importRef struct {
	name       string
	start, sel int // the offsets of the name and of the selected identifier
}

// freshDecls returns the functions of the generated skeleton, in order: the
// cases (Test...) and the helpers (the definition under test).
func freshDecls(fset *token.FileSet, f *ast.File, helper string) ([]freshDecl, error) {
	imported := map[string]bool{}
	for _, s := range f.Imports {
		imported[importName(s)] = true
	}
	tf := fset.File(f.Pos())
	var out []freshDecl
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.GenDecl:
			if decl.Tok == token.IMPORT {
				continue
			}
		case *ast.FuncDecl:
			if decl.Recv != nil {
				break
			}
			start := decl.Pos()
			if decl.Doc != nil {
				start = decl.Doc.Pos()
			}
			d := freshDecl{
				name:   decl.Name.Name,
				isCase: decl.Name.Name != helper && strings.HasPrefix(decl.Name.Name, "Test"),
				start:  tf.Offset(start),
				end:    tf.Offset(decl.End()),
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && imported[id.Name] {
						d.refs = append(d.refs, importRef{name: id.Name, start: tf.Offset(id.Pos()), sel: tf.Offset(sel.Sel.Pos())})
					}
				}
				return true
			})
			out = append(out, d)
			continue
		}
		// The skeleton holds functions only; anything else would be
		// appended without its declaration.
		return nil, fmt.Errorf("generator: the generated test skeleton declares something other than functions at %s", fset.Position(decl.Pos()))
	}
	return out, nil
}

// text is d's source, doc comment included, with every package name
// spelled as names maps it ("" for a dot import: the selector alone).
func (d freshDecl) text(src []byte, names map[string]string) []byte {
	var b bytes.Buffer
	at := d.start
	for _, r := range d.refs {
		name, ok := names[r.name]
		if !ok || name == r.name {
			continue
		}
		b.Write(src[at:r.start])
		if name != "" {
			b.WriteString(name)
			at = r.start + len(r.name)
		} else {
			at = r.sel
		}
	}
	b.Write(src[at:d.end])
	return b.Bytes()
}

// importName is the name a file refers to an import by.
func importName(s *ast.ImportSpec) string {
	if s.Name != nil {
		return s.Name.Name
	}
	p, _ := strconv.Unquote(s.Path.Value)
	return path.Base(p)
}

// packageNames calls add with every package-level name f declares:
// functions (not methods), types, variables and constants.
func packageNames(f *ast.File, add func(string)) {
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			if decl.Recv == nil {
				add(decl.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range decl.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					add(spec.Name.Name)
				case *ast.ValueSpec:
					for _, id := range spec.Names {
						add(id.Name)
					}
				}
			}
		}
	}
}

// skipNames calls add with every name of the SkipDirective comments of f.
func skipNames(f *ast.File, add func(string)) {
	for _, g := range f.Comments {
		for _, c := range g.List {
			text, ok := strings.CutPrefix(c.Text, "//")
			if !ok {
				continue
			}
			rest, ok := strings.CutPrefix(strings.TrimLeft(text, " \t"), SkipDirective)
			if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				continue
			}
			for _, n := range strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' }) {
				add(n)
			}
		}
	}
}

// staleCases returns the functions of f named like a case of the
// aggregate that the generated skeleton no longer has (see GrowSkeleton).
func staleCases(fset *token.FileSet, f *ast.File, aggregate string, fresh []freshDecl, skipped map[string]bool) []StaleCase {
	prefix := "Test" + goname.Exported(aggregate)
	var cases []string
	for _, d := range fresh {
		if d.isCase {
			cases = append(cases, d.name)
		}
	}
	var out []StaleCase
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || skipped[fn.Name.Name] {
			continue
		}
		name := fn.Name.Name
		transition, ok := caseTransition(name, prefix)
		if !ok || slices.ContainsFunc(cases, func(c string) bool { return strings.HasPrefix(name, c) }) {
			continue
		}
		out = append(out, StaleCase{Name: name, Pos: fset.Position(fn.Name.Pos()), Transition: transition})
	}
	return out
}

// caseTransition reads a case name, prefix (Test<Agg>) followed by
// <Cmd>From<State>, as "Cmd from State"; ok is false for any other name.
// A name with several "From" splits at the last.
func caseTransition(name, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return "", false
	}
	i := strings.LastIndex(rest, "From")
	if i <= 0 || i+len("From") == len(rest) {
		return "", false
	}
	cmd, state := rest[:i], rest[i+len("From"):]
	first, _ := utf8.DecodeRuneInString(cmd)
	from, _ := utf8.DecodeRuneInString(state)
	if !unicode.IsUpper(first) || unicode.IsLower(from) || from == '_' {
		return "", false
	}
	return cmd + " from " + state, true
}

// isGofmt reports whether src is gofmt's output for itself.
func isGofmt(src []byte) bool {
	out, err := format.Source(src)
	return err == nil && bytes.Equal(out, src)
}
