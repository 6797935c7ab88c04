package dsl

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/esgen/esgen/dsl/ast"
)

// Format returns src in the canonical layout:
//
//   - four spaces per level of indentation, one declaration, member or
//     field per line, single spaces between tokens;
//   - one blank line after the package clause, around the imports and
//     between top-level declarations, and between groups of aggregate
//     members of different kinds (options, states, commands, events,
//     transitions, evolve declarations); elsewhere blank lines are kept as written, at most
//     one in a row, never right after an opening or before a closing brace;
//   - a body with one field, no doc and no comment is written on the line
//     of its declaration, `{ name Type }`; a larger body gets one field per
//     line with names, types and defaults aligned in columns; an empty body
//     is dropped (a type keeps `{}`); semicolons are dropped;
//   - further branches of a transition go on their own lines, their `|`
//     under the `:` of `on Command:`;
//   - every comment is kept, on its own line or at the end of a line as
//     written, so that doc comments stay doc comments.
//
// Format is idempotent, and Load of its output gives the same model as
// Load of src. It only needs a file that parses: on a syntax error it
// returns nil and the diagnostic; names are not checked.
func Format(filename string, src []byte) ([]byte, Diagnostics) {
	f, toks, diags := parse(filename, src)
	if f == nil {
		return nil, diags
	}
	p := newPrinter(toks)
	p.file(f)
	return p.render(), nil
}

// indentUnit is one level of indentation.
const indentUnit = "    "

// fmtLine is one output line of code, before comments are merged in.
type fmtLine struct {
	indent int // levels
	extra  int // spaces after the indentation (continued transitions)
	text   strings.Builder
	start  int // offset of the first source token on the line, -1 if none yet
	end    int // offset of the last source token on the line
	forced bool
	opener bool // ends with { or (
	closer bool // is } or )
	field  *fieldCols
}

// fieldCols are the columns of a field line, aligned with its neighbours.
type fieldCols struct {
	name, typ, def string
}

// printer turns a syntax tree into lines, then merges the comments back.
type printer struct {
	toks     []lexer.Token // every token, comments included
	index    map[int]int   // offset -> index in toks
	comments []lexer.Token
	lines    []*fmtLine
	cur      *fmtLine
	indent   int
}

func newPrinter(toks []lexer.Token) *printer {
	p := &printer{toks: toks, index: make(map[int]int, len(toks))}
	for i, t := range toks {
		p.index[t.Pos.Offset] = i
		if t.Type == tokComment {
			p.comments = append(p.comments, t)
		}
	}
	return p
}

// line starts a new output line; forced asks for a blank line before it.
func (p *printer) line(forced bool) {
	p.cur = &fmtLine{indent: p.indent, start: -1, end: -1, forced: forced}
	p.lines = append(p.lines, p.cur)
}

// tok appends a token after a space; pos is its source position, or a
// zero position for tokens whose place the tree does not keep (their
// neighbours place them).
func (p *printer) tok(s string, pos ast.Position) {
	if p.cur.text.Len() > 0 {
		p.cur.text.WriteByte(' ')
	}
	p.glued(s, pos)
}

// glued appends a token with no space before it.
func (p *printer) glued(s string, pos ast.Position) {
	p.cur.text.WriteString(s)
	if pos.Line > 0 {
		if p.cur.start < 0 {
			p.cur.start = pos.Offset
		}
		p.cur.end = max(p.cur.end, pos.Offset)
	}
}

// commentsWithin reports whether a comment lies strictly between two offsets.
func (p *printer) commentsWithin(from, to int) bool {
	i, _ := slices.BinarySearchFunc(p.comments, from+1, func(t lexer.Token, off int) int { return cmp.Compare(t.Pos.Offset, off) })
	return i < len(p.comments) && p.comments[i].Pos.Offset < to
}

func (p *printer) file(f *ast.File) {
	p.line(false)
	p.tok("package", f.Package.Pos)
	p.tok(f.Package.Name.Name, f.Package.Name.Pos)
	for i, im := range f.Imports {
		p.line(i == 0)
		p.tok("import", im.Pos)
		if im.Single != nil {
			p.importSpec(im.Single)
			continue
		}
		g := im.Group
		p.tok("(", g.Pos)
		if len(g.Specs) == 0 && !p.commentsWithin(g.Pos.Offset, g.Close.Pos.Offset) {
			p.glued(")", g.Close.Pos)
			continue
		}
		p.cur.opener = true
		p.indent++
		for _, s := range g.Specs {
			p.line(false)
			p.importSpec(s)
		}
		p.indent--
		p.line(false)
		p.cur.closer = true
		p.tok(")", g.Close.Pos)
	}
	for _, d := range f.Decls {
		p.line(true)
		switch d := d.(type) {
		case *ast.Extern:
			p.tok("extern", d.Pos)
			p.tok(d.Name.Name, d.Name.Pos)
		case *ast.TypeDecl:
			p.tok("type", d.Pos)
			p.tok(d.Name.Name, d.Name.Pos)
			p.body(d.Body, true)
		case *ast.Aggregate:
			p.aggregate(d)
		case *ast.Process:
			p.process(d)
		}
	}
}

func (p *printer) importSpec(s *ast.ImportSpec) {
	if s.Alias != nil {
		p.tok(s.Alias.Name, s.Alias.Pos)
	}
	p.tok(s.Path.Text, s.Path.Pos)
}

// memberKind groups aggregate members for blank lines.
func memberKind(m ast.Member) int {
	switch m.(type) {
	case *ast.State:
		return 1
	case *ast.Command:
		return 2
	case *ast.Event:
		return 3
	case *ast.Transition:
		return 4
	case *ast.Evolve:
		return 5
	case *ast.Timer:
		return 6
	}
	return 0 // options
}

func (p *printer) aggregate(d *ast.Aggregate) {
	if d.Eventual != nil {
		p.tok("eventual", d.Eventual.Pos)
		p.tok("aggregate", ast.Position{})
	} else {
		p.tok("aggregate", d.Pos)
	}
	p.tok(d.Name.Name, d.Name.Pos)
	open := d.Name.Pos.Offset
	p.tok("{", ast.Position{})
	if len(d.Members) == 0 && !p.commentsWithin(open, d.Close.Pos.Offset) {
		p.glued("}", d.Close.Pos)
		return
	}
	p.cur.opener = true
	p.indent++
	for i, m := range d.Members {
		p.line(i > 0 && memberKind(m) != memberKind(d.Members[i-1]))
		p.member(m)
	}
	p.indent--
	p.line(false)
	p.cur.closer = true
	p.tok("}", d.Close.Pos)
}

func (p *printer) member(m ast.Member) {
	switch m := m.(type) {
	case *ast.IDOption:
		p.tok("id", m.Pos)
		p.typ(m.Type, false)
	case *ast.StreamOption:
		p.tok("stream", m.Pos)
		p.tok(m.Name.Text, m.Name.Pos)
	case *ast.SubjectOption:
		p.tok("subject", m.Pos)
		p.tok(m.Prefix.Text, m.Prefix.Pos)
	case *ast.SnapshotOption:
		p.tok("snapshot", m.Pos)
		p.tok("every", ast.Position{})
		p.tok(m.Every.Text, m.Every.Pos)
	case *ast.LivesOption:
		p.tok("lives", m.Pos)
		p.tok(m.Forever.Name, m.Forever.Pos)
	case *ast.ArchiveOption:
		p.tok("archive", m.Pos)
		p.tok("after", ast.Position{})
		p.tok(m.After.Text, m.After.Pos)
	case *ast.State:
		p.tok("state", m.Pos)
		p.tok(m.Name.Name, m.Name.Pos)
		for _, fl := range m.Flags {
			p.tok(fl.Name, fl.Pos)
		}
		p.body(m.Body, false)
	case *ast.Command:
		p.tok("command", m.Pos)
		p.tok(m.Name.Name, m.Name.Pos)
		p.body(m.Body, false)
	case *ast.Event:
		p.tok("event", m.Pos)
		p.tok(m.Name.Name, m.Name.Pos)
		if m.Version != nil {
			p.tok(m.Version.Text, m.Version.Pos)
		}
		if m.Upcast != nil {
			p.tok("upcast", m.Upcast.Pos)
			if d := m.Upcast.Drop; d != nil {
				p.glued(":", ast.Position{})
				p.tok("drop", d.Pos)
				for j, id := range d.Fields {
					if j > 0 {
						p.glued(",", ast.Position{})
					}
					p.tok(id.Name, id.Pos)
				}
			}
		}
		p.body(m.Body, false)
	case *ast.Transition:
		p.tok("on", m.Pos)
		p.tok(m.Command.Name, m.Command.Pos)
		p.glued(":", ast.Position{})
		extra := len("on ") + utf8.RuneCountInString(m.Command.Name)
		for i, b := range m.Branches {
			if i > 0 {
				p.line(false)
				p.cur.extra = extra
				p.tok("|", ast.Position{})
			}
			p.branch(b)
		}
	case *ast.Timer:
		p.tok("after", m.Pos)
		p.tok(m.After.Text, m.After.Pos)
		p.tok("in", ast.Position{})
		p.tok(m.State.Name, m.State.Pos)
		p.glued(":", ast.Position{})
		p.tok(m.Command.Name, m.Command.Pos)
		if m.Values != nil {
			p.values(m.Values)
		}
	case *ast.Evolve:
		p.tok("evolve", m.Pos)
		for i, id := range m.States {
			if i > 0 {
				p.glued(",", ast.Position{})
			}
			p.tok(id.Name, id.Pos)
		}
		p.tok("on", m.On.Pos)
		p.tok(m.Event.Name, m.Event.Pos)
		p.glued(":", ast.Position{})
		for i, cl := range m.Clauses {
			if i > 0 {
				p.glued(";", ast.Position{})
			}
			p.tok(cl.Word(), cl.Pos)
			for j, id := range cl.Fields {
				if j > 0 {
					p.glued(",", ast.Position{})
				}
				p.tok(id.Name, id.Pos)
			}
		}
	}
}

// values prints a timer's command values on one line: { a = 1; b = "x" }.
func (p *printer) values(v *ast.Values) {
	if len(v.Fields) == 0 {
		p.tok("{", v.Pos)
		p.glued("}", v.Close.Pos)
		return
	}
	p.tok("{", v.Pos)
	for i, fv := range v.Fields {
		if i > 0 {
			p.glued(";", ast.Position{})
		}
		p.tok(fv.Name.Name, fv.Name.Pos)
		p.tok("=", ast.Position{})
		p.tok(fv.Value.Text, fv.Value.Pos)
	}
	p.tok("}", v.Close.Pos)
}

// processMemberKind groups process members for blank lines.
func processMemberKind(m ast.ProcessMember) int {
	switch m.(type) {
	case *ast.State:
		return 1
	case *ast.Reaction:
		return 2
	case *ast.ProcessTimer:
		return 3
	}
	return 0 // options and correlations
}

func (p *printer) process(d *ast.Process) {
	p.tok("process", d.Pos)
	p.tok(d.Name.Name, d.Name.Pos)
	open := d.Name.Pos.Offset
	p.tok("{", ast.Position{})
	if len(d.Members) == 0 && !p.commentsWithin(open, d.Close.Pos.Offset) {
		p.glued("}", d.Close.Pos)
		return
	}
	p.cur.opener = true
	p.indent++
	for i, m := range d.Members {
		p.line(i > 0 && processMemberKind(m) != processMemberKind(d.Members[i-1]))
		p.processMember(m)
	}
	p.indent--
	p.line(false)
	p.cur.closer = true
	p.tok("}", d.Close.Pos)
}

func (p *printer) processMember(m ast.ProcessMember) {
	switch m := m.(type) {
	case *ast.IDOption:
		p.tok("id", m.Pos)
		p.typ(m.Type, false)
	case *ast.CorrelateOption:
		p.tok("correlate", m.Pos)
		p.tok(m.Aggregate.Name, m.Aggregate.Pos)
		p.tok("by", ast.Position{})
		p.tok(m.Field.Name, m.Field.Pos)
	case *ast.State:
		p.tok("state", m.Pos)
		p.tok(m.Name.Name, m.Name.Pos)
		for _, fl := range m.Flags {
			p.tok(fl.Name, fl.Pos)
		}
		p.body(m.Body, false)
	case *ast.Reaction:
		p.tok("on", m.Pos)
		head := "on "
		if m.Rejected != nil {
			p.tok("rejected", m.Rejected.Pos)
			head += "rejected "
		}
		p.qualified(m.Input)
		p.glued(":", ast.Position{})
		p.processBranches(m.Branches, len(head)+utf8.RuneCountInString(m.Input.String()))
	case *ast.ProcessTimer:
		p.tok("after", m.Pos)
		p.tok(m.After.Text, m.After.Pos)
		p.tok("in", ast.Position{})
		p.tok(m.State.Name, m.State.Pos)
		head := "after " + m.After.Text + " in " + m.State.Name
		if m.Name != nil {
			p.tok("as", ast.Position{})
			p.tok(m.Name.Name, m.Name.Pos)
			head += " as " + m.Name.Name
		}
		p.glued(":", ast.Position{})
		p.processBranches(m.Branches, utf8.RuneCountInString(head))
	}
}

// processBranches prints branches as a transition's: further ones on their
// own lines, their | under the : that ends head (extra runes long).
func (p *printer) processBranches(bs []*ast.ProcessBranch, extra int) {
	for i, b := range bs {
		if i > 0 {
			p.line(false)
			p.cur.extra = extra
			p.tok("|", ast.Position{})
		}
		for j, id := range b.From {
			if j > 0 {
				p.glued(",", ast.Position{})
			}
			p.tok(id.Name, id.Pos)
		}
		p.tok("->", b.Arrow.Pos)
		p.tok(b.To.Name, b.To.Pos)
		for j, q := range b.Sends {
			if j == 0 {
				p.tok("sends", ast.Position{})
			} else {
				p.glued(",", ast.Position{})
			}
			p.qualified(q)
		}
	}
}

// qualified prints Aggregate.Name.
func (p *printer) qualified(q *ast.QualifiedName) {
	p.tok(q.Aggregate.Name, q.Aggregate.Pos)
	p.glued(".", ast.Position{})
	p.glued(q.Name.Name, q.Name.Pos)
}

func (p *printer) branch(b *ast.Branch) {
	for i, id := range b.From {
		if i > 0 {
			p.glued(",", ast.Position{})
		}
		p.tok(id.Name, id.Pos)
	}
	p.tok("->", b.Arrow.Pos)
	p.tok(b.To.Name, b.To.Pos)
	for i, id := range b.Emits {
		if i == 0 {
			p.tok("emits", ast.Position{})
		} else {
			p.glued(",", ast.Position{})
		}
		p.tok(id.Name, id.Pos)
	}
}

// body prints a field list: dropped when empty (kept as {} when keep is
// set), inline when it holds one plain field, else one field per line.
func (p *printer) body(b *ast.Body, keep bool) {
	if b == nil {
		if keep {
			p.tok("{}", ast.Position{})
		}
		return
	}
	comments := p.commentsWithin(b.Pos.Offset, b.Close.Pos.Offset)
	switch {
	case len(b.Fields) == 0 && !comments:
		if keep {
			p.tok("{", b.Pos)
			p.cur.text.WriteString("}")
			p.cur.end = b.Close.Pos.Offset
		}
		return
	case len(b.Fields) == 1 && !comments && b.Fields[0].Doc == nil:
		p.tok("{", b.Pos)
		p.field(b.Fields[0], false)
		p.tok("}", b.Close.Pos)
		return
	}
	p.tok("{", b.Pos)
	p.cur.opener = true
	p.indent++
	for _, f := range b.Fields {
		p.line(false)
		p.field(f, true)
	}
	p.indent--
	p.line(false)
	p.cur.closer = true
	p.tok("}", b.Close.Pos)
}

// field prints a field; aligned fields keep their columns for render.
func (p *printer) field(f *ast.Field, aligned bool) {
	start := p.cur.text.Len()
	p.tok(f.Name.Name, f.Name.Pos)
	p.typ(f.Type, false)
	cols := &fieldCols{name: f.Name.Name, typ: f.Type.String()}
	if f.Default != nil {
		p.tok("=", ast.Position{})
		p.tok(f.Default.Text, f.Default.Pos)
		cols.def = "= " + f.Default.Text
	}
	if aligned && start == 0 {
		p.cur.field = cols
	}
}

// typ prints a type, recording the positions of its names; glue leaves
// out the space before it.
func (p *printer) typ(t *ast.Type, glue bool) {
	first := p.tok
	if glue {
		first = p.glued
	}
	switch {
	case t.Slice != nil:
		first("[", t.Pos)
		p.glued("]", ast.Position{})
		p.typ(t.Slice, true)
	case t.Pointer != nil:
		first("*", t.Pos)
		p.typ(t.Pointer, true)
	case t.Map != nil:
		first("map", t.Pos)
		p.glued("[", ast.Position{})
		p.typ(t.Map.Key, true)
		p.glued("]", ast.Position{})
		p.typ(t.Map.Elem, true)
	case t.Named != nil:
		first(t.Named.First.Name, t.Named.First.Pos)
		if t.Named.Sel != nil {
			p.glued(".", ast.Position{})
			p.glued(t.Named.Sel.Name, t.Named.Sel.Pos)
		}
	}
}

// entry is one output line: code, or a comment on its own line.
type entry struct {
	line     *fmtLine // nil for a comment line
	comment  string   // own-line comment text
	indent   string   // indentation of a comment line
	trailing string   // comment at the end of a code line
	blank    bool     // a blank line precedes the entry
	moved    bool     // a comment that was inside a line of code, written after it
}

// indentOf returns the indentation of a code line.
func indentOf(l *fmtLine) string {
	return strings.Repeat(indentUnit, l.indent) + strings.Repeat(" ", l.extra)
}

// render merges the comments into the lines, decides blank lines, aligns
// fields and returns the text.
func (p *printer) render() []byte {
	var out []*entry
	var lastLine *entry
	pendingBlank := false // a comment moved out of a line is followed by a blank line
	ci := 0
	blankBefore := func(off int) bool {
		i, ok := p.index[off]
		return ok && i > 0 && p.toks[i].Pos.Line-p.toks[i-1].Pos.Line >= 2
	}
	// emit writes the comments before offset limit, as leading comments of
	// next (nil at the end of the file), and reports whether there were any.
	emit := func(limit int, next *fmtLine) bool {
		// A comment is indented like the line it precedes, so that it
		// keeps its place when the output is formatted again.
		indent := ""
		switch {
		case next == nil:
		case next.closer:
			indent = strings.Repeat(indentUnit, next.indent+1)
		default:
			indent = indentOf(next)
		}
		forced := next != nil && next.forced
		// moved writes a comment that cannot stay where it was (inside a line
		// of code, or a second comment at the end of one) after that line,
		// followed by a blank line so that it documents nothing.
		moved := func(text string) {
			e := &entry{comment: text, indent: indent, moved: true}
			e.blank = forced && out[len(out)-1] == lastLine
			out = append(out, e)
			pendingBlank = true
		}
		leading := false
		for ci < len(p.comments) && p.comments[ci].Pos.Offset < limit {
			c := p.comments[ci]
			ci++
			idx := p.index[c.Pos.Offset]
			// A comment ends the last line only when it follows the line's
			// last token: one between two tokens of the line (`tags [] //
			// c` with `string` on the next line) is inside it.
			if lastLine != nil && idx > 0 && p.toks[idx-1].Pos.Line == c.Pos.Line && c.Pos.Offset > lastLine.line.end {
				if lastLine.trailing != "" {
					moved(lastLine.trailing)
				}
				lastLine.trailing = c.Value
				continue
			}
			if lastLine != nil && c.Pos.Offset < lastLine.line.end {
				moved(c.Value)
				continue
			}
			e := &entry{comment: c.Value, indent: indent}
			e.blank = blankBefore(c.Pos.Offset) || pendingBlank || !leading && forced
			pendingBlank = false
			leading = true
			out = append(out, e)
		}
		return leading
	}
	for _, l := range p.lines {
		e := &entry{line: l}
		if emit(l.start, l) {
			e.blank = blankBefore(l.start) || pendingBlank
		} else {
			e.blank = l.forced || blankBefore(l.start) || pendingBlank
		}
		pendingBlank = false
		out = append(out, e)
		lastLine = e
	}
	emit(int(^uint(0)>>1), nil)
	for i, e := range out {
		if i == 0 || e.line != nil && e.line.closer || out[i-1].line != nil && out[i-1].line.opener {
			e.blank = false
		}
	}
	alignFields(out)
	var b strings.Builder
	for _, e := range out {
		if e.blank {
			b.WriteByte('\n')
		}
		if e.line == nil {
			b.WriteString(e.indent)
			b.WriteString(e.comment)
			b.WriteByte('\n')
			continue
		}
		b.WriteString(indentOf(e.line))
		b.WriteString(e.line.text.String())
		if e.trailing != "" {
			b.WriteByte(' ')
			b.WriteString(e.trailing)
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// alignFields aligns the columns of consecutive field lines of one body
// (no blank line or comment line between them): names, types, defaults
// and trailing comments.
func alignFields(out []*entry) {
	for i := 0; i < len(out); {
		if out[i].line == nil || out[i].line.field == nil {
			i++
			continue
		}
		j := i + 1
		for j < len(out) && out[j].line != nil && out[j].line.field != nil && !out[j].blank && out[j].line.indent == out[i].line.indent {
			j++
		}
		run := out[i:j]
		nameW, typW := 0, 0
		for _, e := range run {
			nameW = max(nameW, utf8.RuneCountInString(e.line.field.name))
			if e.line.field.def != "" {
				typW = max(typW, utf8.RuneCountInString(e.line.field.typ))
			}
		}
		texts := make([]string, len(run))
		commentW := 0
		for k, e := range run {
			f := e.line.field
			t := pad(f.name, nameW) + " " + f.typ
			if f.def != "" {
				t = pad(f.name, nameW) + " " + pad(f.typ, typW) + " " + f.def
			}
			texts[k] = t
			if e.trailing != "" {
				commentW = max(commentW, utf8.RuneCountInString(t))
			}
		}
		for k, e := range run {
			t := texts[k]
			if e.trailing != "" {
				t = pad(t, commentW)
			}
			e.line.text.Reset()
			e.line.text.WriteString(t)
		}
		i = j
	}
}

// pad right-pads s with spaces to width runes.
func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}
