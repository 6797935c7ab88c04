package es

import (
	"context"
	"iter"
	"time"
)

// Ref names one aggregate instance.
type Ref struct {
	Type string // aggregate type, e.g. "Order"
	ID   string // aggregate id as text; see ValidateID
}

// Metadata travels with every stored event.
type Metadata struct {
	EventID       string    // unique id of this event, stable across retries of one command
	AggregateType string    // e.g. "Order"
	AggregateID   string    // the aggregate instance
	Version       uint64    // aggregate version after this event: 1 for the first event
	Time          time.Time // when the command that produced it was handled (UTC)
	CorrelationID string    // the business flow the event belongs to
	CausationID   string    // the command or event that caused it
	Actor         string    // who issued the command
	Traceparent   string    // W3C trace context of the command, if any
	EventType     string    // event type name, e.g. "OrderSubmitted"
	SchemaVersion int       // schema version the payload is encoded in
	// Sequence is the store's position of the append that holds the event:
	// the JetStream stream sequence, or the in-memory store's counter. All
	// events of one command share it. It is the concurrency token, not a count.
	Sequence uint64
}

// RawEvent is an event encoded by a codec, ready to append.
type RawEvent struct {
	Type          string
	SchemaVersion int
	Data          []byte // plain JSON
}

// Record is a stored event: its metadata and encoded payload.
type Record struct {
	Metadata
	Data []byte
}

// AppendRequest is one atomic append: every event of one command.
type AppendRequest struct {
	Ref Ref
	// ExpectedVersion is the aggregate version the events were decided on;
	// the first event gets ExpectedVersion+1.
	ExpectedVersion uint64
	// ExpectedSequence is the concurrency token: the Sequence of the last
	// stored append of this aggregate, 0 when it has none. The store rejects
	// the append with ErrConflict when it does not hold.
	ExpectedSequence uint64
	// CommandID identifies the command; event ids and the store's dedupe key
	// derive from it so that a retried append is recognised as the same write.
	// Stores reject an id ValidateCommandID rejects.
	CommandID string
	// NewCommandID says that no append with CommandID was sent to a
	// store before: the id was made up for this request (a Repository
	// sets it on the first append of a command without WithCommandID).
	// A store may then skip looking for a retry of it.
	NewCommandID  bool
	Time          time.Time
	CorrelationID string
	CausationID   string
	Actor         string
	Traceparent   string
	Events        []RawEvent
}

// AppendResult says where an append landed.
type AppendResult struct {
	Sequence uint64 // the new concurrency token
	Version  uint64 // aggregate version after the append
	// Records are the stored events with their full metadata when
	// Duplicate is set. They are read-only: a store may hand out its own
	// records, so changing a record or its Data may change what the store
	// holds. Clone what you mean to modify. For a new append Records is
	// nil: the stored events are the request's, with the request's
	// metadata, and req.Records(Sequence) builds them for a caller that
	// wants them (a Repository builds them only when asked, see
	// Result.Records).
	Records []Record
	// Duplicate is set when the request was a retry of a command the store
	// already holds (same command id, stored right after the expected
	// sequence): nothing new was stored and Records are the stored events,
	// which may differ from the retried request's (another clock reading,
	// say). A Repository then evolves its state from Records.
	Duplicate bool
}

// Records returns the records an append of req stored at sequence holds:
// its events with their metadata, each event's id EventID(req.CommandID,
// i), the time in UTC without a monotonic reading, versions from
// req.ExpectedVersion+1. The records' Data are the request's payloads (an
// empty payload is a non-nil empty slice, as a store reads it back). It
// allocates the records anew on each call.
func (req *AppendRequest) Records(sequence uint64) []Record {
	recs := make([]Record, len(req.Events))
	m := Metadata{
		AggregateType: req.Ref.Type,
		AggregateID:   req.Ref.ID,
		Time:          req.Time.UTC(),
		CorrelationID: req.CorrelationID,
		CausationID:   req.CausationID,
		Actor:         req.Actor,
		Traceparent:   req.Traceparent,
		Sequence:      sequence,
	}
	for i := range req.Events {
		e := &req.Events[i]
		m.EventID = EventID(req.CommandID, i)
		m.Version = req.ExpectedVersion + uint64(i) + 1
		m.EventType = e.Type
		m.SchemaVersion = e.SchemaVersion
		d := e.Data
		if d == nil {
			d = []byte{}
		}
		recs[i] = Record{Metadata: m, Data: d}
	}
	return recs
}

// Position is a point in one aggregate's history.
type Position struct {
	Version  uint64 // events applied so far
	Sequence uint64 // Sequence of the last append applied, 0 for none
}

// Store persists events. Implementations: the in-memory store
// (runtime/memstore) and the JetStream store (runtime/jsstore). Both pass the
// same conformance suite (runtime/storetest).
type Store interface {
	// Append stores all events of req or none of them. It fails with an error
	// matching ErrConflict when req.ExpectedSequence is not the aggregate's
	// last sequence, with ErrInvalidID for a Ref ValidateRef rejects, and
	// with ErrInvalidCommandID for a command id ValidateCommandID rejects.
	// A request whose command id is the one stored right after
	// req.ExpectedSequence is a retry of that write: Append returns the
	// stored result with Duplicate set and stores nothing.
	// req.ExpectedVersion must be the version at req.ExpectedSequence (0 at
	// sequence 0): when req.ExpectedSequence is the aggregate's last
	// sequence, or 0, and the version there is not req.ExpectedVersion,
	// Append fails with a *ConflictError saying so and stores nothing,
	// whatever the command id (the events would repeat or skip versions).
	// When Append cannot tell whether the events were stored (the request
	// was sent, its answer did not come), it fails with an
	// *OutcomeUnknownError (ErrOutcomeUnknown) naming req.CommandID.
	// Append neither changes req nor keeps anything of it once it returns:
	// the caller may reuse the request and its Events, or keep them to
	// build the records (see AppendRequest.Records).
	Append(ctx context.Context, req *AppendRequest) (AppendResult, error)
	// Read yields the events of ref whose version is greater than
	// from.Version, in order. from.Sequence is the Sequence of the event at
	// from.Version (0 with version 0): stores start reading there. When
	// the store holds no append of ref at from.Sequence (it was purged, or
	// the position is not ref's), the read yields one error matching
	// ErrPositionGone. An invalid ref or a failure yields one error and
	// ends the loop; stored
	// appends whose versions do not follow one another (a gap, or versions
	// repeated) fail it with an error matching ErrCorruptEvent that names
	// the aggregate, the versions and the sequence. Breaking out of the loop
	// stops reading.
	Read(ctx context.Context, ref Ref, from Position) iter.Seq2[Record, error]
}

// CommandFinder is a Store that can look up a stored command by its id.
// A Repository asks it when it would not append a command whose id the
// caller gave (WithCommandID): the decision failed or produced no events
// on a state that may already include the command, stored by an earlier
// attempt whose reply was lost. Both stores of this module implement it.
// A Repository on a Store that does not (a wrapper that embeds es.Store,
// say: let it forward FindCommand) reads the aggregate's whole history
// instead, and recognises a command among its newest DedupeAppends
// appends.
type CommandFinder interface {
	// FindCommand returns the stored result of command commandID of ref,
	// as Append returns a duplicate (Duplicate set, Records the stored
	// events), when Append would recognise a retry of it at the
	// aggregate's newest sequence: when it is within the store's dedupe
	// window. ok is false when it is not (or was never stored). An
	// invalid ref fails with ErrInvalidID.
	FindCommand(ctx context.Context, ref Ref, commandID string) (res AppendResult, ok bool, err error)
}

// DedupeAppends is how many of an aggregate's newest appends a store
// without a time window recognises a command among, wherever it is
// retried: the in-memory store's window, and a Repository's on a Store
// that is not a CommandFinder.
const DedupeAppends = 1024

// Snapshot is an encoded state at a point of an aggregate's history.
type Snapshot struct {
	Position
	// SchemaVersion identifies the state's encoding; a snapshot whose schema
	// differs from the codec's is ignored and the state is replayed instead.
	SchemaVersion string
	Data          []byte
}

// SnapshotStore keeps the newest snapshot of each aggregate.
type SnapshotStore interface {
	// LoadSnapshot returns the newest snapshot of ref, or ErrNotFound.
	LoadSnapshot(ctx context.Context, ref Ref) (Snapshot, error)
	// SaveSnapshot replaces the snapshot of ref.
	SaveSnapshot(ctx context.Context, ref Ref, s Snapshot) error
}
