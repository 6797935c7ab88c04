package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// doc is a document opened in a test.
type doc struct {
	uri  string
	path string
	text string
}

// openFile opens the file name of dir with its content on disk.
func (c *testClient) openFile(dir, name string) (doc, []diagnostic) {
	c.t.Helper()
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	d := doc{uri: string(fileURI(path)), path: path, text: string(b)}
	return d, c.open(d.uri, d.text)
}

// at returns the position of the n-th (from 1) occurrence of needle on
// the line (1-based) of d, plus shift UTF-16 units.
func (d doc) at(t testing.TB, line int, needle string, n int, shift int) protocol.Position {
	t.Helper()
	lines := strings.Split(d.text, "\n")
	if line < 1 || line > len(lines) {
		t.Fatalf("%s has no line %d", d.path, line)
	}
	s := lines[line-1]
	off := -1
	for i := 0; i < n; i++ {
		j := strings.Index(s[off+1:], needle)
		if j < 0 {
			t.Fatalf("%s:%d: %q has no occurrence %d of %q", d.path, line, s, n, needle)
		}
		off += 1 + j
	}
	p := newText(d.text).position(newText(d.text).lines[line-1] + off)
	p.Character += protocol.UInteger(shift)
	return p
}

// tdp is the text document position params of a position in d.
func (d doc) tdp(p protocol.Position) protocol.TextDocumentPositionParams {
	return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: d.uri}, Position: p}
}

// hover returns the Markdown of the hover at p, "" for none.
func (c *testClient) hover(d doc, p protocol.Position) (string, *protocol.Range) {
	c.t.Helper()
	var h *struct {
		Contents protocol.MarkupContent
		Range    *protocol.Range
	}
	c.mustCall("textDocument/hover", protocol.HoverParams{TextDocumentPositionParams: d.tdp(p)}, &h)
	if h == nil {
		return "", nil
	}
	if h.Contents.Kind != protocol.MarkupKindMarkdown {
		c.t.Errorf("hover kind %q", h.Contents.Kind)
	}
	return h.Contents.Value, h.Range
}
