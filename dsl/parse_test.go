package dsl

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl/ast"
)

// TestDocComments checks which comments become doc comments.
func TestDocComments(t *testing.T) {
	src := `// File doc.
package p

// Detached: a blank line follows.

// T doc,
// two lines.
type T {
    // a doc
    a int
    b int // b doc

    c int
    // not a doc: below c

    d int // first
    e int; f int // not a doc of e nor f? f ends here: f doc
    g []string /* */
}

/* */
`
	// The last lines hold block comments, which do not exist: cut them.
	src = src[:strings.Index(src, "    g []string")] + "}\n"
	f, diags := Parse("doc.esm", []byte(src))
	if diags != nil {
		t.Fatal(diags.Err())
	}
	td := f.Decls[0].(*ast.TypeDecl)
	var got []string
	got = append(got, "file="+f.Doc.Text(), "T="+td.Doc.Text())
	for _, fd := range td.Body.Fields {
		got = append(got, fd.Name.Name+"="+fd.Doc.Text())
	}
	want := []string{
		"file=File doc.", "T=T doc,\ntwo lines.",
		"a=a doc", "b=b doc", "c=", "d=first", "e=",
		"f=not a doc of e nor f? f ends here: f doc",
	}
	if !slices.Equal(got, want) {
		t.Errorf("docs\n got %q\nwant %q", got, want)
	}
	if n := len(f.Comments); n != 8 {
		t.Errorf("%d comment groups, want 8", n)
	}
}

// TestParsePositions checks node positions: 1-based lines, byte columns.
func TestParsePositions(t *testing.T) {
	src := "package p\naggregate A {\n\tstate Ünïcode initial\n\ton Go: Ünïcode -> Ünïcode emits X, Y\n}\n"
	f, diags := Parse("pos.esm", []byte(src))
	if diags != nil {
		t.Fatal(diags.Err())
	}
	agg := f.Decls[0].(*ast.Aggregate)
	st := agg.Members[0].(*ast.State)
	tr := agg.Members[1].(*ast.Transition)
	br := tr.Branches[0]
	pos := func(p ast.Position) string { return fmt.Sprintf("%d:%d@%d", p.Line, p.Column, p.Offset) }
	got := []string{pos(agg.Pos), pos(agg.Name.Pos), pos(st.Name.Pos), pos(st.Flags[0].Pos), pos(br.Arrow.Pos), pos(br.To.Pos), pos(br.Emits[1].Pos), pos(agg.Close.Pos), pos(f.EOF)}
	want := []string{"2:1@10", "2:11@20", "3:8@31", "3:18@41", "4:19@67", "4:22@70", "4:41@89", "5:1@91", "6:1@93"}
	if !slices.Equal(got, want) {
		t.Errorf("positions\n got %v\nwant %v", got, want)
	}
}

// TestKeywords keeps Keywords and the lexer's table in step.
func TestKeywords(t *testing.T) {
	kw := Keywords()
	if !slices.IsSorted(kw) || len(kw) != len(keywords) {
		t.Fatalf("Keywords() = %v", kw)
	}
	for _, k := range kw {
		if !keywords[k] {
			t.Errorf("%s is not a keyword of the lexer", k)
		}
		if _, diags := Parse("k.esm", []byte("package "+k)); !diags.HasErrors() {
			t.Errorf("package %s parsed", k)
		}
	}
}

// TestCheckNil documents that Check of a nil tree is nothing.
func TestCheckNil(t *testing.T) {
	if m, diags := Check(nil); m != nil || diags != nil {
		t.Errorf("Check(nil) = %v, %v", m, diags)
	}
}

// TestEditDistance pins the distance behind did-you-mean suggestions.
func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"Opne", "Open", 1},
		{"Submited", "Submitted", 1},
		{"draft", "Draft", 0},
		{"int46", "int64", 1},
		{"", "abc", 3},
		{"Ünïcode", "Unicode", 2},
		{"abc", "abc", 0},
		{"ca", "abc", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestSyntaxErrorLimit: a file with more broken declarations than Parse
// reports gets the first ten, in order.
func TestSyntaxErrorLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("package shop\n\naggregate Order {\n    state Draft initial final\n")
	for i := range 12 {
		fmt.Fprintf(&b, "    command C%d { n int = }\n", i)
	}
	b.WriteString("}\n")
	_, diags := Parse("input.esm", []byte(b.String()))
	if len(diags) != maxSyntaxErrors {
		t.Fatalf("%d diagnostics, want %d:\n%v", len(diags), maxSyntaxErrors, diags)
	}
	for i, d := range diags {
		if d.Code != codeSyntax || d.Pos.Line != 5+i || d.Pos.Column != 26 {
			t.Errorf("diagnostic %d: %s, want E001 at line 5+%d, column 26", i, d, i)
		}
	}
}
