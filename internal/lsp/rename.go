package lsp

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/esgen/esgen/dsl"
)

// errRename is the error of every rename the server refuses; the message
// says why.
var errRename = errors.New("cannot rename")

// renameTarget finds what a rename at pos would rename: the symbol and
// every place it is written. It refuses a position with no name, a name
// declared nowhere in the package, and a file of the package with syntax
// errors that could hold uses of the name.
func (s *server) renameTarget(doc protocol.TextDocumentIdentifier, pos protocol.Position) (*pkg, occurrence, []located, error) {
	p, u, o, ok, err := s.symbolAt(doc, pos)
	switch {
	case err != nil:
		return nil, occurrence{}, nil, err
	case u.idx == nil:
		return nil, occurrence{}, nil, fmt.Errorf("%w: %s has syntax errors; fix them first", errRename, filepath.Base(u.path))
	case !ok:
		return nil, occurrence{}, nil, fmt.Errorf("%w: there is no state, command, event, type, aggregate or process name here", errRename)
	}
	if packageWide(o.sym.kind) {
		for _, other := range p.units {
			if other.idx == nil {
				return nil, occurrence{}, nil, fmt.Errorf("%w: %s has syntax errors, so its uses of %s cannot be found; fix them first",
					errRename, filepath.Base(other.path), o.sym.name)
			}
		}
	}
	all := p.occurrences(o.sym, u)
	if !slices.ContainsFunc(all, func(l located) bool { return l.o.def }) {
		return nil, occurrence{}, nil, fmt.Errorf("%w: %s %s is not declared in this package", errRename, o.sym.kind, qualified(o.sym))
	}
	return p, o, all, nil
}

// packageWide reports whether names of kind may be used in other files
// of the package: those of aggregates and their members, and processes.
func packageWide(kind symKind) bool {
	switch kind {
	case symType, symExtern, symProcessState:
		return false
	}
	return true
}

// qualified is the name as a process writes it: Order.Submit for a
// member of an aggregate.
func qualified(sym symbol) string {
	switch sym.kind {
	case symState, symCommand, symEvent:
		return sym.owner + "." + sym.name
	}
	return sym.name
}

// prepareRename answers whether the name at the cursor can be renamed,
// with its range.
func (s *server) prepareRename(_ *glsp.Context, params *protocol.PrepareRenameParams) (any, error) {
	_, o, all, err := s.renameTarget(params.TextDocument, params.Position)
	if err != nil {
		return nil, err
	}
	for _, l := range all {
		if l.o.start == o.start && l.o.end == o.end {
			r := l.location().Range
			return r, nil
		}
	}
	return nil, nil
}

// rename renames a state, command, event, type, extern, aggregate or
// process everywhere it is written: in this file and, for what other
// files may name (an aggregate and its members, a process), in the other
// files of the package. It refuses a new name that is not a name, one
// already declared where it would clash, and one that makes the package
// check with errors it did not have.
func (s *server) rename(_ *glsp.Context, params *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	p, o, all, err := s.renameTarget(params.TextDocument, params.Position)
	if err != nil {
		return nil, err
	}
	newName := params.NewName
	if !dsl.IsName(newName) {
		return nil, fmt.Errorf("%w: %q is not a name: a name is a letter or _ followed by letters, digits and _, and not a keyword", errRename, newName)
	}
	edit := &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{}}
	if newName == o.sym.name {
		return edit, nil
	}
	if err := checkClash(p, o.sym, newName); err != nil {
		return nil, err
	}
	// The files as the rename leaves them.
	texts := map[*unit]string{}
	byUnit := map[*unit][]located{}
	for _, l := range all {
		byUnit[l.u] = append(byUnit[l.u], l)
	}
	for u, ls := range byUnit {
		var b strings.Builder
		last := 0
		for _, l := range ls { // in source order
			b.WriteString(u.text.src[last:l.o.start])
			b.WriteString(newName)
			last = l.o.end
			edit.Changes[u.uri] = append(edit.Changes[u.uri], protocol.TextEdit{Range: u.text.rangeOf(l.o.start, l.o.end), NewText: newName})
		}
		b.WriteString(u.text.src[last:])
		texts[u] = b.String()
	}
	if err := checkRenamed(p, texts, o.sym, newName); err != nil {
		return nil, err
	}
	return edit, nil
}

// checkClash refuses a new name that is declared already where the
// renamed name is: for a member of an aggregate, among the states,
// commands and events of that aggregate (which also share Go's
// namespace); for an aggregate or a process, among the aggregates and
// processes; for a type or an extern, among those of its file; for a
// state of a process, among its states.
func checkClash(p *pkg, sym symbol, newName string) error {
	var kinds []symKind
	switch sym.kind {
	case symState, symCommand, symEvent:
		kinds = []symKind{symState, symCommand, symEvent}
	case symAggregate, symProcess:
		kinds = []symKind{symAggregate, symProcess}
	case symType, symExtern:
		kinds = []symKind{symType, symExtern}
	default:
		kinds = []symKind{sym.kind}
	}
	for _, u := range p.units {
		if u.idx == nil {
			continue
		}
		for _, o := range u.idx.occs {
			if o.def && o.sym.name == newName && o.sym.owner == sym.owner && slices.Contains(kinds, o.sym.kind) {
				where := ""
				if sym.owner != "" && packageWide(sym.kind) {
					where = " in " + ownerKind(sym) + " " + sym.owner
				}
				return fmt.Errorf("%w: %s is already the name of a %s%s (%s:%d)", errRename, newName, o.sym.kind, where,
					filepath.Base(u.path), u.text.position(o.start).Line+1)
			}
		}
	}
	return nil
}

// ownerKind names what owns a member symbol.
func ownerKind(sym symbol) string {
	if sym.kind == symProcessState {
		return "process"
	}
	return "aggregate"
}

// checkRenamed checks the package with the renamed texts and refuses the
// rename when it has errors of a code more often than before: a new name
// whose Go identifiers collide with others, say.
func checkRenamed(p *pkg, texts map[*unit]string, sym symbol, newName string) error {
	before := map[string]int{}
	var in []dsl.Source
	for _, u := range p.units {
		for _, d := range u.diags {
			if d.Severity == dsl.SeverityError {
				before[d.Code]++
			}
		}
		src, ok := texts[u]
		if !ok {
			src = u.text.src
		}
		in = append(in, dsl.Source{Name: u.path, Data: []byte(src)})
	}
	_, after := dsl.LoadPackage(in)
	for _, d := range after {
		if d.Severity != dsl.SeverityError {
			continue
		}
		if before[d.Code] > 0 {
			before[d.Code]--
			continue
		}
		msg := d.Message
		if d.Suggestion != "" {
			msg += " (" + d.Suggestion + ")"
		}
		return fmt.Errorf("%w %s to %s: %s:%d:%d: %s", errRename, sym.name, newName,
			filepath.Base(d.Pos.Filename), d.Pos.Line, d.Pos.Column, msg)
	}
	return nil
}
