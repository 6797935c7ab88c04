// Command roles prints what the esgen parser sees in .esm files: the role of
// every name (state, command, event, field, type...), every literal and every
// comment, with its position. The grammar test of the VS Code extension
// (editors/vscode/test/parser.test.mjs) checks the TextMate grammar's scopes
// against it, so that the highlighting agrees with the parser on every name
// of the examples.
//
//	go run ./editors/vscode/test/roles FILE...
//
// It prints one JSON object per file: {"file": ..., "spans": [...]}, each
// span {"line", "col", "len", "role", "text"} with a 1-based line and a
// column and length in UTF-16 code units, as JavaScript indexes strings. A
// file that does not parse is an error: its diagnostics go to stderr and
// the exit status is 1.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/dsl/ast"
)

// span is a name, literal or comment of a file and its role.
type span struct {
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Len  int    `json:"len"`
	Role string `json:"role"`
	Text string `json:"text"`
}

// fileSpans is the output for one file.
type fileSpans struct {
	File  string `json:"file"`
	Spans []span `json:"spans"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: roles FILE...")
		os.Exit(2)
	}
	enc := json.NewEncoder(os.Stdout)
	failed := false
	for _, name := range os.Args[1:] {
		out, err := roles(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed = true
			continue
		}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if failed {
		os.Exit(1)
	}
}

// roles parses the file name and returns its spans.
func roles(name string) (*fileSpans, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	f, diags := dsl.Parse(name, src)
	if f == nil {
		var b strings.Builder
		for _, d := range diags {
			fmt.Fprintln(&b, d.String())
		}
		return nil, fmt.Errorf("%s does not parse:\n%s", name, b.String())
	}
	w := &walker{src: src, out: &fileSpans{File: name, Spans: []span{}}}
	w.file(f)
	if w.err != nil {
		return nil, fmt.Errorf("%s: %w", name, w.err)
	}
	return w.out, nil
}

// walker collects the spans of one file.
type walker struct {
	src []byte
	out *fileSpans
	err error // the first node the walker does not know
}

// unknown records a node the walker does not know: the language has grown
// and this command (and the grammar) must learn the new node.
func (w *walker) unknown(what string, node any) {
	if w.err == nil {
		w.err = fmt.Errorf("%s %T is not known to editors/vscode/test/roles: add it there and to the grammar", what, node)
	}
}

// add records the text at pos, of n bytes, with its role.
func (w *walker) add(pos ast.Position, n int, role string) {
	lineStart := pos.Offset - (pos.Column - 1)
	w.out.Spans = append(w.out.Spans, span{
		Line: pos.Line,
		Col:  utf16Len(w.src[lineStart:pos.Offset]),
		Len:  utf16Len(w.src[pos.Offset : pos.Offset+n]),
		Role: role,
		Text: string(w.src[pos.Offset : pos.Offset+n]),
	})
}

func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		n += utf16.RuneLen(r)
		b = b[size:]
	}
	return n
}

func (w *walker) ident(id *ast.Ident, role string) {
	if id != nil {
		w.add(id.Pos, len(id.Name), role)
	}
}

func (w *walker) idents(ids []*ast.Ident, role string) {
	for _, id := range ids {
		w.ident(id, role)
	}
}

func (w *walker) file(f *ast.File) {
	for _, g := range f.Comments {
		for _, c := range g.List {
			w.add(c.Pos, len(c.Text), "comment")
		}
	}
	w.ident(f.Package.Name, "namespace")
	for _, im := range f.Imports {
		for _, s := range im.Specs() {
			w.ident(s.Alias, "namespace")
			w.add(s.Path.Pos, len(s.Path.Text), "string")
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.Extern:
			w.ident(d.Name, "type")
		case *ast.TypeDecl:
			w.ident(d.Name, "type")
			w.body(d.Body)
		case *ast.Aggregate:
			w.ident(d.Name, "aggregate")
			for _, m := range d.Members {
				w.member(m)
			}
		case *ast.Process:
			w.ident(d.Name, "process")
			for _, m := range d.Members {
				w.processMember(m)
			}
		default:
			w.unknown("declaration", d)
		}
	}
}

func (w *walker) member(m ast.Member) {
	switch m := m.(type) {
	case *ast.IDOption:
		w.typ(m.Type)
	case *ast.StreamOption:
		w.add(m.Name.Pos, len(m.Name.Text), "string")
	case *ast.SubjectOption:
		w.add(m.Prefix.Pos, len(m.Prefix.Text), "string")
	case *ast.SnapshotOption:
		w.add(m.Every.Pos, len(m.Every.Text), "int")
	case *ast.LivesOption:
	case *ast.ArchiveOption:
		w.add(m.After.Pos, len(m.After.Text), "duration")
	case *ast.State:
		w.state(m)
	case *ast.Command:
		w.ident(m.Name, "command")
		w.body(m.Body)
	case *ast.Event:
		w.ident(m.Name, "event")
		if m.Version != nil {
			w.add(m.Version.Pos, len(m.Version.Text), "version")
		}
		if m.Upcast != nil && m.Upcast.Drop != nil {
			w.idents(m.Upcast.Drop.Fields, "field")
		}
		w.body(m.Body)
	case *ast.Transition:
		w.ident(m.Command, "command")
		for _, b := range m.Branches {
			w.idents(b.From, "state")
			w.ident(b.To, "state")
			w.idents(b.Emits, "event")
		}
	case *ast.Evolve:
		w.idents(m.States, "state")
		w.ident(m.Event, "event")
		for _, c := range m.Clauses {
			w.idents(c.Fields, "field")
		}
	case *ast.Timer:
		w.add(m.After.Pos, len(m.After.Text), "duration")
		w.ident(m.State, "state")
		w.ident(m.Command, "command")
		if m.Values != nil {
			for _, v := range m.Values.Fields {
				w.ident(v.Name, "field")
				w.literal(v.Value)
			}
		}
	default:
		w.unknown("aggregate member", m)
	}
}

func (w *walker) processMember(m ast.ProcessMember) {
	switch m := m.(type) {
	case *ast.IDOption:
		w.typ(m.Type)
	case *ast.CorrelateOption:
		w.ident(m.Aggregate, "aggregate")
		w.ident(m.Field, "field")
	case *ast.State:
		w.state(m)
	case *ast.Reaction:
		w.ident(m.Input.Aggregate, "aggregate")
		if m.Rejected != nil {
			w.ident(m.Input.Name, "command")
		} else {
			w.ident(m.Input.Name, "event")
		}
		w.processBranches(m.Branches)
	case *ast.ProcessTimer:
		w.add(m.After.Pos, len(m.After.Text), "duration")
		w.ident(m.State, "state")
		w.ident(m.Name, "timer")
		w.processBranches(m.Branches)
	default:
		w.unknown("process member", m)
	}
}

func (w *walker) processBranches(bs []*ast.ProcessBranch) {
	for _, b := range bs {
		w.idents(b.From, "state")
		w.ident(b.To, "state")
		for _, q := range b.Sends {
			w.ident(q.Aggregate, "aggregate")
			w.ident(q.Name, "command")
		}
	}
}

func (w *walker) state(s *ast.State) {
	w.ident(s.Name, "state")
	w.body(s.Body)
}

func (w *walker) body(b *ast.Body) {
	if b == nil {
		return
	}
	for _, fd := range b.Fields {
		w.ident(fd.Name, "field")
		w.typ(fd.Type)
		w.literal(fd.Default)
	}
}

func (w *walker) typ(t *ast.Type) {
	switch {
	case t == nil:
	case t.Slice != nil:
		w.typ(t.Slice)
	case t.Map != nil:
		w.typ(t.Map.Key)
		w.typ(t.Map.Elem)
	case t.Pointer != nil:
		w.typ(t.Pointer)
	case t.Named != nil && t.Named.Sel != nil:
		w.ident(t.Named.First, "namespace")
		w.ident(t.Named.Sel, "type")
	case t.Named != nil:
		w.ident(t.Named.First, "type")
	}
}

func (w *walker) literal(l *ast.Literal) {
	if l == nil {
		return
	}
	role := "int"
	switch {
	case strings.HasPrefix(l.Text, `"`):
		role = "string"
	case l.Text == "true" || l.Text == "false":
		role = "bool"
	case strings.ContainsAny(l.Text, ".eE"):
		role = "float"
	}
	w.add(l.Pos, len(l.Text), role)
}
