// Package jsstore is the esgen event store on NATS JetStream, with
// snapshots in a JetStream key-value bucket.
//
// Layout. A bounded context has one stream (WithStream, default "EVENTS")
// holding the subjects "<prefix>.<type>.<id>" (WithSubjectPrefix, default
// "events"): one subject per aggregate instance, so the server's
// per-subject state gives each aggregate its own concurrency check and
// index. Event type and schema version are never part of the subject.
// Aggregate types and ids are validated with es.ValidateRef, so no id can
// address another subject.
//
// One message per command. A command's events, with their metadata, are
// encoded together into one message (the envelope, see Decode and
// docs/runtime.md). A single message is atomic on every JetStream
// deployment, costs one publish however many events the command has, and
// carries one stream sequence, shared by its events as es.Metadata.Sequence:
// the concurrency token of the next append. The consequences: one command's
// events must fit in the server's max payload (1 MB by default;
// es.ErrTooLarge otherwise), and consumers see one message per command
// (DecodeMsg turns it into records).
//
// Streams. New creates a missing stream and never changes an existing
// one unasked: it checks what the store needs of it (direct gets,
// subjects, duplicate window, replicas) and fails with a
// *StreamConfigError naming each difference, or, with WithUpdateStream,
// changes those settings and no other. NewSnapshotStore does the same for
// the bucket's replicas.
//
// Concurrency. Every append expects the subject's last sequence
// (Nats-Expected-Last-Subject-Sequence); the server rejects a stale one
// with error 10071 or 10164, which Append maps to *es.ConflictError. The
// store checks the expected version against the version at that sequence,
// which it remembers from the aggregate's messages it appended or read (or
// else reads with one direct get), so that no append repeats versions.
//
// Outcomes. An append handed to the connection that gets no answer (a
// deadline, a timeout, a connection lost while waiting) may be stored, or
// be stored later when the client resends what it buffered during an
// outage: Append reports it as an *es.OutcomeUnknownError naming the
// command id to retry it with.
//
// Idempotency. Every message carries a Nats-Msg-Id derived from the
// aggregate and the command id. A retried append of a stored command is
// recognised either by the server's dedupe (a cluster dedupes before it
// checks the sequence; a single server does so when the sequence holds) or,
// after a conflict, by reading the message stored right after the expected
// sequence and comparing its command id; either way Append returns the
// stored result with Duplicate set. FindCommand (es.CommandFinder) reads the
// aggregate's messages of the duplicate window for a command's id, so that
// a Repository recognises a retry its decision no longer accepts.
//
// Reads. Loads use batched direct gets on the stream (AllowDirect) asking
// for payloads only (no_hdr): no consumer is created per load, and since
// every envelope names the sequence of the aggregate's previous message,
// the reader recovers each message's sequence from its successor and the
// batch's end-of-batch marker.
package jsstore
