package dsl

// Diagnostic codes. A code never changes meaning and is never reused for
// another check; docs/language.md documents every one (a test keeps the
// list there in step with Codes).
const (
	codeSyntax             = "E001"
	codeInvalidCharacter   = "E002"
	codeInvalidString      = "E003"
	codeInvalidNumber      = "E004"
	codeKeywordAsName      = "E005"
	codeFileTooLarge       = "E006"
	codeUndeclared         = "E007"
	codeDuplicate          = "E008"
	codeNoInitial          = "E009"
	codeSeveralInitial     = "E010"
	codeDeadEnd            = "E011"
	codeUnreachable        = "E012"
	codeFromFinal          = "E013"
	codeAmbiguousTarget    = "E014"
	codeVersionGap         = "E015"
	codeChangedFieldType   = "E016"
	codeAddedFieldNoValue  = "E017"
	codeGoCollision        = "E018"
	codeChangeWithoutEvent = "E019"
	codeDuplicateDecision  = "E020"
	codeGoKeyword          = "E021"
	codeInvalidGoName      = "E022"
	codeFieldCollision     = "E023"
	codeInvalidDefault     = "E024"
	codeMisplacedUpcast    = "E025"
	codeEventualMachine    = "E026"
	codeInvalidOption      = "E027"
	codeDuplicateOption    = "E028"
	codeInvalidVersion     = "E029"
	codeInvalidMapKey      = "E030"
	codeRecursiveType      = "E031"
	codeDuplicateBranch    = "E032"
	codeInvalidImport      = "E033"
	codeUnsupportedType    = "E034"
	codeTooDeep            = "E035"
	codeFileName           = "E036"
	codeEvolveNoTransition = "E037"
	codeInvalidEvolve      = "E038"
	codeInvalidDuration    = "E039"
	codeTimerOnFinal       = "E040"
	codeNotAccepted        = "E041"
	codeCorrelation        = "E042"
	codeTimerBranch        = "E043"
	codeNeverEnds          = "E044"
	codeCycleNeverEnds     = "E045"
	codeWaitsForever       = "E046"
	codeAlwaysRefused      = "E047"
	codeArchiveNeverFinal  = "E048"
	codeArchiveTooSoon     = "E049"

	codeUnusedCommand  = "W001"
	codeUnusedEvent    = "W002"
	codeEventTense     = "W003"
	codeEventSuffix    = "W004"
	codeCommandTense   = "W005"
	codeUnusedImport   = "W006"
	codeUnusedType     = "W007"
	codeEmptyAggregate = "W008"
	codeDroppedField   = "W009"

	codeInvalidDirective = "W010"
	codeUnusedDirective  = "W011"
	codeNeverSet         = "W012"
	codeUnhandledReject  = "W013"
	codeUnusedInProcess  = "W014"
	codeNeverArrives     = "W015"
	codeTimerNeverFires  = "W016"
	codeNeedlessForever  = "W017"

	// Breaking changes: Breaking reports them, comparing a package with
	// its published version (esgen check --against).
	codeAggregateRemoved    = "B001"
	codeSubjectChanged      = "B002"
	codeStreamChanged       = "B003"
	codeKindChanged         = "B004"
	codeIDTypeChanged       = "B005"
	codeEventRemoved        = "B006"
	codeVersionRemoved      = "B007"
	codeFieldAdded          = "B008"
	codeFieldRemoved        = "B009"
	codeFieldRenamed        = "B010"
	codeFieldRetyped        = "B011"
	codeDefaultChanged      = "B012"
	codeProcessRemoved      = "B013"
	codeProcessStateRemoved = "B014"
	codeProcessInputRemoved = "B015"

	codeEvolutionRemoved        = "B016"
	codeEvolutionRetargeted     = "B017"
	codeEvolutionChanged        = "B018"
	codeProcessEvolutionRemoved = "B019"
)

// CodeInfo describes one diagnostic code.
type CodeInfo struct {
	Code     string // "E012"
	Name     string // "unreachable-state"
	Severity Severity
	Summary  string // one line: what the check rejects
}

// codeTable lists every code in code order. It is the single source of
// code names: diagnostics take their Name and Severity from it.
var codeTable = []CodeInfo{
	{codeSyntax, "syntax-error", SeverityError, "the text does not follow the grammar"},
	{codeInvalidCharacter, "invalid-character", SeverityError, "a byte that cannot appear in a .esm file: invalid UTF-8, NUL or another control character, a stray symbol"},
	{codeInvalidString, "invalid-string", SeverityError, "a string literal that is not terminated on its line or has an invalid escape"},
	{codeInvalidNumber, "invalid-number", SeverityError, "a malformed number literal"},
	{codeKeywordAsName, "keyword-as-name", SeverityError, "a keyword of the language where a name is expected"},
	{codeFileTooLarge, "file-too-large", SeverityError, "a file larger than the maximum size esgen reads"},
	{codeUndeclared, "undeclared-name", SeverityError, "a name that refers to nothing declared"},
	{codeDuplicate, "duplicate-declaration", SeverityError, "a name declared twice in the same scope"},
	{codeNoInitial, "missing-initial-state", SeverityError, "a state machine with no initial state"},
	{codeSeveralInitial, "multiple-initial-states", SeverityError, "a state machine with more than one initial state"},
	{codeDeadEnd, "dead-end-state", SeverityError, "a state that is not final and accepts no command"},
	{codeUnreachable, "unreachable-state", SeverityError, "a state that no sequence of transitions reaches from the initial state"},
	{codeFromFinal, "transition-from-final-state", SeverityError, "a transition whose source is a final state"},
	{codeAmbiguousTarget, "ambiguous-target", SeverityError, "the same event applied to the same state leads to two different states"},
	{codeVersionGap, "version-gap", SeverityError, "event versions that are not contiguous from v1"},
	{codeChangedFieldType, "changed-field-type", SeverityError, "an event field whose type changes between versions without an upcast hook"},
	{codeAddedFieldNoValue, "added-field-without-default", SeverityError, "a field added in a new event version with neither a default nor an upcast hook"},
	{codeGoCollision, "go-identifier-collision", SeverityError, "two declarations that generate the same Go identifier"},
	{codeChangeWithoutEvent, "state-change-without-event", SeverityError, "a branch that changes state but emits no event"},
	{codeDuplicateDecision, "duplicate-transition", SeverityError, "a command with more than one on clause"},
	{codeGoKeyword, "go-keyword-name", SeverityError, "a Go keyword, or a predeclared Go type, where a name is written verbatim into Go"},
	{codeInvalidGoName, "invalid-go-name", SeverityError, "a name that has no exported Go spelling"},
	{codeFieldCollision, "field-name-collision", SeverityError, "two fields of one struct whose Go names are equal"},
	{codeInvalidDefault, "invalid-default", SeverityError, "a default value that does not fit its field or is not allowed there"},
	{codeMisplacedUpcast, "misplaced-upcast", SeverityError, "an upcast marker on the first version of an event"},
	{codeEventualMachine, "eventual-with-machine", SeverityError, "states, commands, transitions or snapshots in an eventual aggregate"},
	{codeInvalidOption, "invalid-option", SeverityError, "an aggregate option with a value esgen cannot use"},
	{codeDuplicateOption, "duplicate-option", SeverityError, "an aggregate option given twice"},
	{codeInvalidVersion, "invalid-version", SeverityError, "an event version below v1 or too large"},
	{codeInvalidMapKey, "invalid-map-key", SeverityError, "a map key type that cannot be a JSON object key"},
	{codeRecursiveType, "recursive-type", SeverityError, "a value type that contains itself without a pointer, slice or map in between"},
	{codeDuplicateBranch, "duplicate-branch", SeverityError, "two branches of one transition with the same target and events, or of one reaction of a process with the same target and commands"},
	{codeInvalidImport, "invalid-import", SeverityError, "an import path that is not a valid Go import path, or an import with no usable name"},
	{codeUnsupportedType, "unsupported-type", SeverityError, "a predeclared Go type that a field cannot have: any, error, comparable, uintptr, complex64, complex128"},
	{codeTooDeep, "type-too-deep", SeverityError, "a type nested more than 64 levels deep"},
	{codeFileName, "generated-file-name", SeverityError, "a name whose generated files would have the name of other generated files, or a name the go tool ignores, builds only on some platforms, Windows cannot hold or no file system can, being too long"},

	{codeEvolveNoTransition, "evolve-without-transition", SeverityError, "an evolve declaration naming a state and an event that no transition applies to it"},
	{codeInvalidEvolve, "invalid-evolve", SeverityError, "an evolve declaration whose clauses contradict each other or the transition"},
	{codeInvalidDuration, "invalid-duration", SeverityError, "a duration that is not a positive number with a unit (ns, us, ms, s, m, h)"},
	{codeTimerOnFinal, "timer-on-final-state", SeverityError, "a timer on a final state, which is never left and never waits for anything"},
	{codeNotAccepted, "command-not-accepted", SeverityError, "a command a timer or a process sends that its aggregate never accepts where it is sent"},
	{codeCorrelation, "missing-correlation", SeverityError, "a process reacting to an aggregate's event without saying how the event finds its process, or by a field the event lacks"},
	{codeTimerBranch, "timer-branch-source", SeverityError, "a branch of a process timer that does not start in the timer's state"},
	{codeNeverEnds, "process-never-ends", SeverityError, "a process with no final state its initial state can reach"},
	{codeCycleNeverEnds, "cycle-never-ends", SeverityError, "states the initial state reaches that lead only to each other, never to a final state, in a process or in an aggregate that does not say lives forever"},
	{codeWaitsForever, "process-waits-forever", SeverityError, "a process that can come to wait, in a state that is not final, for inputs none of which can come any more"},
	{codeAlwaysRefused, "command-always-refused", SeverityError, "a command a process sends to the aggregate it follows by id where that aggregate can no longer accept it"},
	{codeArchiveNeverFinal, "archive-never-final", SeverityError, "an aggregate archived after it ends that has no final state, so none of its instances would ever be archived"},
	{codeArchiveTooSoon, "archive-too-soon", SeverityError, "a retention period (archive after) shorter than an hour"},

	{codeUnusedCommand, "unused-command", SeverityWarning, "a command that no transition handles"},
	{codeUnusedEvent, "unused-event", SeverityWarning, "an event that no transition emits"},
	{codeEventTense, "event-not-past-tense", SeverityWarning, "an event name whose verb is not a past form: its last word, or the word before a preposition (docs/language.md states the rule)"},
	{codeEventSuffix, "event-suffix", SeverityWarning, "an event name ending in Event"},
	{codeCommandTense, "command-past-tense", SeverityWarning, "a command name in the past tense, like an event: starting with a past form, or with one where an event has its verb"},
	{codeUnusedImport, "unused-import", SeverityWarning, "an import that no field type uses"},
	{codeUnusedType, "unused-type", SeverityWarning, "a value type or extern that no field uses"},
	{codeEmptyAggregate, "empty-aggregate", SeverityWarning, "an eventual aggregate that declares no event"},
	{codeDroppedField, "dropped-field", SeverityWarning, "an event field that the next version drops in a step without an upcast hook, losing its value (as a renamed field is)"},
	{codeInvalidDirective, "invalid-directive", SeverityWarning, "an esgen: directive comment esgen cannot use: unknown, attached to no declaration, or naming no code, an unknown code or one that cannot be silenced"},
	{codeUnusedDirective, "unused-directive", SeverityWarning, "an esgen:ignore directive naming a warning that is not reported on its declaration"},
	{codeNeverSet, "state-field-never-set", SeverityWarning, "a state field that no event sets and no hook computes: it is always zero"},
	{codeUnhandledReject, "unhandled-rejection", SeverityWarning, "a place a process sends a command with no reaction to its refusal in the state the process is then in: a refusal stops the process, or, for a command sent as it ends, is only logged"},
	{codeUnusedInProcess, "unused-in-process", SeverityWarning, "a correlation or a reaction to a refusal that no input or branch of the process uses"},
	{codeNeverArrives, "input-never-arrives", SeverityWarning, "a reaction of a process, in one of its source states, to an event that the aggregate it follows by id can no longer emit whenever the process is in that state"},
	{codeTimerNeverFires, "timer-never-fires", SeverityWarning, "a timer of a process whose state no step enters, so that it is never armed"},
	{codeNeedlessForever, "needless-lives-forever", SeverityWarning, "lives forever on an aggregate whose states all lead to a final state"},

	{codeAggregateRemoved, "aggregate-removed", SeverityError, "an aggregate of the published files that is gone (removed or renamed): its stored events are on subjects of its name"},
	{codeSubjectChanged, "subject-changed", SeverityError, "an aggregate whose subject prefix changed: its stored events stay on the old subjects"},
	{codeStreamChanged, "stream-changed", SeverityError, "an aggregate whose stream changed: its stored events stay in the old stream"},
	{codeKindChanged, "eventual-now-machine", SeverityError, "an eventual aggregate turned into a state machine: its stored events were appended without one"},
	{codeIDTypeChanged, "id-type-changed", SeverityError, "an aggregate whose id type changed to one that the stored ids may not parse as"},
	{codeEventRemoved, "event-removed", SeverityError, "a published event that is gone (removed or renamed): its stored events can no longer be decoded"},
	{codeVersionRemoved, "event-version-removed", SeverityError, "a published event version that is gone: its stored events can no longer be decoded"},
	{codeFieldAdded, "event-field-added", SeverityError, "a field added to a published event version in place, instead of in a new version"},
	{codeFieldRemoved, "event-field-removed", SeverityError, "a field removed from a published event version in place, instead of in a new version"},
	{codeFieldRenamed, "event-field-renamed", SeverityError, "a field of a published event version renamed in place, instead of in a new version"},
	{codeFieldRetyped, "event-field-retyped", SeverityError, "a field of a published event version whose type changed in place (a value type it holds included), instead of in a new version"},
	{codeDefaultChanged, "event-default-changed", SeverityError, "a default of a published event version changed: the events stored in the version before would upcast to other values"},
	{codeProcessRemoved, "process-removed", SeverityError, "a published process that is gone (removed or renamed): its stored steps can no longer be loaded"},
	{codeProcessStateRemoved, "process-state-removed", SeverityError, "a state of a published process that is gone: its stored steps name it"},
	{codeProcessInputRemoved, "process-input-removed", SeverityError, "an input of a published process (an event, a refusal, a timer) that it no longer handles: its stored steps of it can no longer be loaded"},
	{codeEvolutionRemoved, "evolution-removed", SeverityError, "an event that the published transitions applied to a state and the current ones do not: the stored histories with that event in that state can no longer be loaded"},
	{codeEvolutionRetargeted, "evolution-retargeted", SeverityError, "an event that now leads a state to another state than the published transitions did: the stored histories would replay into another state"},
	{codeEvolutionChanged, "evolution-changed", SeverityError, "a field of the state an event leads to that now takes its value from elsewhere (the event, the state left, zero) than it did as published, by a changed evolve declaration or event: the stored histories would replay to other values"},
	{codeProcessEvolutionRemoved, "process-evolution-removed", SeverityError, "a branch of a published process (a source, an input and a target) that it no longer has: its stored steps that took it can no longer be loaded"},
}

// Codes returns every diagnostic code, in code order: errors first
// (E001...), then warnings (W001...), then the breaking changes that
// Breaking reports (B001...).
func Codes() []CodeInfo { return append([]CodeInfo(nil), codeTable...) }

// lookupCode returns the table entry of code. It panics on an unknown
// code, which is a programming error caught by the tests.
func lookupCode(code string) CodeInfo {
	for _, c := range codeTable {
		if c.Code == code {
			return c
		}
	}
	panic("dsl: unknown diagnostic code " + code)
}
