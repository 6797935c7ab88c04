// Package ast is the syntax tree of a .esm file as parsed, before names are
// resolved. Every node carries the position of its first token; closing
// braces are kept as nodes so that tools (the formatter) know where blocks
// end. The struct tags are the participle grammar of the language.
//
// Comments are not part of the grammar: the lexer keeps them aside, Parse
// collects them in File.Comments and attaches each doc comment (a block of
// `//` lines directly above a declaration) to the declaration's Doc field.
package ast

import "github.com/alecthomas/participle/v2/lexer"

// Position locates a token: file name, byte offset, 1-based line and
// 1-based byte column.
type Position = lexer.Position

// File is a parsed .esm file.
type File struct {
	Pos     Position
	Doc     *CommentGroup // comment block directly above the package clause
	Package *Package      `parser:"@@"`
	Imports []*Import     `parser:"@@*"`
	Decls   []Decl        `parser:"@@*"`
	// EOF is the position just after the last byte of the file.
	EOF Position
	// Comments holds every comment of the file in source order, doc
	// comments included.
	Comments []*CommentGroup
	// Directives holds the directives among Comments, in source order.
	Directives []*Directive
}

// Package is the package clause: the Go package name of the generated code.
type Package struct {
	Pos  Position
	Doc  *CommentGroup
	Name *Ident `parser:"'package' @@"`
}

// Import is an import declaration: `import "time"`, `import pb "x/y"` or a
// parenthesised group of specs.
type Import struct {
	Pos    Position
	Doc    *CommentGroup
	Single *ImportSpec  `parser:"'import' ( @@"`
	Group  *ImportGroup `parser:"         | @@ )"`
}

// Specs returns the import specs of the declaration.
func (im *Import) Specs() []*ImportSpec {
	if im.Single != nil {
		return []*ImportSpec{im.Single}
	}
	if im.Group != nil {
		return im.Group.Specs
	}
	return nil
}

// ImportGroup is `( spec... )`.
type ImportGroup struct {
	Pos   Position
	Specs []*ImportSpec `parser:"'(' ( @@ ';'? )*"`
	Close *RParen       `parser:"@@"`
}

// ImportSpec is one imported Go package with an optional alias.
type ImportSpec struct {
	Pos   Position
	Doc   *CommentGroup
	Alias *Ident  `parser:"@@?"`
	Path  *String `parser:"@@"`
}

// Decl is a top-level declaration: *Extern, *TypeDecl, *Aggregate or
// *Process.
type Decl interface {
	decl()
	// Position returns the position of the declaration's first token.
	Position() Position
}

// Extern declares a type of the consumer's Go package: `extern Money`.
type Extern struct {
	Pos  Position
	Doc  *CommentGroup
	Name *Ident `parser:"'extern' @@"`
}

// TypeDecl declares a value type: `type LineItem { sku string }`.
type TypeDecl struct {
	Pos  Position
	Doc  *CommentGroup
	Name *Ident `parser:"'type' @@"`
	Body *Body  `parser:"@@"`
}

// Aggregate is `[eventual] aggregate Name { member... }`.
type Aggregate struct {
	Pos      Position
	Doc      *CommentGroup
	Eventual *EventualMark `parser:"@@?"`
	Name     *Ident        `parser:"'aggregate' @@ '{'"`
	Members  []Member      `parser:"@@*"`
	Close    *RBrace       `parser:"@@"`
}

func (*Extern) decl()    {}
func (*TypeDecl) decl()  {}
func (*Aggregate) decl() {}
func (*Process) decl()   {}

// Position returns the position of the first token.
func (d *Extern) Position() Position { return d.Pos }

// Position returns the position of the first token.
func (d *TypeDecl) Position() Position { return d.Pos }

// Position returns the position of the first token.
func (d *Aggregate) Position() Position { return d.Pos }

// Position returns the position of the first token.
func (d *Process) Position() Position { return d.Pos }

// Process is `process Name { member... }`: a process manager, which reacts
// to the events of aggregates and to time by sending them commands.
type Process struct {
	Pos     Position
	Doc     *CommentGroup
	Name    *Ident          `parser:"'process' @@ '{'"`
	Members []ProcessMember `parser:"@@*"`
	Close   *RBrace         `parser:"@@"`
}

// ProcessMember is a member of a process: *IDOption, *CorrelateOption,
// *State, *Reaction or *ProcessTimer.
type ProcessMember interface {
	processMember()
	// Position returns the position of the member's first token.
	Position() Position
}

// CorrelateOption is `correlate Aggregate by field`: how an event of the
// aggregate finds its process, by one of its fields or by the aggregate's
// id (`by id`).
type CorrelateOption struct {
	Pos       Position
	Doc       *CommentGroup
	Aggregate *Ident `parser:"'correlate' @@"`
	Field     *Ident `parser:"'by' @@"`
}

// Reaction is `on Aggregate.Event: branch | ...` or
// `on rejected Aggregate.Command: branch | ...`: what a process does with
// an event, or with a command of its that the aggregate refused.
type Reaction struct {
	Pos      Position
	Doc      *CommentGroup
	Rejected *RejectedMark    `parser:"'on' @@?"`
	Input    *QualifiedName   `parser:"@@ ':'"`
	Branches []*ProcessBranch `parser:"@@ ( '|' @@ )*"`
}

// RejectedMark is the `rejected` of a reaction to a refused command.
type RejectedMark struct {
	Pos  Position
	Name string `parser:"@'rejected'"`
}

// QualifiedName is `Aggregate.Name`: an event or a command of an aggregate.
type QualifiedName struct {
	Pos       Position
	Aggregate *Ident `parser:"@@ '.'"`
	Name      *Ident `parser:"@@"`
}

// String returns the name as written.
func (q *QualifiedName) String() string { return q.Aggregate.Name + "." + q.Name.Name }

// ProcessBranch is `Source, Source -> Target [sends Aggregate.Command, ...]`.
type ProcessBranch struct {
	Pos   Position
	From  []*Ident         `parser:"@@ ( ',' @@ )*"`
	Arrow *Arrow           `parser:"@@"`
	To    *Ident           `parser:"@@"`
	Sends []*QualifiedName `parser:"( 'sends' @@ ( ',' @@ )* )?"`
}

// ProcessTimer is `after DURATION in State [as Name]: branch | ...`: what a
// process does when it has been in State for DURATION.
type ProcessTimer struct {
	Pos      Position
	Doc      *CommentGroup
	After    *Duration        `parser:"'after' @@"`
	State    *Ident           `parser:"'in' @@"`
	Name     *Ident           `parser:"( 'as' @@ )? ':'"`
	Branches []*ProcessBranch `parser:"@@ ( '|' @@ )*"`
}

func (*IDOption) processMember()        {}
func (*CorrelateOption) processMember() {}
func (*State) processMember()           {}
func (*Reaction) processMember()        {}
func (*ProcessTimer) processMember()    {}

// Position returns the position of the first token.
func (m *CorrelateOption) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *Reaction) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *ProcessTimer) Position() Position { return m.Pos }

// Member is a member of an aggregate: an option (*IDOption, *StreamOption,
// *SubjectOption, *SnapshotOption, *LivesOption, *ArchiveOption), a *State, *Command,
// *Event, *Transition, *Evolve or *Timer.
type Member interface {
	member()
	// Position returns the position of the member's first token.
	Position() Position
}

// IDOption is `id Type`: the Go type of the aggregate id.
type IDOption struct {
	Pos  Position
	Doc  *CommentGroup
	Type *Type `parser:"'id' @@"`
}

// StreamOption is `stream "NAME"`: the JetStream stream of the aggregate.
type StreamOption struct {
	Pos  Position
	Doc  *CommentGroup
	Name *String `parser:"'stream' @@"`
}

// SubjectOption is `subject "prefix"`: the subject prefix of the aggregate.
type SubjectOption struct {
	Pos    Position
	Doc    *CommentGroup
	Prefix *String `parser:"'subject' @@"`
}

// SnapshotOption is `snapshot every N`.
type SnapshotOption struct {
	Pos   Position
	Doc   *CommentGroup
	Every *Int `parser:"'snapshot' 'every' @@"`
}

// ArchiveOption is `archive after DURATION`: aggregates that have been
// in a final state that long are moved out of the stream into an archive.
type ArchiveOption struct {
	Pos   Position
	Doc   *CommentGroup
	After *Duration `parser:"'archive' 'after' @@"`
}

// State is `state Name [initial] [final] [{ fields }]`.
type State struct {
	Pos   Position
	Doc   *CommentGroup
	Name  *Ident       `parser:"'state' @@"`
	Flags []*StateFlag `parser:"@@*"`
	Body  *Body        `parser:"@@?"`
}

// Command is `command Name [{ fields }]`.
type Command struct {
	Pos  Position
	Doc  *CommentGroup
	Name *Ident `parser:"'command' @@"`
	Body *Body  `parser:"@@?"`
}

// Event is `event Name [vN] [upcast [: drop f, ...]] [{ fields }]`: one schema version of
// an event.
type Event struct {
	Pos     Position
	Doc     *CommentGroup
	Name    *Ident      `parser:"'event' @@"`
	Version *Version    `parser:"@@?"`
	Upcast  *UpcastMark `parser:"@@?"`
	Body    *Body       `parser:"@@?"`
}

// Transition is `on Command: branch | branch ...`.
type Transition struct {
	Pos      Position
	Doc      *CommentGroup
	Command  *Ident    `parser:"'on' @@ ':'"`
	Branches []*Branch `parser:"@@ ( '|' @@ )*"`
}

// Branch is `Source, Source -> Target [emits Event, Event]`.
type Branch struct {
	Pos   Position
	From  []*Ident `parser:"@@ ( ',' @@ )*"`
	Arrow *Arrow   `parser:"@@"`
	To    *Ident   `parser:"@@"`
	Emits []*Ident `parser:"( 'emits' @@ ( ',' @@ )* )?"`
}

// Evolve is `evolve State, State on Event: clause...`: what the evolution
// of the states by the event does where esgen would not generate it, or
// generate it otherwise.
type Evolve struct {
	Pos     Position
	Doc     *CommentGroup
	States  []*Ident        `parser:"'evolve' @@ ( ',' @@ )*"`
	On      *OnWord         `parser:"@@"`
	Event   *Ident          `parser:"@@ ':'"`
	Clauses []*EvolveClause `parser:"@@ ( ';'? @@ )*"`
}

// OnWord is the `on` between the states and the event of an evolve clause.
type OnWord struct {
	Pos  Position
	Text string `parser:"@'on'"`
}

// EvolveClause is one clause of an evolve declaration: `drop field, ...`
// (event fields that do not reach the state), `zero field, ...` (state
// fields that start at their zero value), `set field, ...` (event fields
// that replace the state's field of the same name on a self-loop),
// `unchanged` or `hook`.
type EvolveClause struct {
	Pos    Position
	Kind   string   `parser:"( @( 'drop' | 'zero' | 'set' )"`
	Fields []*Ident `parser:"  @@ ( ',' @@ )*"`
	Mark   string   `parser:"| @( 'unchanged' | 'hook' ) )"`
}

// Word returns the clause's keyword: drop, zero, set, unchanged or hook.
func (c *EvolveClause) Word() string {
	if c.Kind != "" {
		return c.Kind
	}
	return c.Mark
}

// LivesOption is `lives forever`: the aggregate is meant never to end, so
// that its states need not lead to a final state.
type LivesOption struct {
	Pos     Position
	Doc     *CommentGroup
	Forever *Ident `parser:"'lives' @@"`
}

func (*IDOption) member()       {}
func (*LivesOption) member()    {}
func (*StreamOption) member()   {}
func (*SubjectOption) member()  {}
func (*SnapshotOption) member() {}
func (*ArchiveOption) member()  {}
func (*State) member()          {}
func (*Command) member()        {}
func (*Event) member()          {}
func (*Transition) member()     {}
func (*Evolve) member()         {}
func (*Timer) member()          {}

// Position returns the position of the first token.
func (m *IDOption) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *StreamOption) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *SubjectOption) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *SnapshotOption) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *LivesOption) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *ArchiveOption) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *State) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *Command) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *Event) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *Transition) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *Evolve) Position() Position { return m.Pos }

// Position returns the position of the first token.
func (m *Timer) Position() Position { return m.Pos }

// Timer is `after DURATION in State: Command [{ field = literal ... }]`:
// the command an aggregate is sent when it has been in State for
// DURATION.
type Timer struct {
	Pos     Position
	Doc     *CommentGroup
	After   *Duration `parser:"'after' @@"`
	State   *Ident    `parser:"'in' @@ ':'"`
	Command *Ident    `parser:"@@"`
	Values  *Values   `parser:"@@?"`
}

// Duration is a duration such as `30m` or `1h30m`, as Go writes them.
type Duration struct {
	Pos  Position
	Text string `parser:"@Duration"`
}

// Values is `{ field = literal ... }`: the fields of a command a timer
// sends.
type Values struct {
	Pos    Position
	Fields []*FieldValue `parser:"'{' ( @@ ';'? )*"`
	Close  *RBrace       `parser:"@@"`
}

// FieldValue is `field = literal`.
type FieldValue struct {
	Pos   Position
	Name  *Ident   `parser:"@@ '='"`
	Value *Literal `parser:"@@"`
}

// Body is `{ field... }`.
type Body struct {
	Pos    Position
	Fields []*Field `parser:"'{' ( @@ ';'? )*"`
	Close  *RBrace  `parser:"@@"`
}

// Field is `name Type [= literal]`.
type Field struct {
	Pos     Position
	Doc     *CommentGroup // the block above the field, else its line comment
	Name    *Ident        `parser:"@@"`
	Type    *Type         `parser:"@@"`
	Default *Literal      `parser:"( '=' @@ )?"`
}

// Type is a Go type: exactly one of Slice, Map, Pointer and Named is set.
type Type struct {
	Pos     Position
	Slice   *Type     `parser:"  '[' ']' @@"`
	Map     *MapType  `parser:"| @@"`
	Pointer *Type     `parser:"| '*' @@"`
	Named   *TypeName `parser:"| @@"`
}

// String returns the type as written, in canonical spacing.
func (t *Type) String() string {
	switch {
	case t == nil:
		return ""
	case t.Slice != nil:
		return "[]" + t.Slice.String()
	case t.Map != nil:
		return "map[" + t.Map.Key.String() + "]" + t.Map.Elem.String()
	case t.Pointer != nil:
		return "*" + t.Pointer.String()
	case t.Named != nil:
		return t.Named.String()
	}
	return ""
}

// MapType is `map[Key]Elem`.
type MapType struct {
	Pos  Position
	Key  *Type `parser:"'map' '[' @@ ']'"`
	Elem *Type `parser:"@@"`
}

// TypeName is `Name` or `pkg.Name`. When Sel is set, First is the package
// qualifier and Sel the type name.
type TypeName struct {
	Pos   Position
	First *Ident `parser:"@@"`
	Sel   *Ident `parser:"( '.' @@ )?"`
}

// String returns the name as written.
func (n *TypeName) String() string {
	if n.Sel != nil {
		return n.First.Name + "." + n.Sel.Name
	}
	return n.First.Name
}

// Ident is a name.
type Ident struct {
	Pos  Position
	Name string `parser:"@( Ident | Version )"`
}

// EventualMark is the `eventual` keyword of an eventual aggregate.
type EventualMark struct {
	Pos  Position
	Name string `parser:"@'eventual'"`
}

// StateFlag is `initial` or `final` after a state name.
type StateFlag struct {
	Pos  Position
	Name string `parser:"@( 'initial' | 'final' )"`
}

// UpcastMark is the `upcast` marker of an event version whose upcast from
// the previous version is user code, with the fields of the previous
// version the hook deliberately does not carry: `upcast: drop f, g`.
type UpcastMark struct {
	Pos  Position
	Name string      `parser:"@'upcast'"`
	Drop *UpcastDrop `parser:"( ':' @@ )?"`
}

// UpcastDrop is the `drop f, g` of an upcast marker: fields of the previous
// version that the next one has under the same name and type, but whose
// values the upcast hook does not carry over.
type UpcastDrop struct {
	Pos    Position
	Fields []*Ident `parser:"'drop' @@ ( ',' @@ )*"`
}

// Version is an event version such as `v2`.
type Version struct {
	Pos  Position
	Text string `parser:"@Version"`
}

// Arrow is the `->` between the sources and the target of a branch.
type Arrow struct {
	Pos  Position
	Text string `parser:"@'->'"`
}

// RBrace is the `}` closing a block.
type RBrace struct {
	Pos  Position
	Text string `parser:"@'}'"`
}

// RParen is the `)` closing an import group.
type RParen struct {
	Pos  Position
	Text string `parser:"@')'"`
}

// String is a string literal as written, quotes and escapes included.
type String struct {
	Pos  Position
	Text string `parser:"@String"`
}

// Int is a decimal integer literal as written.
type Int struct {
	Pos  Position
	Text string `parser:"@Int"`
}

// Literal is a constant: a string, integer, float, true or false, as
// written.
type Literal struct {
	Pos  Position
	Text string `parser:"@( String | Int | Float | 'true' | 'false' )"`
}
