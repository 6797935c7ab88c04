package lsp

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/esgen/esgen/dsl"
)

// applyEdits applies non-overlapping edits to src.
func applyEdits(t testing.TB, src string, edits []protocol.TextEdit) string {
	t.Helper()
	tx := newText(src)
	sorted := slices.Clone(edits)
	slices.SortFunc(sorted, func(a, b protocol.TextEdit) int { return tx.offset(b.Range.Start) - tx.offset(a.Range.Start) })
	for _, e := range sorted {
		start, end := tx.offset(e.Range.Start), tx.offset(e.Range.End)
		src = src[:start] + e.NewText + src[end:]
	}
	return src
}

// renameAt asks to rename the name at p to newName.
func (c *testClient) renameAt(d doc, p protocol.Position, newName string) (*protocol.WorkspaceEdit, error) {
	var edit *protocol.WorkspaceEdit
	err := c.call("textDocument/rename", protocol.RenameParams{TextDocumentPositionParams: d.tdp(p), NewName: newName}, &edit)
	return edit, err
}

// applyRename applies a rename's edits to the package's files on disk
// and returns them checked together.
func applyRename(t *testing.T, dir string, edit *protocol.WorkspaceEdit) dsl.Diagnostics {
	t.Helper()
	for uri, edits := range edit.Changes {
		path, ok := uriPath(uri)
		if !ok || filepath.Dir(path) != dir {
			t.Fatalf("edit of %s, outside the package %s", uri, dir)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(applyEdits(t, string(b), edits)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.esm"))
	var srcs []dsl.Source
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, dsl.Source{Name: p, Data: b})
	}
	_, ds := dsl.LoadPackage(srcs)
	return ds
}

// editSpots formats a rename's edits, by file, as spots.
func editSpots(edit *protocol.WorkspaceEdit, newName string, t *testing.T) string {
	var out []string
	for uri, edits := range edit.Changes {
		for _, e := range edits {
			if e.NewText != newName {
				t.Errorf("edit writes %q, want %q", e.NewText, newName)
			}
			out = append(out, spot(protocol.Location{URI: uri, Range: e.Range}))
		}
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// TestRename renames a state, an event across files (one of them not
// open), an aggregate and a type, and checks that the package checks as
// cleanly afterwards.
func TestRename(t *testing.T) {
	cases := []struct {
		file, word string
		line       int
		newName    string
		want       string
	}{
		{"orders.esm", "Submitted", 61, "Placed",
			"orders.esm:21:11+9 orders.esm:61:25+9 orders.esm:63:25+9 orders.esm:64:25+9 orders.esm:66:23+9"},
		{"fulfilment.esm", "OrderSubmitted", 28, "OrderPlaced",
			"fulfilment.esm:28:14+14 orders.esm:42:11+14 orders.esm:47:11+14 orders.esm:61:41+14 orders.esm:69:21+14"},
		{"orders.esm", "LineItem", 7, "Item",
			"orders.esm:22:24+8 orders.esm:33:30+8 orders.esm:43:24+8 orders.esm:48:24+8 orders.esm:7:6+8"},
		{"fulfilment.esm", "Paying", 15, "Charging",
			"fulfilment.esm:15:11+6 fulfilment.esm:28:38+6 fulfilment.esm:30:41+6 fulfilment.esm:34:33+6 fulfilment.esm:37:33+6 fulfilment.esm:56:18+6 fulfilment.esm:56:44+6"},
	}
	for _, tc := range cases {
		t.Run(tc.word, func(t *testing.T) {
			dir := examples(t)
			c := startServer(t)
			c.initialize()
			d, _ := c.openFile(dir, tc.file)
			p := d.at(t, tc.line, tc.word, 1, 0)
			var rng *protocol.Range
			c.mustCall("textDocument/prepareRename", protocol.PrepareRenameParams{TextDocumentPositionParams: d.tdp(p)}, &rng)
			if want := (protocol.Range{Start: p, End: protocol.Position{Line: p.Line, Character: p.Character + protocol.UInteger(len(tc.word))}}); rng == nil || *rng != want {
				t.Errorf("prepareRename: %v, want %v", rng, want)
			}
			edit, err := c.renameAt(d, p, tc.newName)
			if err != nil {
				t.Fatal(err)
			}
			if got := editSpots(edit, tc.newName, t); got != tc.want {
				t.Errorf("edits:\n%s\nwant\n%s", got, tc.want)
			}
			if ds := applyRename(t, dir, edit); len(ds) != 0 {
				t.Errorf("the package after the rename:\n%v", ds)
			}
		})
	}
}

// TestRenameAggregate renames Order in the file declaring it: every
// process of the package follows.
func TestRenameAggregate(t *testing.T) {
	dir := examples(t)
	c := startServer(t)
	c.initialize()
	d, _ := c.openFile(dir, "orders.esm")
	edit, err := c.renameAt(d, d.at(t, 14, "Order", 1, 2), "Purchase")
	if err != nil {
		t.Fatal(err)
	}
	fulfilment, err := os.ReadFile(filepath.Join(dir, "fulfilment.esm"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(edit.Changes[fileURI(filepath.Join(dir, "fulfilment.esm"))]), strings.Count(string(fulfilment), "Order.")+1; got != want {
		t.Errorf("%d edits of fulfilment.esm, want %d", got, want)
	}
	if ds := applyRename(t, dir, edit); len(ds) != 0 {
		t.Errorf("the package after the rename:\n%v", ds)
	}
}

// TestRenameRefused checks the renames the server refuses, and why.
func TestRenameRefused(t *testing.T) {
	dir := examples(t)
	c := startServer(t)
	c.initialize()
	d, _ := c.openFile(dir, "orders.esm")
	submitted := d.at(t, 61, "Submitted", 1, 0)
	cases := []struct {
		p       protocol.Position
		newName string
		want    string
	}{
		{submitted, "1x", `cannot rename: "1x" is not a name: a name is a letter or _ followed by letters, digits and _, and not a keyword`},
		{submitted, "state", `cannot rename: "state" is not a name: a name is a letter or _ followed by letters, digits and _, and not a keyword`},
		{submitted, "Draft", "cannot rename: Draft is already the name of a state in aggregate Order (orders.esm:19)"},
		{submitted, "Cancel", "cannot rename: Cancel is already the name of a command in aggregate Order (orders.esm:39)"},
		{submitted, "OrderState", "cannot rename Submitted to OrderState: orders.esm:21:5: Go identifier OrderState of state OrderState collides with the state interface for aggregate Order at line 14"},
		{d.at(t, 7, "LineItem", 1, 0), "Draft", "cannot rename LineItem to Draft: orders.esm:19:5: Go identifier Draft of state Draft collides with type Draft at line 7"},
		{d.at(t, 61, "emits", 1, 0), "X", "cannot rename: there is no state, command, event, type, aggregate or process name here"},
	}
	for _, tc := range cases {
		_, err := c.renameAt(d, tc.p, tc.newName)
		if err == nil {
			t.Errorf("rename to %s accepted", tc.newName)
			continue
		}
		if e := rpcError(t, err); e.Code != codeRequestFailed || e.Message != tc.want {
			t.Errorf("rename to %s: %d %q\nwant %q", tc.newName, e.Code, e.Message, tc.want)
		}
	}

	// A file of the package that does not parse may hold uses: refused.
	pay, _ := c.openFile(dir, "payments.esm")
	c.change(pay.uri, 2, nil, pay.text+"\naggregate {\n")
	_, err := c.renameAt(d, submitted, "Placed")
	if e := rpcError(t, err); e.Message != "cannot rename: payments.esm has syntax errors, so its uses of Submitted cannot be found; fix them first" {
		t.Errorf("rename with another file broken: %q", e.Message)
	}
	// Unless the name cannot be used there: a type is the file's own.
	if _, err := c.renameAt(d, d.at(t, 7, "LineItem", 1, 0), "Line"); err != nil {
		t.Errorf("rename of a type with another file broken: %v", err)
	}
	// The file itself does not parse: refused.
	c.change(d.uri, 2, nil, d.text+"\naggregate {\n")
	_, err = c.renameAt(d, submitted, "Placed")
	if e := rpcError(t, err); e.Message != "cannot rename: orders.esm has syntax errors; fix them first" {
		t.Errorf("rename in a broken file: %q", e.Message)
	}
}
