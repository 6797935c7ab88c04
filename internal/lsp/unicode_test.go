package lsp

import (
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// unicodeSrc has names with characters of two and four bytes in UTF-8
// (É, and 𝒜, two UTF-16 units), and comments with emoji, before the
// names of their lines.
const unicodeSrc = `package p

// Café 🙂 sert des cafés.
aggregate Café {
    // 𝒜ttente 🙂: la commande attend.
    state 𝒜ttente initial
    state Été final
    command Émettre
    event Émis
    on Émettre: 𝒜ttente -> Étée emits Émis
}
`

// TestUnicode checks positions on lines where bytes, runes and UTF-16
// units differ: diagnostics, their fix, hover, definition, references
// and an incremental change given in UTF-16 columns.
func TestUnicode(t *testing.T) {
	c := startServer(t)
	c.initialize()
	d := doc{uri: "untitled:cafe", text: unicodeSrc}
	ds := c.open(d.uri, d.text)
	// Line 10: 4 spaces, "on Émettre: " is 12 units (13 bytes), "𝒜ttente"
	// 8 (10 bytes), " -> " 4: Étée starts at unit 28, byte 31 (esgen
	// check says column 32).
	got := lspLines(t, d.text, ds)
	want := "10:32: error[E007]: undeclared state Étée (did you mean Été?)\n"
	if !strings.Contains(got, want) {
		t.Fatalf("diagnostics:\n%s\nwant a line\n%s", got, want)
	}
	e := ds[slicesIndex(ds, "E007")]
	if e.Range != (protocol.Range{Start: protocol.Position{Line: 9, Character: 28}, End: protocol.Position{Line: 9, Character: 32}}) {
		t.Errorf("E007 range %+v", e.Range)
	}
	if p := d.at(t, 10, "Étée", 1, 0); p != e.Range.Start {
		t.Errorf("the test's own conversion: %v", p)
	}

	var actions []protocol.CodeAction
	c.mustCall("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: d.uri}, Range: e.Range}, &actions)
	if len(actions) != 1 || actions[0].Title != "Change Étée to Été" {
		t.Fatalf("code actions: %+v", actions)
	}
	fixed := applyEdits(t, d.text, actions[0].Edit.Changes[protocol.DocumentUri(d.uri)])
	if want := strings.Replace(d.text, "Étée", "Été", 1); fixed != want {
		t.Fatalf("fixed:\n%s", fixed)
	}

	// The same fix as an incremental change in UTF-16 columns: the error
	// goes.
	ds = c.change(d.uri, 2, &actions[0].Edit.Changes[protocol.DocumentUri(d.uri)][0].Range, "Été")
	d.text = fixed
	if got := lspLines(t, d.text, ds); strings.Contains(got, "error") {
		t.Errorf("diagnostics after the fix:\n%s", got)
	}

	// 𝒜ttente on line 10 starts at unit 16 and is 8 units long.
	use := protocol.Position{Line: 9, Character: 16}
	if p := d.at(t, 10, "𝒜ttente", 1, 0); p != use {
		t.Fatalf("the test's own conversion: %v", p)
	}
	var locs []protocol.Location
	c.mustCall("textDocument/definition", protocol.DefinitionParams{TextDocumentPositionParams: d.tdp(protocol.Position{Line: 9, Character: 23})}, &locs)
	if len(locs) != 1 || locs[0].Range != (protocol.Range{Start: protocol.Position{Line: 5, Character: 10}, End: protocol.Position{Line: 5, Character: 18}}) {
		t.Errorf("definition of 𝒜ttente: %+v", locs)
	}
	h, rng := c.hover(d, use)
	if !strings.HasPrefix(h, "```esm\nstate 𝒜ttente initial\n```\n\n_state of aggregate Café_\n\n𝒜ttente 🙂: la commande attend.\n") ||
		rng == nil || *rng != (protocol.Range{Start: use, End: protocol.Position{Line: 9, Character: 24}}) {
		t.Errorf("hover of 𝒜ttente at %v:\n%s", rng, h)
	}
	c.mustCall("textDocument/references", protocol.ReferenceParams{TextDocumentPositionParams: d.tdp(d.at(t, 10, "Été", 1, 1)),
		Context: protocol.ReferenceContext{IncludeDeclaration: true}}, &locs)
	if got := spots(locs); got != "untitled:cafe:7:11+3 untitled:cafe:10:29+3" {
		t.Errorf("references of Été: %s", got)
	}
	// A position in the middle of the surrogate pair of 𝒜 is on the name.
	h, _ = c.hover(d, protocol.Position{Line: 5, Character: 11})
	if !strings.Contains(h, "state 𝒜ttente initial") {
		t.Errorf("hover inside a surrogate pair: %q", h)
	}
}

// TestTextPositions pins the conversions between byte offsets and LSP
// positions.
func TestTextPositions(t *testing.T) {
	tx := newText("aé𝒜b\r\nx\n")
	cases := []struct {
		off  int
		line int
		char int
	}{
		{0, 0, 0}, {1, 0, 1}, {3, 0, 2}, {7, 0, 4}, {8, 0, 5}, {10, 1, 0}, {11, 1, 1}, {12, 2, 0},
	}
	for _, c := range cases {
		p := tx.position(c.off)
		if int(p.Line) != c.line || int(p.Character) != c.char {
			t.Errorf("position(%d) = %v, want %d:%d", c.off, p, c.line, c.char)
		}
		if got := tx.offset(p); got != c.off {
			t.Errorf("offset(%v) = %d, want %d", p, got, c.off)
		}
	}
	for _, c := range []struct {
		p    protocol.Position
		want int
	}{
		{protocol.Position{Line: 0, Character: 3}, 3},  // inside the pair: its start
		{protocol.Position{Line: 0, Character: 99}, 8}, // past the line: its end, before \r\n
		{protocol.Position{Line: 9, Character: 0}, 12}, // past the text: its end
		{protocol.Position{Line: 1, Character: 5}, 11},
	} {
		if got := tx.offset(c.p); got != c.want {
			t.Errorf("offset(%v) = %d, want %d", c.p, got, c.want)
		}
	}
	if p := tx.position(5); p != (protocol.Position{Line: 0, Character: 2}) { // inside 𝒜's bytes
		t.Errorf("position(5) = %v", p)
	}
}
