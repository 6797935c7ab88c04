package generator

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// importPlan is how the functions GrowSkeleton appends refer to the
// packages they use in the user's file.
type importPlan struct {
	// names maps the name the generated skeleton uses for a package to
	// the name the user's file uses: the same, an alias, or "" for a dot
	// import.
	names map[string]string
	// add are the imports the user's file lacks.
	add []newImport
}

// newImport is an import to add; name is empty for the package's own
// name.
type newImport struct{ name, path string }

func (n newImport) spec() string {
	if n.name != "" {
		return n.name + " " + strconv.Quote(n.path)
	}
	return strconv.Quote(n.path)
}

// std reports whether the path is of the standard library (no dot in its
// first element), which gofmt and goimports group apart.
func (n newImport) std() bool {
	first, _, _ := strings.Cut(n.path, "/")
	return !strings.Contains(first, ".")
}

// resolveImports finds, for every package the functions to add refer to,
// the name the user's file imports it under, or plans the import. An
// import the file lacks whose name the file or package already uses
// (declared reports the package's names) is a SkeletonError.
func resolveImports(fset *token.FileSet, fresh, user *ast.File, add []freshDecl, declared func(string) bool) (importPlan, error) {
	freshSpecs := map[string]*ast.ImportSpec{}
	for _, s := range fresh.Imports {
		freshSpecs[importName(s)] = s
	}
	byPath := map[string]string{}         // the name user gives each path it imports
	taken := map[string]*ast.ImportSpec{} // user's import names
	for _, s := range user.Imports {
		p, _ := strconv.Unquote(s.Path.Value)
		n := importName(s)
		if n == "_" {
			continue
		}
		if n != "." {
			taken[n] = s
		}
		if _, ok := byPath[p]; !ok {
			byPath[p] = n
		}
	}
	plan := importPlan{names: map[string]string{}}
	for _, d := range add {
		for _, r := range d.refs {
			if _, done := plan.names[r.name]; done {
				continue
			}
			s := freshSpecs[r.name]
			p, _ := strconv.Unquote(s.Path.Value)
			if n, ok := byPath[p]; ok {
				plan.names[r.name] = strings.TrimPrefix(n, ".")
				continue
			}
			if other := taken[r.name]; other != nil {
				return importPlan{}, &SkeletonError{Pos: fset.Position(other.Pos()), Msg: fmt.Sprintf(
					"%s names another package than %s, which the cases esgen adds use under that name: the cases of new transitions are not added, and the file is left as it is",
					r.name, strconv.Quote(p))}
			}
			if declared(r.name) {
				return importPlan{}, &SkeletonError{Pos: fset.Position(user.Name.Pos()), Msg: fmt.Sprintf(
					"the package declares %s, the name under which the cases esgen adds use %s: the cases of new transitions are not added, and the file is left as it is",
					r.name, strconv.Quote(p))}
			}
			plan.names[r.name] = r.name
			n := newImport{path: p}
			if s.Name != nil {
				n.name = s.Name.Name
			}
			plan.add = append(plan.add, n)
		}
	}
	slices.SortFunc(plan.add, func(a, b newImport) int {
		if a.std() != b.std() {
			if a.std() {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.path, b.path)
	})
	return plan, nil
}

// insertion is text to insert into the user's file before the byte at.
type insertion struct {
	at   int
	text string
}

// grownFile returns src with the imports added and tail appended. The
// imports go into the file's parenthesized import declaration, each in the
// group of its kind (standard library or not) at its sorted place, as
// goimports would put them; when that is not possible, or would leave a
// gofmt'd file needing gofmt (a realigned comment), they are an import
// declaration of their own after the file's last.
func grownFile(fset *token.FileSet, user *ast.File, src []byte, adds []newImport, tail []byte, nl string) ([]byte, error) {
	if len(src) > 0 && !bytes.HasSuffix(src, []byte("\n")) {
		src = append(slices.Clip(src), nl...)
		name := fset.File(user.Pos()).Name()
		fset = token.NewFileSet()
		var err error
		if user, err = parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution); err != nil {
			return nil, fmt.Errorf("generator: the test skeleton no longer parses with a final line break: %w", err)
		}
	}
	gofmted := isGofmt(src)
	build := func(ins []insertion) ([]byte, bool) {
		var b bytes.Buffer
		at := 0
		for _, in := range ins {
			b.Write(src[at:in.at])
			b.WriteString(strings.ReplaceAll(in.text, "\n", nl))
			at = in.at
		}
		b.Write(src[at:])
		b.Write(tail)
		out := b.Bytes()
		if _, err := parser.ParseFile(token.NewFileSet(), "", out, parser.SkipObjectResolution); err != nil {
			return nil, false
		}
		return out, !gofmted || isGofmt(out)
	}
	lines := lineIndex{fset.File(user.Pos()), src}
	var candidate []byte
	if len(adds) > 0 {
		if ins, ok := importsInBlock(lines, user, adds); ok {
			out, good := build(ins)
			if good {
				return out, nil
			}
			candidate = out
		}
		out, good := build(importsApart(lines, user, adds))
		if good || out != nil {
			return out, nil
		}
	} else {
		out, _ := build(nil)
		if out != nil {
			return out, nil
		}
	}
	if candidate != nil {
		return candidate, nil
	}
	return nil, &SkeletonError{Pos: token.Position{Filename: fset.File(user.Pos()).Name()}, Msg: "esgen could not add the cases of new transitions without breaking the file (please report this to esgen): the file is left as it is"}
}

// lineIndex finds line boundaries of the user's file.
type lineIndex struct {
	tf  *token.File
	src []byte
}

// start is the offset of the start of p's line.
func (l lineIndex) start(p token.Pos) int { return l.tf.Offset(l.tf.LineStart(l.tf.Line(p))) }

// next is the offset of the start of the line after p's (the end of the
// file on the last line).
func (l lineIndex) next(p token.Pos) int {
	if n := l.tf.Line(p); n < l.tf.LineCount() {
		return l.tf.Offset(l.tf.LineStart(n + 1))
	}
	return len(l.src)
}

// blank reports whether src[from:to] is only spaces and tabs.
func (l lineIndex) blank(from, to int) bool {
	return len(bytes.Trim(l.src[from:to], " \t\r")) == 0
}

// importsInBlock places each import in the first parenthesized import
// declaration of f: in the run of imports of its kind (standard library or
// not) sharing the longest path prefix with it, at its sorted place; in a
// new run, after a blank line, when there is none of its kind (standard
// library first). ok is false when f has no such declaration or its layout
// is not one import per line.
func importsInBlock(l lineIndex, f *ast.File, adds []newImport) ([]insertion, bool) {
	var block *ast.GenDecl
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT && g.Lparen.IsValid() && len(g.Specs) > 0 {
			block = g
			break
		}
	}
	if block == nil {
		return nil, false
	}
	// Runs as gofmt sorts them: imports on successive lines.
	var runs [][]*ast.ImportSpec
	for i, s := range block.Specs {
		if i == 0 || l.tf.Line(s.Pos()) > l.tf.Line(block.Specs[i-1].End())+1 {
			runs = append(runs, nil)
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], s.(*ast.ImportSpec))
	}
	specPath := func(s *ast.ImportSpec) string {
		p, _ := strconv.Unquote(s.Path.Value)
		return p
	}
	var ins []insertion
	var newStd, newOther []string
	for _, a := range adds {
		best, bestLen := -1, -1
		for i, run := range runs {
			if (newImport{path: specPath(run[0])}).std() != a.std() {
				continue
			}
			for _, s := range run {
				if n := matchLen(specPath(s), a.path); n > bestLen {
					best, bestLen = i, n
				}
			}
		}
		if best < 0 {
			if a.std() {
				newStd = append(newStd, "\t"+a.spec()+"\n")
			} else {
				newOther = append(newOther, "\t"+a.spec()+"\n")
			}
			continue
		}
		run := runs[best]
		i := slices.IndexFunc(run, func(s *ast.ImportSpec) bool { return specPath(s) > a.path })
		if i >= 0 {
			s := run[i]
			first := s.Pos()
			if s.Doc != nil {
				first = s.Doc.Pos()
			}
			at := l.start(first)
			if !l.blank(at, l.tf.Offset(first)) {
				return nil, false
			}
			ins = append(ins, insertion{at, "\t" + a.spec() + "\n"})
			continue
		}
		last := run[len(run)-1]
		at := l.next(last.End())
		if rest := bytes.TrimSpace(l.src[l.tf.Offset(last.End()):at]); len(rest) > 0 && !bytes.HasPrefix(rest, []byte("//")) {
			return nil, false
		}
		ins = append(ins, insertion{at, "\t" + a.spec() + "\n"})
	}
	if len(newStd) > 0 {
		at := l.next(block.Lparen)
		if !l.blank(l.tf.Offset(block.Lparen)+1, at-1) {
			return nil, false
		}
		ins = append(ins, insertion{at, strings.Join(newStd, "") + "\n"})
	}
	if len(newOther) > 0 {
		at := l.start(block.Rparen)
		if !l.blank(at, l.tf.Offset(block.Rparen)) {
			return nil, false
		}
		ins = append(ins, insertion{at, "\n" + strings.Join(newOther, "")})
	}
	slices.SortStableFunc(ins, func(a, b insertion) int { return a.at - b.at })
	return ins, true
}

// importsApart declares the imports in an import declaration of their own:
// after the last of f, or, when f has none, after the package clause.
func importsApart(l lineIndex, f *ast.File, adds []newImport) []insertion {
	var last *ast.GenDecl
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			last = g
		}
	}
	var b strings.Builder
	if last == nil {
		b.WriteString("\n")
	}
	if len(adds) == 1 {
		b.WriteString("import " + adds[0].spec() + "\n")
	} else {
		b.WriteString("import (\n")
		for i, a := range adds {
			if i > 0 && a.std() != adds[i-1].std() {
				b.WriteString("\n")
			}
			b.WriteString("\t" + a.spec() + "\n")
		}
		b.WriteString(")\n")
	}
	if last == nil {
		return []insertion{{l.next(f.Name.End()), b.String()}}
	}
	return []insertion{{l.next(last.End()), b.String()}}
}

// matchLen is the number of leading path elements a and b share.
func matchLen(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	return n
}
