package es

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the runtime returns that a caller may branch
// on matches one of these with errors.Is.
var (
	// ErrConflict: another writer appended to the aggregate since it was
	// loaded (optimistic concurrency).
	ErrConflict = errors.New("es: concurrency conflict")
	// ErrInvalidTransition: the command is not declared for the current state.
	ErrInvalidTransition = errors.New("es: invalid transition")
	// ErrNotFound: the aggregate has no events (or none at the requested point).
	ErrNotFound = errors.New("es: aggregate not found")
	// ErrUnknownEventType: a stored event names a type the codec does not know.
	ErrUnknownEventType = errors.New("es: unknown event type")
	// ErrUnknownSchemaVersion: a stored event has a schema version the codec does not know.
	ErrUnknownSchemaVersion = errors.New("es: unknown schema version")
	// ErrCorruptEvent: a stored event's payload or metadata cannot be decoded.
	ErrCorruptEvent = errors.New("es: corrupt event")
	// ErrInvalidID: an aggregate id that cannot be stored safely (empty, or
	// characters that could address another aggregate).
	ErrInvalidID = errors.New("es: invalid aggregate id")
	// ErrInvalidEvolution: a stored event cannot be applied to the state the
	// history reached; the history contradicts the machine.
	ErrInvalidEvolution = errors.New("es: event does not apply to state")
	// ErrTooLarge: the events of one command do not fit in one append (the
	// JetStream store keeps a command in one message, bounded by the
	// server's max payload, 1 MB by default).
	ErrTooLarge = errors.New("es: append too large")
	// ErrInvalidCommandID: a command id that cannot be stored as it is
	// (empty, too long, control characters, whitespace at either end);
	// see ValidateCommandID.
	ErrInvalidCommandID = errors.New("es: invalid command id")
	// ErrOutcomeUnknown: an append was sent but its answer never came (a
	// deadline, a disconnect): the command may be stored, now or later.
	// The error is an *OutcomeUnknownError naming the command id to retry
	// it with.
	ErrOutcomeUnknown = errors.New("es: outcome unknown")
	// ErrPositionGone: a read was asked to start at a position whose
	// append the store does not hold for the aggregate (an operator purged
	// the aggregate's subject, say, and it may have been made again
	// since): what the position stood for is gone. A Repository then
	// drops the state it cached, or the snapshot it started from, and
	// replays the aggregate from its first event.
	ErrPositionGone = errors.New("es: position gone")
)

// InvalidTransitionError reports a command that the aggregate's machine does
// not accept in its current state. errors.Is(err, ErrInvalidTransition) holds.
type InvalidTransitionError struct {
	Aggregate string // aggregate type, e.g. "Order"
	State     string // state name as declared in the .esm, e.g. "Draft"
	Command   string // command name as declared in the .esm, e.g. "Fulfill"
	// Branch is set when the command is declared for the state but the
	// decision picked a branch that does not start in it; it names the
	// branch's target state.
	Branch string
}

// Error names the aggregate, the state and the command.
func (e *InvalidTransitionError) Error() string {
	if e.Branch != "" {
		return fmt.Sprintf("%s: command %s in state %s cannot take the branch to %s: it does not start in %s",
			e.Aggregate, e.Command, e.State, e.Branch, e.State)
	}
	return fmt.Sprintf("%s: command %s is not allowed in state %s", e.Aggregate, e.Command, e.State)
}

// Is makes errors.Is(err, ErrInvalidTransition) true.
func (e *InvalidTransitionError) Is(target error) bool { return target == ErrInvalidTransition }

// InvalidEvolutionError reports a stored event that does not apply to the
// state reached by the events before it. errors.Is(err, ErrInvalidEvolution) holds.
type InvalidEvolutionError struct {
	Aggregate string
	State     string
	Event     string
}

// Error names the aggregate, the event and the state.
func (e *InvalidEvolutionError) Error() string {
	return fmt.Sprintf("%s: event %s does not apply to state %s", e.Aggregate, e.Event, e.State)
}

// Is makes errors.Is(err, ErrInvalidEvolution) true.
func (e *InvalidEvolutionError) Is(target error) bool { return target == ErrInvalidEvolution }

// ConflictError is returned when an append's expectation does not hold.
// errors.Is(err, ErrConflict) holds.
type ConflictError struct {
	Ref              Ref
	ExpectedSequence uint64 // the sequence the writer expected to be last
	Err              error  // the store's underlying error, if any
}

// Error names the aggregate and the expected sequence.
func (e *ConflictError) Error() string {
	msg := fmt.Sprintf("%s %q: concurrency conflict: expected last sequence %d", e.Ref.Type, e.Ref.ID, e.ExpectedSequence)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Unwrap returns the store's underlying error.
func (e *ConflictError) Unwrap() error { return e.Err }

// DecodeError reports a stored event that could not be decoded. It wraps
// ErrUnknownEventType, ErrUnknownSchemaVersion or ErrCorruptEvent.
type DecodeError struct {
	EventType     string
	SchemaVersion int
	Err           error
}

// Error names the event type and schema version.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("decode %s v%d: %v", e.EventType, e.SchemaVersion, e.Err)
}

// Unwrap returns the cause.
func (e *DecodeError) Unwrap() error { return e.Err }

// OutcomeUnknownError reports an append whose outcome the store cannot
// tell: it was handed to the server, or to the connection's buffer during
// an outage, and no answer came before the context or the store's timeout
// ended it, or the connection failed. The command may be stored, or be
// stored later (a client resends what it buffered when it reconnects).
// Handling it again with WithCommandID(CommandID) is safe: a command the
// store holds is recognised (Result.Duplicate), one it does not hold is
// stored once. Through the Repository that returned the error this holds
// at any age; through another (another process), within the store's
// dedupe window (see Repository.Handle). errors.Is(err,
// ErrOutcomeUnknown) holds, and the cause
// (context.DeadlineExceeded, say) stays in the chain.
type OutcomeUnknownError struct {
	Ref Ref
	// CommandID is the append's command id: the caller's (WithCommandID)
	// or the one Handle made up for the command.
	CommandID string
	Err       error // what ended the wait
}

// Error names the aggregate and the command id to retry with.
func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("%s %q: command %q: outcome unknown (it may be stored; retry with this command id): %v",
		e.Ref.Type, e.Ref.ID, e.CommandID, e.Err)
}

// Is makes errors.Is(err, ErrOutcomeUnknown) true.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns the cause.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }
