package dsl

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/esgen/esgen/dsl/ast"
)

// Directives silence warnings where a check is wrong about a declaration:
//
//	// esgen:ignore W003 "unfrozen" is our domain's word
//	event AccountThawed
//
// A directive is a comment `// esgen:ignore CODE[,CODE...] [reason]`
// (`//esgen:ignore` too) in the doc comment of a declaration, or at the end
// of the line the declaration starts, as esgen fmt prints it. It silences the named warnings reported
// on that declaration itself: positioned on it, not on a declaration
// nested in it (the fields of a state, the members of an aggregate). Only
// warnings can be silenced. A directive esgen cannot use is a warning
// (W010), and so is one that silences nothing in a file without errors
// (W011), so that stale directives do not pile up.

// directiveIgnore is the name of the only directive.
const directiveIgnore = "ignore"

// findDirectives returns the directives among the comments of f, each
// attached to its declaration. toks is every token of the file, comments
// included, in order. A directive is attached to the declaration whose
// doc comment holds it (a comment block ending on the line above the
// declaration, which starts its line), or to the declaration that starts
// the line it ends, as esgen fmt lays the file out: the comment follows
// the last token of that line. So formatting never changes what a
// directive is attached to; a comment inside a line of code, which esgen
// fmt moves after the line, is attached to nothing.
func findDirectives(f *ast.File, toks []lexer.Token) []*ast.Directive {
	var dirs []*ast.Directive
	for _, g := range f.Comments {
		for _, c := range g.List {
			if ast.IsDirective(c.Text) {
				dirs = append(dirs, &ast.Directive{Comment: c})
			}
		}
	}
	if len(dirs) == 0 {
		return nil
	}
	starts := map[int]ast.Position{} // offset -> a declaration starting there
	walkSpans(declSpans(f), func(s *declSpan) { starts[s.start] = s.pos })
	firstOnLine := map[int]int{} // line -> offset of its first code token
	index := make(map[int]int, len(toks))
	for i, t := range toks {
		index[t.Pos.Offset] = i
		if t.Type == tokComment || t.Type == lexer.EOF {
			continue
		}
		if _, ok := firstOnLine[t.Pos.Line]; !ok {
			firstOnLine[t.Pos.Line] = t.Pos.Offset
		}
	}
	// The lines esgen fmt prints, each from its first to its last token
	// with a position.
	p := newPrinter(toks)
	p.file(f)
	var lines []*fmtLine
	for _, l := range p.lines {
		if l.start >= 0 {
			lines = append(lines, l)
		}
	}
	groupOf := map[*ast.Comment]*ast.CommentGroup{}
	for _, g := range f.Comments {
		for _, c := range g.List {
			groupOf[c] = g
		}
	}
	for _, d := range dirs {
		c := d.Comment
		if !c.Trailing {
			last := groupOf[c].List[len(groupOf[c].List)-1]
			if off, ok := firstOnLine[last.Pos.Line+1]; ok {
				if pos, ok := starts[off]; ok {
					d.Target = pos
				}
			}
			continue
		}
		// The printed line the comment ends, as render decides it.
		i, _ := slices.BinarySearchFunc(lines, c.Pos.Offset, func(l *fmtLine, off int) int { return cmp.Compare(l.start, off) })
		if i == 0 || index[c.Pos.Offset] == 0 {
			continue
		}
		l := lines[i-1]
		if c.Pos.Offset < l.end {
			continue // inside the line: moved after it
		}
		if pos, ok := starts[l.start]; ok {
			d.Target = pos
		}
	}
	return dirs
}

// declSpan is a declaration of a file as directives see it: the bytes
// [start, end) from its first token to the next declaration at its level
// or the end of the block holding it, and the declarations nested in it.
type declSpan struct {
	start, end int
	pos        ast.Position
	what       string // "event AccountUnfrozen"
	children   []*declSpan
}

// declSpans returns the top-level declarations of f with the declarations
// nested in them: package clause, imports (the specs of a group), externs,
// types (their fields) and aggregates (their members, and the fields of
// states, commands and events).
func declSpans(f *ast.File) []*declSpan {
	span := func(pos ast.Position, what string) *declSpan {
		return &declSpan{start: pos.Offset, pos: pos, what: what}
	}
	fields := func(s *declSpan, b *ast.Body) {
		if b == nil {
			return
		}
		for _, fd := range b.Fields {
			s.children = append(s.children, span(fd.Pos, "field "+fd.Name.Name))
		}
		closeSpans(s.children, b.Close.Pos.Offset)
	}
	var top []*declSpan
	if f.Package != nil {
		top = append(top, span(f.Package.Pos, "package clause"))
	}
	for _, im := range f.Imports {
		if im.Single != nil {
			top = append(top, span(im.Pos, "import "+im.Single.Path.Text))
			continue
		}
		s := span(im.Pos, "import group")
		for _, spec := range im.Group.Specs {
			s.children = append(s.children, span(spec.Pos, "import "+spec.Path.Text))
		}
		closeSpans(s.children, im.Group.Close.Pos.Offset)
		top = append(top, s)
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.Extern:
			top = append(top, span(d.Pos, "extern "+d.Name.Name))
		case *ast.TypeDecl:
			s := span(d.Pos, "type "+d.Name.Name)
			fields(s, d.Body)
			top = append(top, s)
		case *ast.Aggregate:
			s := span(d.Pos, "aggregate "+d.Name.Name)
			for _, m := range d.Members {
				ms := span(m.Position(), fmt.Sprintf("the declaration at line %d", m.Position().Line))
				switch m := m.(type) {
				case *ast.IDOption:
					ms.what = "option id"
				case *ast.StreamOption:
					ms.what = "option stream"
				case *ast.SubjectOption:
					ms.what = "option subject"
				case *ast.SnapshotOption:
					ms.what = "option snapshot"
				case *ast.LivesOption:
					ms.what = "option lives"
				case *ast.State:
					ms.what = "state " + m.Name.Name
					fields(ms, m.Body)
				case *ast.Command:
					ms.what = "command " + m.Name.Name
					fields(ms, m.Body)
				case *ast.Event:
					ms.what = "event " + m.Name.Name
					if m.Version != nil {
						ms.what += " " + m.Version.Text
					}
					fields(ms, m.Body)
				case *ast.Transition:
					ms.what = "the on clause of " + m.Command.Name
				case *ast.Timer:
					ms.what = "the timer of " + m.Command.Name
				}
				s.children = append(s.children, ms)
			}
			closeSpans(s.children, d.Close.Pos.Offset)
			top = append(top, s)
		case *ast.Process:
			s := span(d.Pos, "process "+d.Name.Name)
			for _, m := range d.Members {
				ms := span(m.Position(), fmt.Sprintf("the declaration at line %d", m.Position().Line))
				switch m := m.(type) {
				case *ast.IDOption:
					ms.what = "option id"
				case *ast.CorrelateOption:
					ms.what = "the correlation of " + m.Aggregate.Name
				case *ast.State:
					ms.what = "state " + m.Name.Name
					fields(ms, m.Body)
				case *ast.Reaction:
					ms.what = "the reaction to " + m.Input.String()
				case *ast.ProcessTimer:
					ms.what = "the timer in " + m.State.Name
				}
				s.children = append(s.children, ms)
			}
			closeSpans(s.children, d.Close.Pos.Offset)
			top = append(top, s)
		}
	}
	closeSpans(top, f.EOF.Offset+1)
	return top
}

// closeSpans sets the end of each of a block's declarations: the start of
// the next one, or end for the last.
func closeSpans(spans []*declSpan, end int) {
	for i, s := range spans {
		s.end = end
		if i+1 < len(spans) {
			s.end = spans[i+1].start
		}
	}
}

// walkSpans calls fn on every span, outer ones first.
func walkSpans(spans []*declSpan, fn func(*declSpan)) {
	for _, s := range spans {
		fn(s)
		walkSpans(s.children, fn)
	}
}

// innermostSpan returns the innermost declaration holding byte offset off,
// or nil.
func innermostSpan(spans []*declSpan, off int) *declSpan {
	var found *declSpan
	for {
		i := slices.IndexFunc(spans, func(s *declSpan) bool { return s.start <= off && off < s.end })
		if i < 0 {
			return found
		}
		found = spans[i]
		spans = found.children
	}
}

// codeRE matches what reads as a diagnostic code in a directive.
var codeRE = regexp.MustCompile(`^[A-Za-z][0-9]+$`)

// silencer is one code of one directive, attached to a declaration.
type silencer struct {
	pos    Position // of the code in the comment
	code   string
	target *declSpan
	used   bool
}

// applyDirectives removes from diags the warnings the directives of f
// silence, and adds a warning for each directive that cannot be used
// (W010) and, when diags holds no error, for each code of a directive
// that silenced nothing (W011).
func applyDirectives(f *ast.File, diags Diagnostics) Diagnostics {
	if len(f.Directives) == 0 {
		return diags
	}
	spans := declSpans(f)
	byStart := map[int]*declSpan{}
	walkSpans(spans, func(s *declSpan) { byStart[s.start] = s })
	var out Diagnostics
	var silencers []*silencer
	for _, d := range f.Directives {
		ss, ds := parseDirective(d, byStart)
		silencers = append(silencers, ss...)
		out = append(out, ds...)
	}
	kept := diags[:0:0]
	for _, d := range diags {
		if d.Severity == SeverityWarning {
			if s := innermostSpan(spans, d.Pos.Offset); s != nil {
				i := slices.IndexFunc(silencers, func(sl *silencer) bool { return sl.target == s && sl.code == d.Code })
				if i >= 0 {
					silencers[i].used = true
					continue
				}
			}
		}
		kept = append(kept, d)
	}
	if !diags.HasErrors() {
		for _, s := range silencers {
			if !s.used {
				out = append(out, newDiag(s.pos, codeUnusedDirective, fmt.Sprintf(
					"esgen:ignore %s silences nothing: %s has no %s warning", s.code, s.target.what, s.code), "remove it"))
			}
		}
	}
	return append(kept, out...)
}

// parseDirective reads one directive: the codes it silences, attached to
// their declaration, and a warning for what cannot be used.
func parseDirective(d *ast.Directive, byStart map[int]*declSpan) ([]*silencer, Diagnostics) {
	c := d.Comment
	at := func(i int) Position { // position of byte i of the comment
		p := fromLexer(c.Pos)
		p.Offset += i
		p.Column += i
		return p
	}
	i := strings.Index(c.Text, ast.DirectivePrefix)
	nameStart := i + len(ast.DirectivePrefix)
	nameEnd := nameStart + strings.IndexFunc(c.Text[nameStart:]+" ", isBlank)
	name := c.Text[nameStart:nameEnd]
	if name != directiveIgnore {
		d := newDiag(at(i), codeInvalidDirective, "unknown directive esgen:"+name, "the only directive is esgen:ignore")
		if editDistance(name, directiveIgnore) <= 2 {
			d.Suggestion = didYouMean(ast.DirectivePrefix + directiveIgnore)
			d.Fix = replaceFix(d.Pos, c.Text[i:nameEnd], ast.DirectivePrefix+directiveIgnore)
		}
		return nil, Diagnostics{d}
	}
	// The codes: comma-separated, blanks allowed around commas; the first
	// word that is not a code starts the reason.
	type word struct {
		text string
		off  int
	}
	var codes []word
	rest, off := c.Text[nameEnd:], nameEnd
	for {
		trimmed := strings.TrimLeft(rest, " \t")
		off += len(rest) - len(trimmed)
		rest = trimmed
		if len(codes) > 0 {
			if r, ok := strings.CutPrefix(rest, ","); ok {
				rest, off = r, off+1
				continue
			}
		}
		end := strings.IndexFunc(rest+" ", func(r rune) bool { return isBlank(r) || r == ',' })
		w := rest[:end]
		if !codeRE.MatchString(w) {
			break
		}
		codes = append(codes, word{w, off})
		rest, off = rest[end:], off+end
	}
	if len(codes) == 0 {
		return nil, Diagnostics{newDiag(at(i), codeInvalidDirective,
			"esgen:ignore names no warning", "write the codes of the warnings to silence: // esgen:ignore W003 reason")}
	}
	var ss []*silencer
	var diags Diagnostics
	target := byStart[d.Target.Offset]
	if d.Target.Line == 0 || target == nil {
		return nil, Diagnostics{newDiag(at(i), codeInvalidDirective,
			"esgen:ignore is not attached to a declaration",
			"write it in the comment block right above the declaration, or at the end of the declaration's first line")}
	}
	seen := map[string]bool{}
	for _, w := range codes {
		info, known := codeInfo(w.text)
		switch {
		case !known:
			d := newDiag(at(w.off), codeInvalidDirective, "esgen:ignore names unknown code "+w.text, "docs/language.md lists the codes")
			if _, ok := codeInfo(strings.ToUpper(w.text)); ok {
				d.Suggestion = didYouMean(strings.ToUpper(w.text))
				d.Fix = replaceFix(d.Pos, w.text, strings.ToUpper(w.text))
			}
			diags = append(diags, d)
		case info.Severity != SeverityWarning:
			diags = append(diags, newDiag(at(w.off), codeInvalidDirective,
				fmt.Sprintf("esgen:ignore cannot silence %s (%s): only warnings can be silenced", w.text, info.Name), ""))
		case w.text == codeInvalidDirective || w.text == codeUnusedDirective:
			diags = append(diags, newDiag(at(w.off), codeInvalidDirective,
				fmt.Sprintf("esgen:ignore cannot silence %s: warnings about directives cannot be silenced", w.text), ""))
		case seen[w.text]:
			diags = append(diags, newDiag(at(w.off), codeInvalidDirective, "esgen:ignore names "+w.text+" twice", ""))
		default:
			seen[w.text] = true
			ss = append(ss, &silencer{pos: at(w.off), code: w.text, target: target})
		}
	}
	return ss, diags
}

// codeInfo returns the table entry of code, if there is one.
func codeInfo(code string) (CodeInfo, bool) {
	for _, c := range codeTable {
		if c.Code == code {
			return c, true
		}
	}
	return CodeInfo{}, false
}

func isBlank(r rune) bool { return r == ' ' || r == '\t' }
