package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/esgen/esgen/dsl"
)

// lspLines formats diagnostics as `esgen check` prints positions:
// line:column: severity[code]: message, from the LSP's 0-based lines and
// UTF-16 columns converted back by the text.
func lspLines(t testing.TB, src string, ds []diagnostic) string {
	t.Helper()
	tx := newText(src)
	var b strings.Builder
	for _, d := range ds {
		off := tx.offset(d.Range.Start)
		line := int(d.Range.Start.Line) + 1
		col := off - tx.lines[d.Range.Start.Line] + 1 // bytes, as esgen check counts
		sev := "error"
		if d.Severity != nil && *d.Severity == protocol.DiagnosticSeverityWarning {
			sev = "warning"
		}
		fmt.Fprintf(&b, "%d:%d: %s[%s]: %s\n", line, col, sev, d.Code, d.Message)
	}
	return b.String()
}

// checkLines formats what dsl.LoadPackage, as esgen check runs it on the
// files of dir, reports for the file name, as lspLines does.
func checkLines(t testing.TB, dir, name string, override map[string]string) string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.esm"))
	if err != nil {
		t.Fatal(err)
	}
	var srcs []dsl.Source
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := override[filepath.Base(p)]; ok {
			b = []byte(s)
		}
		srcs = append(srcs, dsl.Source{Name: p, Data: b})
	}
	_, ds := dsl.LoadPackage(srcs)
	var b strings.Builder
	for _, d := range ds {
		if filepath.Base(d.Pos.Filename) != name {
			continue
		}
		msg := d.Message
		if d.Suggestion != "" {
			msg += " (" + d.Suggestion + ")"
		}
		fmt.Fprintf(&b, "%d:%d: %s[%s]: %s\n", d.Pos.Line, d.Pos.Column, d.Severity, d.Code, msg)
	}
	return b.String()
}

// TestDiagnosticsAsYouType edits examples/orders.esm and checks that the
// diagnostics of each version, in it and in the other open file of its
// package, are those esgen check reports for the same text.
func TestDiagnosticsAsYouType(t *testing.T) {
	dir := examples(t)
	c := startServer(t)
	c.initialize()
	orders, ds := c.openFile(dir, "orders.esm")
	if len(ds) != 0 {
		t.Fatalf("orders.esm: %v", ds)
	}
	fulfilment, _ := c.openFile(dir, "fulfilment.esm")

	// A misspelt state: an incremental change of one word.
	p := orders.at(t, 61, "Submitted", 1, 0)
	rng := protocol.Range{Start: p, End: protocol.Position{Line: p.Line, Character: p.Character + 9}}
	ds = c.change(orders.uri, 2, &rng, "Submited")
	edited := applyEdits(t, orders.text, []protocol.TextEdit{{Range: rng, NewText: "Submited"}})
	got, want := lspLines(t, edited, ds), checkLines(t, dir, "orders.esm", map[string]string{"orders.esm": edited})
	if got != want || !strings.Contains(got, "61:25: error[E007]: undeclared state Submited (did you mean Submitted?)") {
		t.Errorf("diagnostics:\n%s\nwant (esgen check)\n%s", got, want)
	}
	if d := ds[slicesIndex(ds, "E007")]; d.Range != (protocol.Range{Start: p, End: protocol.Position{Line: p.Line, Character: p.Character + 8}}) ||
		*d.Source != "esgen" || *d.Severity != protocol.DiagnosticSeverityError {
		t.Errorf("E007: %+v", d)
	}

	// The quick fix of the did-you-mean puts the text back.
	var actions []protocol.CodeAction
	c.mustCall("textDocument/codeAction", protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: orders.uri}, Range: protocol.Range{Start: p, End: p},
	}, &actions)
	if len(actions) != 1 || actions[0].Title != "Change Submited to Submitted" || *actions[0].Kind != protocol.CodeActionKindQuickFix ||
		len(actions[0].Diagnostics) != 1 || *actions[0].IsPreferred != true {
		t.Fatalf("code actions: %+v", actions)
	}
	if fixed := applyEdits(t, edited, actions[0].Edit.Changes[orders.uri]); fixed != orders.text || len(actions[0].Edit.Changes) != 1 {
		t.Errorf("the fix gives:\n%s", fixed)
	}
	// None for a refactoring, nor where no diagnostic has a fix.
	c.mustCall("textDocument/codeAction", protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: orders.uri}, Range: protocol.Range{Start: p, End: p},
		Context: protocol.CodeActionContext{Only: []protocol.CodeActionKind{protocol.CodeActionKindRefactor}},
	}, &actions)
	if len(actions) != 0 {
		t.Errorf("refactorings: %+v", actions)
	}
	c.mustCall("textDocument/codeAction", protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: orders.uri}, Range: protocol.Range{End: protocol.Position{Line: 5}},
	}, &actions)
	if len(actions) != 0 {
		t.Errorf("code actions at the top: %+v", actions)
	}

	// The other open file of the package hears of it: an event of Order
	// renamed in orders.esm is missing in fulfilment.esm.
	c.change(orders.uri, 3, nil, orders.text) // back to the example
	n := c.published()
	renamed := strings.ReplaceAll(orders.text, "OrderSubmitted", "OrderPlaced")
	c.change(orders.uri, 4, nil, renamed)
	pub, _ := c.waitDiagnostics(fulfilment.uri, 1, n)
	got, want = lspLines(t, fulfilment.text, pub.Diagnostics), checkLines(t, dir, "fulfilment.esm", map[string]string{"orders.esm": renamed})
	if got != want || !strings.Contains(got, "28:14: error[E007]: aggregate Order has no event OrderSubmitted\n") {
		t.Errorf("fulfilment.esm:\n%s\nwant (esgen check)\n%s", got, want)
	}

	// Closing a document clears its diagnostics; the package then reads
	// it from disk.
	n = c.published()
	c.notify("textDocument/didClose", protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: orders.uri}})
	pub, n = c.waitDiagnostics(orders.uri, -1, n)
	if len(pub.Diagnostics) != 0 || pub.Diagnostics == nil {
		t.Errorf("diagnostics of a closed document: %+v", pub.Diagnostics)
	}
	pub, _ = c.waitDiagnostics(fulfilment.uri, 1, n)
	if len(pub.Diagnostics) != 0 {
		t.Errorf("fulfilment.esm with orders.esm closed: %+v", pub.Diagnostics)
	}
}

// slicesIndex returns the index of the first diagnostic of code.
func slicesIndex(ds []diagnostic, code string) int {
	for i, d := range ds {
		if d.Code == code {
			return i
		}
	}
	return -1
}

// TestSyntaxErrors checks that a file that does not parse gets its syntax
// error, and that the file's other features degrade without failing.
func TestSyntaxErrors(t *testing.T) {
	dir := examples(t)
	c := startServer(t)
	c.initialize()
	orders, _ := c.openFile(dir, "orders.esm")
	broken := strings.Replace(orders.text, "on Fulfill:", "on Fulfill", 1)
	ds := c.change(orders.uri, 2, nil, broken)
	got, want := lspLines(t, broken, ds), checkLines(t, dir, "orders.esm", map[string]string{"orders.esm": broken})
	if got != want || !strings.Contains(got, "error[E001]") {
		t.Errorf("diagnostics:\n%s\nwant\n%s", got, want)
	}
	if h, _ := c.hover(orders, orders.at(t, 21, "Submitted", 1, 0)); h != "" {
		t.Errorf("hover in a file that does not parse: %q", h)
	}
	var locs []protocol.Location
	c.mustCall("textDocument/definition", protocol.DefinitionParams{TextDocumentPositionParams: orders.tdp(orders.at(t, 61, "Submitted", 1, 0))}, &locs)
	if locs != nil {
		t.Errorf("definition in a file that does not parse: %v", locs)
	}
}
