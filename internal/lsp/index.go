package lsp

import (
	"slices"

	"github.com/esgen/esgen/dsl/ast"
)

// symKind is what a name declares.
type symKind int

const (
	symType         symKind = iota + 1 // a value type, scoped to its file
	symExtern                          // an extern, scoped to its file
	symAggregate                       // an aggregate of the package
	symProcess                         // a process of the package
	symState                           // a state of an aggregate
	symCommand                         // a command of an aggregate
	symEvent                           // an event of an aggregate
	symProcessState                    // a state of a process
)

// String names the kind as the language does.
func (k symKind) String() string {
	switch k {
	case symType:
		return "type"
	case symExtern:
		return "extern"
	case symAggregate:
		return "aggregate"
	case symProcess:
		return "process"
	case symState, symProcessState:
		return "state"
	case symCommand:
		return "command"
	case symEvent:
		return "event"
	}
	return "name"
}

// symbol identifies a declared name across the files of a package.
// Aggregates and processes are package-wide; their members are found by
// the aggregate's or process's name, so `Order.OrderSubmitted` in a
// process of one file is the event of aggregate Order in another; types
// and externs belong to their file.
type symbol struct {
	kind symKind
	// owner is the aggregate or process of a member, the file path of a
	// type or an extern, and empty for aggregates and processes.
	owner string
	name  string
}

// occurrence is one place a symbol's name is written.
type occurrence struct {
	sym        symbol
	start, end int // byte offsets of the name
	def        bool
	// decl is the declaration, for a definition: *ast.TypeDecl,
	// *ast.Extern, *ast.Aggregate, *ast.Process, *ast.State,
	// *ast.Command or *ast.Event.
	decl any
}

// fieldOccurrence is the name of a declared field, for hover.
type fieldOccurrence struct {
	start, end int
	field      *ast.Field
	of         string // "state Submitted of aggregate Order"
}

// index is every name written in one parsed file, in source order.
type index struct {
	occs   []occurrence
	fields []fieldOccurrence
}

// at returns the occurrence whose name holds byte offset off, or touches
// it from the left (the cursor just after a name is on it).
func (x *index) at(off int) (occurrence, bool) {
	for _, o := range x.occs {
		if o.start <= off && off <= o.end {
			return o, true
		}
	}
	return occurrence{}, false
}

// fieldAt returns the field whose name holds off.
func (x *index) fieldAt(off int) (fieldOccurrence, bool) {
	for _, f := range x.fields {
		if f.start <= off && off <= f.end {
			return f, true
		}
	}
	return fieldOccurrence{}, false
}

// indexer builds an index from a syntax tree.
type indexer struct {
	path  string
	local map[string]symKind // the file's value types and externs
	x     *index
}

// buildIndex indexes the names of f, the parsed file at path. It resolves
// what the syntax says (which aggregate a qualified name names, what a
// field type names) without the checker, so that it works on files with
// errors.
func buildIndex(path string, f *ast.File) *index {
	ix := &indexer{path: path, local: map[string]symKind{}, x: &index{}}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.TypeDecl:
			ix.local[d.Name.Name] = symType
		case *ast.Extern:
			if _, ok := ix.local[d.Name.Name]; !ok {
				ix.local[d.Name.Name] = symExtern
			}
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.Extern:
			ix.add(d.Name, symbol{symExtern, path, d.Name.Name}, d)
		case *ast.TypeDecl:
			ix.add(d.Name, symbol{symType, path, d.Name.Name}, d)
			ix.body(d.Body, "type "+d.Name.Name)
		case *ast.Aggregate:
			ix.aggregate(d)
		case *ast.Process:
			ix.process(d)
		}
	}
	slices.SortStableFunc(ix.x.occs, func(a, b occurrence) int { return a.start - b.start })
	return ix.x
}

// add records a definition (decl set) or a use (decl nil) of sym at id.
func (ix *indexer) add(id *ast.Ident, sym symbol, decl any) {
	if id == nil || id.Name == "" {
		return
	}
	ix.x.occs = append(ix.x.occs, occurrence{sym: sym, start: id.Pos.Offset, end: id.Pos.Offset + len(id.Name), def: decl != nil, decl: decl})
}

// use records a use of sym at id.
func (ix *indexer) use(id *ast.Ident, sym symbol) { ix.add(id, sym, nil) }

func (ix *indexer) aggregate(a *ast.Aggregate) {
	name := a.Name.Name
	ix.add(a.Name, symbol{symAggregate, "", name}, a)
	of := func(what string, id *ast.Ident) string { return what + " " + id.Name + " of aggregate " + name }
	state := func(id *ast.Ident) { ix.use(id, symbol{symState, name, id.Name}) }
	for _, m := range a.Members {
		switch m := m.(type) {
		case *ast.IDOption:
			ix.typ(m.Type)
		case *ast.State:
			ix.add(m.Name, symbol{symState, name, m.Name.Name}, m)
			ix.body(m.Body, of("state", m.Name))
		case *ast.Command:
			ix.add(m.Name, symbol{symCommand, name, m.Name.Name}, m)
			ix.body(m.Body, of("command", m.Name))
		case *ast.Event:
			ix.add(m.Name, symbol{symEvent, name, m.Name.Name}, m)
			what := of("event", m.Name)
			if m.Version != nil {
				what = "event " + m.Name.Name + " " + m.Version.Text + " of aggregate " + name
			}
			ix.body(m.Body, what)
		case *ast.Transition:
			ix.use(m.Command, symbol{symCommand, name, m.Command.Name})
			for _, b := range m.Branches {
				for _, id := range b.From {
					state(id)
				}
				state(b.To)
				for _, id := range b.Emits {
					ix.use(id, symbol{symEvent, name, id.Name})
				}
			}
		case *ast.Evolve:
			for _, id := range m.States {
				state(id)
			}
			ix.use(m.Event, symbol{symEvent, name, m.Event.Name})
		case *ast.Timer:
			state(m.State)
			ix.use(m.Command, symbol{symCommand, name, m.Command.Name})
		}
	}
}

func (ix *indexer) process(p *ast.Process) {
	name := p.Name.Name
	ix.add(p.Name, symbol{symProcess, "", name}, p)
	state := func(id *ast.Ident) { ix.use(id, symbol{symProcessState, name, id.Name}) }
	branches := func(bs []*ast.ProcessBranch) {
		for _, b := range bs {
			for _, id := range b.From {
				state(id)
			}
			state(b.To)
			for _, q := range b.Sends {
				ix.qualified(q, symCommand)
			}
		}
	}
	for _, m := range p.Members {
		switch m := m.(type) {
		case *ast.IDOption:
			ix.typ(m.Type)
		case *ast.CorrelateOption:
			ix.use(m.Aggregate, symbol{symAggregate, "", m.Aggregate.Name})
		case *ast.State:
			ix.add(m.Name, symbol{symProcessState, name, m.Name.Name}, m)
			ix.body(m.Body, "state "+m.Name.Name+" of process "+name)
		case *ast.Reaction:
			kind := symEvent
			if m.Rejected != nil {
				kind = symCommand
			}
			ix.qualified(m.Input, kind)
			branches(m.Branches)
		case *ast.ProcessTimer:
			state(m.State)
			branches(m.Branches)
		}
	}
}

// qualified records Aggregate.Name, Name being of kind.
func (ix *indexer) qualified(q *ast.QualifiedName, kind symKind) {
	if q == nil || q.Aggregate == nil || q.Name == nil {
		return
	}
	ix.use(q.Aggregate, symbol{symAggregate, "", q.Aggregate.Name})
	ix.use(q.Name, symbol{kind, q.Aggregate.Name, q.Name.Name})
}

// body records the fields of a block and the types they name.
func (ix *indexer) body(b *ast.Body, of string) {
	if b == nil {
		return
	}
	for _, f := range b.Fields {
		if f.Name != nil {
			ix.x.fields = append(ix.x.fields, fieldOccurrence{start: f.Name.Pos.Offset, end: f.Name.Pos.Offset + len(f.Name.Name), field: f, of: of})
		}
		ix.typ(f.Type)
	}
}

// typ records the value types and externs a type names.
func (ix *indexer) typ(t *ast.Type) {
	for t != nil {
		switch {
		case t.Slice != nil:
			t = t.Slice
		case t.Pointer != nil:
			t = t.Pointer
		case t.Map != nil:
			ix.typ(t.Map.Key)
			t = t.Map.Elem
		default:
			if n := t.Named; n != nil && n.Sel == nil && n.First != nil {
				if k, ok := ix.local[n.First.Name]; ok {
					ix.use(n.First, symbol{k, ix.path, n.First.Name})
				}
			}
			return
		}
	}
}
