package lsp

import (
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// located is an occurrence in a file of the package.
type located struct {
	u *unit
	o occurrence
}

// location is the LSP location of the occurrence.
func (l located) location() protocol.Location {
	return protocol.Location{URI: l.u.uri, Range: l.u.text.rangeOf(l.o.start, l.o.end)}
}

// occurrences returns every place sym is written in the files of p that
// parse, those of first (the file asked about) first, each file in
// source order.
func (p *pkg) occurrences(sym symbol, first *unit) []located {
	var out []located
	add := func(u *unit) {
		if u.idx == nil {
			return
		}
		for _, o := range u.idx.occs {
			if o.sym == sym {
				out = append(out, located{u, o})
			}
		}
	}
	add(first)
	for _, u := range p.units {
		if u != first {
			add(u)
		}
	}
	return out
}

// symbolAt returns the package of the document, its unit and the name
// written at pos; ok is false when there is no name there, or the file
// does not parse.
func (s *server) symbolAt(doc protocol.TextDocumentIdentifier, pos protocol.Position) (*pkg, *unit, occurrence, bool, error) {
	p, u, err := s.ws.unitOf(doc.URI)
	if err != nil {
		return nil, nil, occurrence{}, false, err
	}
	if u.idx == nil {
		return p, u, occurrence{}, false, nil
	}
	o, ok := u.idx.at(u.text.offset(pos))
	return p, u, o, ok, nil
}

// definition answers go to definition: the declarations of the name at
// the cursor, in this file or another file of the package (every
// version of an event).
func (s *server) definition(_ *glsp.Context, params *protocol.DefinitionParams) (any, error) {
	p, u, o, ok, err := s.symbolAt(params.TextDocument, params.Position)
	if err != nil || !ok {
		return nil, err
	}
	locs := []protocol.Location{}
	for _, l := range p.occurrences(o.sym, u) {
		if l.o.def {
			locs = append(locs, l.location())
		}
	}
	if len(locs) == 0 {
		return nil, nil // declared nowhere in the package: the checker says so
	}
	return locs, nil
}

// references answers find references: every place the name at the cursor
// is written in the package, declarations included when asked.
func (s *server) references(_ *glsp.Context, params *protocol.ReferenceParams) ([]protocol.Location, error) {
	p, u, o, ok, err := s.symbolAt(params.TextDocument, params.Position)
	if err != nil || !ok {
		return nil, err
	}
	locs := []protocol.Location{}
	for _, l := range p.occurrences(o.sym, u) {
		if !l.o.def || params.Context.IncludeDeclaration {
			locs = append(locs, l.location())
		}
	}
	return locs, nil
}
