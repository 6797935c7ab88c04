package wire

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
	"github.com/esgen/esgen/runtime/jsstore"
)

// Message is one stored message of an esgen event stream: every event of
// one command, in order, with the message's place in the stream.
type Message struct {
	Subject  string // "<prefix>.<aggregate type>.<aggregate id>"
	Sequence uint64 // the stream sequence, shared by the message's events
	// Prev is the stream sequence of the aggregate's previous message,
	// 0 for its first.
	Prev      uint64
	CommandID string
	// Records are the command's events, each with its full metadata;
	// Sequence is set on each. Their payloads share memory with the
	// decoded bytes.
	Records []es.Record
	// Archived is set, and Records empty, for the tombstone of an archived
	// aggregate (ReadOptions.Tombstones): Subject and Sequence are the
	// tombstone's.
	Archived *Archived
}

// Archived is what the tombstone of an archived aggregate says: its
// events are in the archive object Object (jsstore.ArchiveObject), no
// longer on Subject.
type Archived struct {
	Ref       es.Ref
	Subject   string // the subject its events were stored on
	Tombstone jsstore.Tombstone
	Time      time.Time // when it was archived: the tombstone's time
	Object    string    // "<stream>/<type>/<id>"
}

// Archive is where archived aggregates are kept (jsstore.Archive).
type Archive = jsstore.Archive

// OpenArchive returns the archive in the existing Object Store bucket of
// js ("" for jsstore.DefaultArchiveBucket), to read archived aggregates
// with ReadArchived; it creates nothing. A missing bucket fails with an
// error matching jetstream.ErrBucketNotFound.
func OpenArchive(ctx context.Context, js jetstream.JetStream, bucket string) (Archive, error) {
	return jsstore.OpenObjectArchive(ctx, js, bucket)
}

// ReadArchived returns the archived records of a, read from archive (see
// jsstore.OpenObjectArchive) and checked against the tombstone's digest.
func ReadArchived(ctx context.Context, archive Archive, stream string, a *Archived) ([]es.Record, error) {
	return jsstore.ReadArchive(ctx, archive, stream, a.Ref, a.Tombstone)
}

// Decode decodes the payload of the message stored at sequence on
// subject. A payload that is not a valid envelope (docs/wire-format.md),
// or whose aggregate is not the one the subject addresses, fails with a
// *jsstore.CorruptMessageError (errors.Is(err, es.ErrCorruptEvent)).
func Decode(subject string, sequence uint64, data []byte) (Message, error) {
	env, err := envelope.Decode(data, nil)
	if err != nil {
		return Message{}, &jsstore.CorruptMessageError{Subject: subject, Sequence: sequence, Reason: err.Error()}
	}
	m := env.Records[0].Metadata
	if tail := "." + m.AggregateType + "." + m.AggregateID; !strings.HasSuffix(subject, tail) || len(subject) == len(tail) {
		return Message{}, &jsstore.CorruptMessageError{Subject: subject, Sequence: sequence,
			Reason: fmt.Sprintf("envelope of %s %q does not belong on this subject", m.AggregateType, m.AggregateID)}
	}
	for i := range env.Records {
		env.Records[i].Sequence = sequence
	}
	return Message{Subject: subject, Sequence: sequence, Prev: env.Prev, CommandID: env.CommandID, Records: env.Records}, nil
}
