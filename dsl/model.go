package dsl

import (
	"time"

	"github.com/esgen/esgen/internal/goname"
)

// This file holds the validated model: what Check produces from a parsed
// file once every name is resolved and every rule holds. The generator and
// the diagram renderers read only this model, never the syntax tree.
//
// Every slice is in declaration order unless its comment says otherwise, so
// that everything derived from the model is deterministic.

// Position locates a node in its source file. Line and Column are 1-based;
// Column counts bytes, as go/token does.
type Position struct {
	Filename string
	Offset   int
	Line     int
	Column   int
}

// File is one checked .esm file.
type File struct {
	Name       string // the file name as given to Parse
	Doc        string // doc comment above the package clause
	Package    string // Go package name of the generated code
	Imports    []*Import
	Types      []*ValueType // value types declared in the file
	Externs    []*Extern    // types that live in the consumer's Go package
	Aggregates []*Aggregate
	Processes  []*Process
	Pos        Position
}

// Import is a Go package whose types fields may name ("time", "net/netip").
type Import struct {
	Alias string // the name used in qualified types; the last path element when not given
	Path  string
	Pos   Position
}

// Extern declares a type that the consumer's Go package defines, so that
// fields can use it and typos in type names still get reported.
type Extern struct {
	Name string
	Doc  string
	Pos  Position
}

// ValueType is a struct type declared in the file and shared by fields.
type ValueType struct {
	Name   string
	Doc    string
	Fields []*Field
	Pos    Position
}

// Field is a named, typed member of a value type, state, command or event.
type Field struct {
	Name    string // as written in the .esm (snake_case or camelCase)
	Doc     string // the comment block above the field, else its line comment
	Type    *TypeExpr
	Default *Literal // only on event fields; nil when none is declared
	Pos     Position
}

// TypeKind says which shape a TypeExpr has.
type TypeKind int

const (
	// TypeBuiltin is a predeclared Go type: string, bool, int, int64, float64, []byte's byte...
	TypeBuiltin TypeKind = iota + 1
	// TypeValue is a value type declared in the file; TypeExpr.Value points to it.
	TypeValue
	// TypeExtern is a type of the consumer's package declared with extern.
	TypeExtern
	// TypeQualified is a type of an imported package, such as time.Time.
	TypeQualified
	// TypeSlice is []Elem.
	TypeSlice
	// TypeMap is map[Key]Elem.
	TypeMap
	// TypePointer is *Elem.
	TypePointer
)

// TypeExpr is a Go type written in the .esm.
type TypeExpr struct {
	Kind   TypeKind
	Name   string     // builtin, value, extern or qualified type name
	Import *Import    // TypeQualified: the import the qualifier names
	Value  *ValueType // TypeValue: the declaration
	Extern *Extern    // TypeExtern: the declaration
	Elem   *TypeExpr  // TypeSlice, TypeMap (value), TypePointer
	Key    *TypeExpr  // TypeMap
	Pos    Position
}

// String returns the canonical .esm (and Go) spelling of the type, such as
// "map[string][]time.Time".
func (t *TypeExpr) String() string {
	switch t.Kind {
	case TypeSlice:
		return "[]" + t.Elem.String()
	case TypeMap:
		return "map[" + t.Key.String() + "]" + t.Elem.String()
	case TypePointer:
		return "*" + t.Elem.String()
	case TypeQualified:
		return t.Import.Alias + "." + t.Name
	default:
		return t.Name
	}
}

// LiteralKind says which kind of constant a Literal holds.
type LiteralKind int

const (
	// LiteralString is a double-quoted Go string literal.
	LiteralString LiteralKind = iota + 1
	// LiteralInt is a decimal integer, possibly negative.
	LiteralInt
	// LiteralFloat is a decimal number with a fraction or an exponent.
	LiteralFloat
	// LiteralBool is true or false.
	LiteralBool
)

// Literal is a constant default value of an event field. Kind is the
// kind of the literal as written: an integer literal may be the default of
// a float field (Text "2" for a float64), as in Go.
type Literal struct {
	Kind LiteralKind
	// Text is the Go source spelling of the value: a quoted string literal
	// ("\"web\""), a decimal integer, a float or true/false.
	Text string
	Pos  Position
}

// Aggregate is one aggregate: a Mealy machine over states, commands and
// events, or, when Eventual is set, an append-only stream of events with no
// states, commands or transitions.
type Aggregate struct {
	Name string
	Doc  string
	Pos  Position

	// Eventual marks a non-transactional aggregate: events only.
	Eventual bool

	// IDType is the Go type of the aggregate id (string when not declared).
	IDType *TypeExpr
	// Stream and Subject override the JetStream stream name and subject
	// prefix; empty means the runtime's default naming.
	Stream  string
	Subject string
	// SnapshotEvery is the snapshot policy: a snapshot after every N events;
	// 0 means no snapshots.
	SnapshotEvery int
	// ArchiveAfter is the retention period: an aggregate that has been in
	// a final state this long may be archived; 0 means never.
	ArchiveAfter time.Duration
	archivePos   Position // the archive option, for diagnostics
	// LivesForever is set by `lives forever`: the aggregate is meant never
	// to end, so its states need not lead to a final state (LivesPos is
	// where the option is written).
	LivesForever bool
	LivesPos     Position

	States      []*State
	Initial     *State // exactly one; nil only for eventual aggregates
	Commands    []*Command
	Events      []*Event
	Transitions []*Transition

	// Evolutions is the Evolve table derived from Transitions: for every
	// branch, the first emitted event moves From to the branch's target and
	// every further event of that branch applies to the target itself.
	// Check rejects two entries with the same (From, Event) and different
	// targets. Sorted by the position of the branch, then event order.
	// Each (From, Event) pair appears once: when several branches produce
	// it, the entry is the first one's.
	Evolutions []*Evolution

	// Timers send the aggregate a command when it has been in a state for
	// a time, in declaration order.
	Timers []*Timer
}

// Timer is `after 30m in Submitted: Cancel { reason = "too late" }`: the
// command an aggregate is sent when it has been in State for After. It is
// cancelled when the aggregate leaves State before; entering State again
// starts it again.
type Timer struct {
	State   *State
	After   time.Duration
	Text    string // the duration as written, "30m"
	Command *Command
	// Values are the command's fields the timer sets, as written; the
	// others are zero.
	Values []*FieldValue
	Doc    string
	Pos    Position
}

// FieldValue is `field = literal` in a timer's command.
type FieldValue struct {
	Field *Field
	Value *Literal
}

// State is a state of the machine, optionally carrying data.
type State struct {
	Name    string
	Doc     string
	Initial bool
	Final   bool
	Fields  []*Field
	Pos     Position
}

// Command is a request to change an aggregate.
type Command struct {
	Name   string
	Doc    string
	Fields []*Field
	Pos    Position
}

// Event is a fact an aggregate records, in one or more schema versions.
type Event struct {
	Name string
	Doc  string
	// Versions are ascending and contiguous from 1; an event declared without
	// a version number has exactly one version, 1.
	Versions []*EventVersion
	Pos      Position // position of the first declaration
}

// Latest returns the newest version: the only one ever written.
func (e *Event) Latest() *EventVersion { return e.Versions[len(e.Versions)-1] }

// EventVersion is one schema version of an event.
type EventVersion struct {
	Number int
	// Doc is the doc comment of the version's declaration; the first
	// declaration's doc is the Event's, and its version's Doc is empty.
	Doc    string
	Fields []*Field
	// Hook is set when the upcast from the previous version cannot be derived
	// from field names, types and defaults and user code must provide it:
	// the version is marked `upcast` in the .esm. Always false for version 1.
	// When Hook is false, Check guarantees that every field of this version
	// is either in the previous version with the same type (copied), or has
	// a Default, or is a slice, map or pointer (upcast to nil); fields of
	// the previous version that this one lacks are dropped.
	Hook bool
	// Dropped are the fields of the previous version that this one has
	// under the same name and type but whose values the upcast hook does
	// not carry over, as the .esm declares (upcast: drop f). Only with
	// Hook. The generated tests check that every other such field reaches
	// this version.
	Dropped []*Field
	Pos     Position
}

// Transition is one `on Command:` declaration with its branches. The
// decision for the command picks exactly one branch whose sources include
// the current state.
type Transition struct {
	Command  *Command
	Doc      string
	Branches []*Branch
	Pos      Position
}

// Branch is one alternative of a transition: from any of the source states
// to the target state, emitting the events in order.
type Branch struct {
	From  []*State
	To    *State
	Emits []*Event
	Pos   Position
}

// SelfLoop reports whether the branch stays in its only source state.
func (b *Branch) SelfLoop() bool { return len(b.From) == 1 && b.From[0] == b.To }

// Evolution is one entry of the Evolve table: the state that event Event
// leads From to, and how its fields are computed.
//
// esgen generates the new state only when nothing can be lost or made up:
// every field of the event's newest version reaches a field of To with the
// same name and type, or is declared dropped; and every field of To comes
// from the event, from From (a field of the same name and type, carried
// over), or is declared zero; and, when the event keeps the state (From is
// To), an event field replaces the state's field of the same name only
// when it is declared `set` (it could as well be an amount to add).
// Otherwise Hook is set and user code computes the new state. An evolve declaration in the .esm (Decl) drops event
// fields, zeroes state fields, keeps the state unchanged or asks for a
// hook.
type Evolution struct {
	From   *State
	Event  *Event
	To     *State
	Branch *Branch
	// Decl is the evolve declaration that names this pair; nil when the
	// .esm says nothing of it.
	Decl *EvolveDecl
	// Hook is set when user code computes the new state: Decl asks for a
	// hook, or HookReasons say why esgen cannot generate it.
	Hook bool
	// HookReasons say, in the .esm's terms, why the new state cannot be
	// generated; empty when Hook is not set or Decl asks for the hook.
	HookReasons []string
	// Unchanged is set when Decl says the event leaves the state as it
	// is (From == To): every event field is dropped.
	Unchanged bool
	// Fields, when Hook is not set, are the fields of To in declaration
	// order, each with where its value comes from.
	Fields []*FieldSource
	// Dropped are the fields of the event's newest version that do not
	// reach the new state, each declared so by Decl (drop, or unchanged),
	// in the event's field order. A hook receives them but need not use
	// them.
	Dropped []*Field
	// Zero are the fields of To that Decl declares zero, in To's order:
	// the generated evolution, or the hook, leaves them at their zero value.
	Zero []*Field
	// Replaced are the fields of To, which From has too, whose value the
	// event replaces as Decl declares (set), in To's order: a hook need
	// not carry the state left's value of them. For a generated evolution
	// they come from the event's fields of the same name (Fields).
	Replaced []*Field
}

// EvolveDecl is an `evolve States on Event: clauses` declaration, as it
// applies to every (state, event) pair it names.
type EvolveDecl struct {
	Doc       string
	Unchanged bool     // `unchanged`
	Hook      bool     // `hook`
	Drop      []string // `drop`: names of event fields, as written
	Zero      []string // `zero`: names of state fields, as written
	Set       []string // `set`: names of event fields (with Hook, of state fields), as written
	Pos       Position
}

// FieldOrigin says where the generated Evolve takes a field of the new
// state from.
type FieldOrigin int

const (
	// FromEvent is the event's field of the same name and type.
	FromEvent FieldOrigin = iota + 1
	// FromState is the field of the same name and type of the state the
	// event leaves, carried over.
	FromState
	// ZeroValue is the field's zero value, declared with `zero`.
	ZeroValue
)

// FieldSource is one field of a generated evolution's new state and the
// field its value comes from.
type FieldSource struct {
	Field  *Field // the field of the new state
	Origin FieldOrigin
	From   *Field // the event's or the source state's field; nil for ZeroValue
}

// Process is a process manager: a machine whose inputs are the events of
// aggregates (found by a correlation), the refusals of the commands it
// sent, and time; whose outputs are commands to aggregates. It is
// event-sourced like an aggregate: each input it handles is stored with
// the branch it took and the commands it sent, before they are sent.
type Process struct {
	Name string
	Doc  string
	Pos  Position
	// IDType is the Go type of a process instance's id (string when not
	// declared): the correlation every input carries.
	IDType *TypeExpr
	// Correlations say, for each aggregate the process reacts to, how an
	// event of it names its process instance, in declaration order.
	Correlations []*Correlation
	States       []*State
	Initial      *State
	// Inputs are every input the process handles, in declaration order:
	// events, refused commands and timers.
	Inputs []*Input
	// Reactions are what the process does with each input, one per input,
	// in declaration order (timers included).
	Reactions []*Reaction
	// Evolutions is the Evolve table: for every branch, its sources to its
	// target with the input. Unlike an aggregate's, a (From, Input) pair may
	// lead to several targets: the stored step names the branch taken.
	Evolutions []*ProcessEvolution
}

// Correlation is `correlate Order by id` or `correlate Payment by order_id`.
type Correlation struct {
	Aggregate *Aggregate
	// Field is the events' field naming the process instance; nil for the
	// aggregate's id (`by id`).
	Field string
	Pos   Position
}

// InputKind says what an input of a process is.
type InputKind int

const (
	// InputEvent is an event of an aggregate.
	InputEvent InputKind = iota + 1
	// InputRejection is a command the process sent that its aggregate
	// refused.
	InputRejection
	// InputTimer is a timer of the process firing.
	InputTimer
)

// Input is one input of a process.
type Input struct {
	Kind InputKind
	// Name is the input's Go type name: the event's name, <Command>Rejected
	// or the timer's name.
	Name      string
	Aggregate *Aggregate // InputEvent, InputRejection
	Event     *Event     // InputEvent
	Command   *Command   // InputRejection
	// Timer: the state it waits in and for how long.
	State *State
	After time.Duration
	Text  string // the duration as written
	Pos   Position
}

// Reaction is what a process does with one input: branches, of which its
// decision picks one whose sources include the current state.
type Reaction struct {
	Input    *Input
	Doc      string
	Branches []*ProcessBranch
	Pos      Position
}

// ProcessBranch goes from any of its sources to its target, sending the
// commands in order.
type ProcessBranch struct {
	From  []*State
	To    *State
	Sends []*Send
	Pos   Position
}

// BranchCtor is the Go name of the constructor of branch i of a reaction of
// process p that has several: named by its target, and, when two
// branches of the reaction share a target, by the commands each sends
// (goname.ProcessBranch). The checker reports two branches with the same
// target and sends (E032).
func (p *Process) BranchCtor(r *Reaction, i int) string {
	targets := map[*State]int{}
	for _, b := range r.Branches {
		targets[b.To]++
	}
	withSends := false
	for _, n := range targets {
		withSends = withSends || n > 1
	}
	b := r.Branches[i]
	sends := make([]string, len(b.Sends))
	for j, s := range b.Sends {
		sends[j] = s.Aggregate.Name + "." + s.Command.Name
	}
	return goname.ProcessBranch(p.Name, r.Input.Name, b.To.Name, sends, withSends)
}

// Send is a command a branch sends to an aggregate.
type Send struct {
	Aggregate *Aggregate
	Command   *Command
	Pos       Position
}

// ProcessEvolution is one entry of a process's Evolve table: the state an
// input leads From to by a branch, and how its fields are computed: from
// the input's fields of the same name and type (an event's), carried over
// from From, or by a user hook. An input's fields that the state does not
// keep are not lost: the input is stored with the step.
type ProcessEvolution struct {
	From, To *State
	Input    *Input
	Branch   *ProcessBranch
	// Hook is set when user code computes the new state; HookReasons say
	// why.
	Hook        bool
	HookReasons []string
	// Fields, when Hook is not set: every field of To and where it comes
	// from (FromEvent: the input's field).
	Fields []*FieldSource
}
