package lsp

import (
	"slices"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// codeAction offers a quick fix for each did-you-mean of the document
// whose range meets the requested range: replacing the misspelt name by
// the suggested one. The fixes are those of the server's own, current
// diagnostics, not the client's copies.
func (s *server) codeAction(_ *glsp.Context, params *protocol.CodeActionParams) (any, error) {
	_, u, err := s.ws.unitOf(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	// A kind in Only asks for itself and the kinds under it: quickfix, or
	// the empty kind, which is above every kind.
	if len(params.Context.Only) > 0 && !slices.ContainsFunc(params.Context.Only, func(k protocol.CodeActionKind) bool {
		return k == protocol.CodeActionKindQuickFix || k == protocol.CodeActionKindEmpty
	}) {
		return []protocol.CodeAction{}, nil
	}
	from, to := u.text.offset(params.Range.Start), u.text.offset(params.Range.End)
	actions := []protocol.CodeAction{}
	for _, d := range u.diags {
		if d.Fix == nil {
			continue
		}
		start, end := d.Fix.Pos.Offset, d.Fix.End.Offset
		if end < from || start > to || end > len(u.text.src) {
			continue
		}
		old := u.text.src[start:end]
		kind := protocol.CodeActionKindQuickFix
		preferred := true
		actions = append(actions, protocol.CodeAction{
			Title:       "Change " + old + " to " + d.Fix.Text,
			Kind:        &kind,
			Diagnostics: []protocol.Diagnostic{lspDiagnostic(u.text, d)},
			IsPreferred: &preferred,
			Edit: &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{
				u.uri: {{Range: u.text.rangeOf(start, end), NewText: d.Fix.Text}},
			}},
		})
	}
	return actions, nil
}
