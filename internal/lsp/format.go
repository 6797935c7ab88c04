package lsp

import (
	"fmt"
	"path/filepath"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/esgen/esgen/dsl"
)

// formatting answers a formatting request with what esgen fmt writes: one
// edit replacing the whole text, none when the text is formatted already.
// A file with syntax errors is refused, as esgen fmt refuses it.
func (s *server) formatting(_ *glsp.Context, params *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	d, err := s.ws.doc(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	out, diags := dsl.Format(d.path, []byte(d.text.src))
	if diags.HasErrors() {
		first := diags[0]
		more := ""
		if len(diags) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(diags)-1)
		}
		return nil, fmt.Errorf("cannot format %s: it has syntax errors: %s:%d:%d: %s%s",
			filepath.Base(d.path), filepath.Base(first.Pos.Filename), first.Pos.Line, first.Pos.Column, first.Message, more)
	}
	if string(out) == d.text.src {
		return []protocol.TextEdit{}, nil
	}
	return []protocol.TextEdit{{Range: d.text.rangeOf(0, len(d.text.src)), NewText: string(out)}}, nil
}
