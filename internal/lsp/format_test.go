package lsp

import (
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/esgen/esgen/dsl"
)

// format asks to format d.
func (c *testClient) format(d doc) ([]protocol.TextEdit, error) {
	var edits []protocol.TextEdit
	err := c.call("textDocument/formatting", protocol.DocumentFormattingParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: d.uri},
		Options:      protocol.FormattingOptions{"tabSize": 4, "insertSpaces": true},
	}, &edits)
	return edits, err
}

// TestFormatting formats examples/orders.esm as esgen fmt does.
func TestFormatting(t *testing.T) {
	dir := examples(t)
	c := startServer(t)
	c.initialize()
	orders, _ := c.openFile(dir, "orders.esm")

	edits, err := c.format(orders)
	if err != nil || edits == nil || len(edits) != 0 {
		t.Errorf("formatting the formatted example: %v, %v", edits, err)
	}

	messy := strings.NewReplacer("\n    ", "\n  ", " -> ", "->", "{ ", "{").Replace(orders.text)
	c.change(orders.uri, 2, nil, messy)
	edits, err = c.format(orders)
	if err != nil {
		t.Fatal(err)
	}
	want, ds := dsl.Format(orders.path, []byte(messy))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	end := newText(messy).position(len(messy))
	if len(edits) != 1 || edits[0].Range != (protocol.Range{End: end}) || edits[0].NewText != string(want) {
		t.Fatalf("edits: %+v", edits)
	}
	if got := applyEdits(t, messy, edits); got != orders.text {
		t.Errorf("formatted:\n%s", got)
	}

	c.change(orders.uri, 3, nil, messy+"\naggregate {\n")
	_, err = c.format(orders)
	if e := rpcError(t, err); e.Code != codeRequestFailed ||
		!strings.HasPrefix(e.Message, "cannot format orders.esm: it has syntax errors: orders.esm:72:11: ") {
		t.Errorf("formatting a file with a syntax error: %d %q", e.Code, e.Message)
	}
}
