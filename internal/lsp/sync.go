package lsp

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// didOpen records the document and publishes the diagnostics of its
// package.
func (s *server) didOpen(_ *glsp.Context, p *protocol.DidOpenTextDocumentParams) error {
	d := s.ws.open(p.TextDocument.URI, p.TextDocument.Version, p.TextDocument.Text)
	s.publish(s.ws.analyze(d.key), d)
	return nil
}

// didChange applies the changes in order (ranges in the text as each
// change leaves it, or the whole text), then checks the package again and
// publishes its diagnostics before the next message is read.
func (s *server) didChange(_ *glsp.Context, p *protocol.DidChangeTextDocumentParams) error {
	d, err := s.ws.doc(p.TextDocument.URI)
	if err != nil {
		return err
	}
	cur := d.text
	for i, c := range p.ContentChanges {
		switch c := c.(type) {
		case protocol.TextDocumentContentChangeEventWhole:
			cur = newText(c.Text)
		case protocol.TextDocumentContentChangeEvent:
			start, end := cur.offset(c.Range.Start), cur.offset(c.Range.End)
			if end < start {
				return fmt.Errorf("change %d of %s: range ends before it starts", i, d.uri)
			}
			cur = newText(cur.src[:start] + c.Text + cur.src[end:])
		default:
			return fmt.Errorf("change %d of %s: unknown kind %T", i, d.uri, c)
		}
	}
	d.text = cur
	d.version = p.TextDocument.Version
	s.publish(s.ws.analyze(d.key), d)
	return nil
}

// didSave checks the package again, reading again the files of the
// directory that changed on disk meanwhile (saved from another editor,
// checked out).
func (s *server) didSave(_ *glsp.Context, p *protocol.DidSaveTextDocumentParams) error {
	d, err := s.ws.doc(p.TextDocument.URI)
	if err != nil {
		return err
	}
	s.publish(s.ws.analyze(d.key), d)
	return nil
}

// didClose forgets the document, clears its diagnostics and publishes
// those of the other open documents of its package, which now see the
// file on disk.
func (s *server) didClose(_ *glsp.Context, p *protocol.DidCloseTextDocumentParams) error {
	d := s.ws.close(p.TextDocument.URI)
	if d == nil {
		return nil
	}
	s.notify(string(protocol.ServerTextDocumentPublishDiagnostics), protocol.PublishDiagnosticsParams{
		URI: d.uri, Diagnostics: []protocol.Diagnostic{},
	})
	if d.key != d.path {
		s.publish(s.ws.analyze(d.key), nil)
	}
	return nil
}

// publish sends the diagnostics of every open document of p, those of
// first (the document that changed) first.
func (s *server) publish(p *pkg, first *document) {
	units := slices.Clone(p.units)
	slices.SortStableFunc(units, func(a, b *unit) int {
		return cmp.Compare(boolInt(a.doc != first), boolInt(b.doc != first))
	})
	for _, u := range units {
		if u.doc == nil {
			continue
		}
		ds := make([]protocol.Diagnostic, 0, len(u.diags))
		for _, d := range u.diags {
			ds = append(ds, lspDiagnostic(u.text, d))
		}
		params := protocol.PublishDiagnosticsParams{URI: u.uri, Diagnostics: ds}
		if u.doc.version >= 0 {
			v := protocol.UInteger(u.doc.version)
			params.Version = &v
		}
		s.notify(string(protocol.ServerTextDocumentPublishDiagnostics), params)
	}
}

// boolInt is 1 for true.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
