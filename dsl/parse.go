package dsl

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/esgen/esgen/dsl/ast"
)

// MaxFileSize is the largest .esm file Parse accepts, in bytes. A larger
// file gets one file-too-large error positioned at its first byte past the
// limit. At the measured parse speed (docs/language.md) a file of this size
// parses in a few seconds.
const MaxFileSize = 8 << 20

// Parse parses a .esm file into its syntax tree. Every node is positioned,
// comments are collected in File.Comments and doc comments are attached to
// their declarations. On a lexical error Parse returns a nil File and one
// diagnostic. On syntax errors it returns a nil File and a diagnostic for
// each declaration that does not follow the grammar, up to 10: after an
// error it skips the declaration holding it (an aggregate member, or a
// top-level declaration) and goes on, unless that declaration's end cannot
// be found (an unclosed brace), in which case the first error is the only
// one.
func Parse(filename string, src []byte) (*ast.File, Diagnostics) {
	f, _, diags := parse(filename, src)
	return f, diags
}

// parse parses src and also returns its tokens, comments included.
func parse(filename string, src []byte) (*ast.File, []lexer.Token, Diagnostics) {
	if len(src) > MaxFileSize {
		return nil, nil, Diagnostics{newDiag(positionAt(filename, src, MaxFileSize), codeFileTooLarge,
			fmt.Sprintf("file is %d bytes, larger than the %d bytes esgen reads", len(src), MaxFileSize), "")}
	}
	toks, lerr := lexBytes(filename, src)
	if lerr != nil {
		return nil, nil, Diagnostics{newDiag(fromLexer(lerr.Pos), lerr.Code, lerr.Msg, "")}
	}
	code := withoutComments(toks)
	if d := checkTypeDepth(code); d != nil {
		return nil, nil, Diagnostics{*d}
	}
	peek, err := lexer.Upgrade(&sliceLexer{toks: code})
	if err != nil { // sliceLexer never fails
		return nil, nil, Diagnostics{newDiag(positionAt(filename, src, 0), codeSyntax, err.Error(), "")}
	}
	f, err := grammar().ParseFromLexer(peek)
	if err != nil {
		diags := append(Diagnostics{syntaxDiag(filename, src, code, err)}, moreSyntaxErrors(filename, src, code, err)...)
		diags.Sort()
		return nil, nil, diags
	}
	f.EOF = toks[len(toks)-1].Pos
	f.Comments = groupComments(toks)
	attachDocs(f, code)
	f.Directives = findDirectives(f, toks)
	return f, toks, nil
}

// maxTypeDepth bounds the nesting of a type (each *, [] and map[K] is a
// level), so that parsing and checking a hostile file cannot exhaust the
// stack.
const maxTypeDepth = 64

// checkTypeDepth reports the first type nested deeper than maxTypeDepth.
// It counts the * and [ tokens of a run of type tokens; a name ends the run
// unless a ] or . follows it (a map key, a package qualifier).
func checkTypeDepth(code []lexer.Token) *Diagnostic {
	depth := 0
	for i, t := range code {
		switch {
		case t.Type == tokPunct && (t.Value == "*" || t.Value == "["):
			depth++
			if depth > maxTypeDepth {
				d := newDiag(fromLexer(t.Pos), codeTooDeep, fmt.Sprintf("type is nested more than %d levels deep", maxTypeDepth), "")
				return &d
			}
		case t.Type == tokPunct && (t.Value == "]" || t.Value == "."),
			t.Type == tokKeyword && t.Value == "map",
			(t.Type == tokIdent || t.Type == tokVersion) && i+1 < len(code) && code[i+1].Type == tokPunct &&
				(code[i+1].Value == "]" || code[i+1].Value == "."):
		default:
			depth = 0
		}
	}
	return nil
}

// syntaxDiag turns a participle error into a positioned diagnostic with a
// readable message. code is the token stream without comments.
func syntaxDiag(filename string, src []byte, code []lexer.Token, err error) Diagnostic {
	var ute *participle.UnexpectedTokenError
	if !errors.As(err, &ute) {
		var perr participle.Error
		if errors.As(err, &perr) {
			return newDiag(fromLexer(perr.Position()), codeSyntax, perr.Message(), "")
		}
		return newDiag(positionAt(filename, src, 0), codeSyntax, err.Error(), "")
	}
	tok := ute.Unexpected
	pos := fromLexer(tok.Pos)
	expect := ""
	if m := expectedRE.FindStringSubmatch(ute.Message()); m != nil {
		expect = m[1]
	}
	first, _, _ := strings.Cut(expect, " ")
	if d, ok := explainSyntax(code, tok, first); ok {
		return d
	}
	block := openBlock(code, tok.Pos.Offset)
	if tok.Type == tokKeyword && (first == "Ident" || first == "Type" || first == "Field") {
		return newDiag(pos, codeKeywordAsName, fmt.Sprintf("%s is a keyword and cannot be used as a name", tok.Value), "")
	}
	if tok.Type == tokKeyword && first == "RBrace" && block == blockBody {
		return newDiag(pos, codeKeywordAsName, fmt.Sprintf("%s is a keyword and cannot be used as a field name", tok.Value), "")
	}
	var want string
	switch first {
	case "":
		switch {
		case len(code) == 1:
			want = `package clause "package name"`
		case block == blockNone && tok.Type == tokKeyword && tok.Value == "import":
			return newDiag(pos, codeSyntax, "unexpected import after a declaration: imports come right after the package clause", "")
		case block == blockNone:
			want = "import, extern, type or aggregate declaration"
		}
	case "Ident", "Branch":
		want = "name"
	case "Type":
		want = "type"
	case "Literal":
		want = "string, number, true or false"
	case "Arrow":
		want = `"->"`
	case "OnWord":
		want = `"on"`
	case "EvolveClause":
		want = "drop, zero, unchanged or hook"
	case "RParen":
		want = `import path or ")"`
	case "RBrace":
		switch block {
		case blockAggregate:
			want = `id, stream, subject, snapshot, lives, state, command, event, on, evolve or "}"`
		case blockBody:
			want = `field name or "}"`
		default:
			want = `"}"`
		}
	case "Package":
		want = `package clause "package name"`
	case "String":
		want = "string"
	case "Int":
		want = "integer"
	default:
		want = grammarNames.Replace(first)
	}
	msg := "unexpected " + describeToken(tok)
	if want != "" {
		msg += ", expected " + want
	}
	return newDiag(pos, codeSyntax, msg, "")
}

// expectedRE extracts participle's expectation from its message.
var expectedRE = regexp.MustCompile(`\(expected (.*)\)$`)

// Kinds of block a syntax error can be in.
const (
	blockNone = iota
	blockAggregate
	blockBody
	blockImports
)

// openBlock returns the kind of the innermost block open before the first
// token at or after offset.
func openBlock(code []lexer.Token, offset int) int {
	k := slices.IndexFunc(code, func(t lexer.Token) bool { return t.Pos.Offset >= offset })
	if k < 0 {
		k = len(code)
	}
	_, kind := blocks(code)
	return kind[k]
}

// blocks returns, for each token of code and for the end after the last
// one, how deep it is nested in braces and parentheses and the kind of the
// innermost block holding it (blockNone at the top level).
func blocks(code []lexer.Token) (depth, kind []int) {
	depth = make([]int, len(code)+1)
	kind = make([]int, len(code)+1)
	stack := []int{blockNone}
	for i, t := range code {
		depth[i], kind[i] = len(stack)-1, stack[len(stack)-1]
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "{":
			k := blockBody
			if i >= 2 && (code[i-2].Type == tokKeyword && code[i-2].Value == "aggregate" ||
				code[i-2].Type == tokIdent && code[i-2].Value == "process" && len(stack) == 1) {
				k = blockAggregate
			}
			stack = append(stack, k)
		case "(":
			stack = append(stack, blockImports)
		case "}", ")":
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	depth[len(code)], kind[len(code)] = len(stack)-1, stack[len(stack)-1]
	return depth, kind
}

// describeToken spells a token for a message: `"}"`, `name Foo`, `end of file`.
func describeToken(t lexer.Token) string {
	switch t.Type {
	case lexer.EOF:
		return "end of file"
	case tokIdent:
		return "name " + t.Value
	case tokKeyword:
		return "keyword " + t.Value
	case tokString:
		return "string " + t.Value
	case tokInt, tokFloat:
		return "number " + t.Value
	case tokVersion:
		return "version " + t.Value
	case tokDuration:
		return "duration " + t.Value
	}
	return fmt.Sprintf("%q", t.Value)
}

// grammarNames spells participle's production names for messages.
var grammarNames = strings.NewReplacer(
	"<ident>", "name", "<version>", "version", "<string>", "string", "<int>", "integer",
	"<float>", "number", "StateFlag", "initial or final",
)

// groupComments groups the comment tokens of toks: consecutive own-line
// comments on consecutive lines form one group; a trailing comment (after a
// token on its line) is a group of its own.
func groupComments(toks []lexer.Token) []*ast.CommentGroup {
	var groups []*ast.CommentGroup
	var cur *ast.CommentGroup
	lastCodeLine, lastCommentLine := 0, -1
	for _, t := range toks {
		if t.Type != tokComment {
			if t.Type != lexer.EOF {
				lastCodeLine = t.Pos.Line
				cur = nil
			}
			continue
		}
		c := &ast.Comment{Pos: t.Pos, Text: t.Value, Trailing: lastCodeLine == t.Pos.Line}
		if c.Trailing || cur == nil || lastCommentLine != t.Pos.Line-1 {
			cur = &ast.CommentGroup{}
			groups = append(groups, cur)
		}
		cur.List = append(cur.List, c)
		lastCommentLine = t.Pos.Line
		if c.Trailing {
			cur = nil
		}
	}
	return groups
}

// attachDocs sets the Doc of every declaration that has a comment group
// ending on the line just above it, when the declaration is the first
// token of its line. A field with no such group takes the trailing comment
// of the line it ends on, when no other field or closing brace follows it
// on that line.
func attachDocs(f *ast.File, code []lexer.Token) {
	above := map[int]*ast.CommentGroup{}    // last line of an own-line group -> group
	trailing := map[int]*ast.CommentGroup{} // line -> trailing comment
	for _, g := range f.Comments {
		last := g.List[len(g.List)-1]
		if last.Trailing {
			trailing[last.Pos.Line] = g
		} else {
			above[last.Pos.Line] = g
		}
	}
	if len(above) == 0 && len(trailing) == 0 {
		return
	}
	firstOnLine := map[int]int{} // line -> offset of its first token
	for _, t := range code {
		if _, ok := firstOnLine[t.Pos.Line]; !ok {
			firstOnLine[t.Pos.Line] = t.Pos.Offset
		}
	}
	doc := func(pos ast.Position) *ast.CommentGroup {
		if off, ok := firstOnLine[pos.Line]; !ok || off != pos.Offset {
			return nil
		}
		return above[pos.Line-1]
	}
	fields := func(b *ast.Body) {
		if b == nil {
			return
		}
		for i, fd := range b.Fields {
			fd.Doc = doc(fd.Pos)
			if fd.Doc != nil {
				continue
			}
			end := fieldEnd(fd)
			line := end.Line
			if i+1 < len(b.Fields) && b.Fields[i+1].Pos.Line == line || b.Close.Pos.Line == line {
				continue
			}
			if g := trailing[line]; g != nil && g.List[0].Pos.Offset > end.Offset {
				fd.Doc = g
			}
		}
	}
	f.Package.Doc = doc(f.Package.Pos)
	f.Doc = f.Package.Doc
	for _, im := range f.Imports {
		im.Doc = doc(im.Pos)
		for _, s := range im.Specs() {
			s.Doc = doc(s.Pos)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.Extern:
			d.Doc = doc(d.Pos)
		case *ast.TypeDecl:
			d.Doc = doc(d.Pos)
			fields(d.Body)
		case *ast.Aggregate:
			d.Doc = doc(d.Pos)
			for _, m := range d.Members {
				switch m := m.(type) {
				case *ast.IDOption:
					m.Doc = doc(m.Pos)
				case *ast.StreamOption:
					m.Doc = doc(m.Pos)
				case *ast.SubjectOption:
					m.Doc = doc(m.Pos)
				case *ast.SnapshotOption:
					m.Doc = doc(m.Pos)
				case *ast.LivesOption:
					m.Doc = doc(m.Pos)
				case *ast.State:
					m.Doc = doc(m.Pos)
					fields(m.Body)
				case *ast.Command:
					m.Doc = doc(m.Pos)
					fields(m.Body)
				case *ast.Event:
					m.Doc = doc(m.Pos)
					fields(m.Body)
				case *ast.Transition:
					m.Doc = doc(m.Pos)
				case *ast.Evolve:
					m.Doc = doc(m.Pos)
				case *ast.Timer:
					m.Doc = doc(m.Pos)
				}
			}
		case *ast.Process:
			d.Doc = doc(d.Pos)
			for _, m := range d.Members {
				switch m := m.(type) {
				case *ast.IDOption:
					m.Doc = doc(m.Pos)
				case *ast.CorrelateOption:
					m.Doc = doc(m.Pos)
				case *ast.State:
					m.Doc = doc(m.Pos)
					fields(m.Body)
				case *ast.Reaction:
					m.Doc = doc(m.Pos)
				case *ast.ProcessTimer:
					m.Doc = doc(m.Pos)
				}
			}
		}
	}
}

// fieldEnd returns the position of the last token of a field.
func fieldEnd(f *ast.Field) ast.Position {
	if f.Default != nil {
		return f.Default.Pos
	}
	t := f.Type
	for {
		switch {
		case t.Slice != nil:
			t = t.Slice
		case t.Pointer != nil:
			t = t.Pointer
		case t.Map != nil:
			t = t.Map.Elem
		case t.Named != nil && t.Named.Sel != nil:
			return t.Named.Sel.Pos
		case t.Named != nil:
			return t.Named.First.Pos
		default:
			return t.Pos
		}
	}
}

// fromLexer converts a participle position.
func fromLexer(p lexer.Position) Position {
	return Position{Filename: p.Filename, Offset: p.Offset, Line: p.Line, Column: p.Column}
}

// positionAt returns the position of byte offset off of src (off may be
// len(src)).
func positionAt(filename string, src []byte, off int) Position {
	off = min(off, len(src))
	line, lineStart := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line, lineStart = line+1, i+1
		}
	}
	return Position{Filename: filename, Offset: off, Line: line, Column: off - lineStart + 1}
}

// newDiag returns a diagnostic with the name and severity of code.
func newDiag(pos Position, code, msg, suggestion string) Diagnostic {
	info := lookupCode(code)
	return Diagnostic{Pos: pos, Severity: info.Severity, Code: code, Name: info.Name, Message: msg, Suggestion: suggestion}
}
