package jsstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
)

var _ es.Archiver = (*Store)(nil)

// Archive keeps archived aggregates: one object per aggregate, written
// once and read back. NewObjectArchive keeps them in a JetStream Object
// Store; any other store (S3, a file system) fits behind it.
type Archive interface {
	// Put stores data under name, replacing what name held.
	Put(ctx context.Context, name string, data []byte) error
	// Get returns what name holds, or an error matching ErrNotArchived.
	Get(ctx context.Context, name string) ([]byte, error)
}

// ErrNotArchived: the archive holds no object by that name.
var ErrNotArchived = errors.New("jsstore: no such archived object")

// DefaultArchiveBucket is the Object Store bucket of NewObjectArchive when
// none is named.
const DefaultArchiveBucket = "ARCHIVE"

// ObjectArchive is an Archive in a JetStream Object Store bucket.
type ObjectArchive struct{ os jetstream.ObjectStore }

// NewObjectArchive returns the archive in Object Store bucket (""
// for DefaultArchiveBucket), creating the bucket when it is missing, with
// file storage and replicas copies.
func NewObjectArchive(ctx context.Context, js jetstream.JetStream, bucket string, replicas int) (*ObjectArchive, error) {
	if bucket == "" {
		bucket = DefaultArchiveBucket
	}
	if err := validateStreamName("archive bucket", bucket); err != nil {
		return nil, err
	}
	os, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket: bucket, Description: "esgen archived aggregates", Storage: jetstream.FileStorage, Replicas: max(replicas, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("jsstore: archive bucket %s: %w", bucket, err)
	}
	return &ObjectArchive{os: os}, nil
}

// OpenObjectArchive returns the archive in the existing Object Store
// bucket ("" for DefaultArchiveBucket) without creating or changing it,
// for programs that only read archived aggregates (esgen inspect). A
// missing bucket fails with an error matching
// jetstream.ErrBucketNotFound.
func OpenObjectArchive(ctx context.Context, js jetstream.JetStream, bucket string) (*ObjectArchive, error) {
	if bucket == "" {
		bucket = DefaultArchiveBucket
	}
	os, err := js.ObjectStore(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("jsstore: archive bucket %s: %w", bucket, err)
	}
	return &ObjectArchive{os: os}, nil
}

// Put stores data under name.
func (a *ObjectArchive) Put(ctx context.Context, name string, data []byte) error {
	_, err := a.os.PutBytes(ctx, name, data)
	return err
}

// Get returns the object name.
func (a *ObjectArchive) Get(ctx context.Context, name string) ([]byte, error) {
	b, err := a.os.GetBytes(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNotArchived, name)
	}
	return b, err
}

// Tombstone is what the stream keeps of an archived aggregate, on the
// subject "<prefix>.archived.<type>.<id>" (TombstoneSubject): the final
// state and position, and the digest of its archived events. It is kept
// small, since one stays in the stream per archived aggregate: the
// object's name derives from the stream and the aggregate (the archive
// name "<stream>/<type>/<id>"), the time of archival is the message's.
type Tombstone struct {
	Version  uint64 `json:"v"`                // the aggregate's last version
	Sequence uint64 `json:"seq"`              // the stream sequence of its last append
	Digest   string `json:"digest"`           // SHA-256 of the object, its first 16 bytes, base64url
	Schema   string `json:"schema,omitempty"` // the final state's encoding (es.Snapshot.SchemaVersion)
	State    []byte `json:"state,omitempty"`  // the final state, encoded
}

// Snapshot returns the final state the tombstone holds.
func (t Tombstone) Snapshot() es.Snapshot {
	return es.Snapshot{Position: es.Position{Version: t.Version, Sequence: t.Sequence}, SchemaVersion: t.Schema, Data: t.State}
}

// digest is the tombstone's digest of an archive object.
func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// TombstoneSubject returns the subject of ref's tombstone. It has one
// token more than an aggregate's subject, so TypeSubject's filter never
// matches it and projections and processes never receive it.
func TombstoneSubject(prefix string, ref es.Ref) string {
	return prefix + ".archived." + ref.Type + "." + ref.ID
}

// ArchiveObject returns the name of the archive object that holds the
// events of ref, archived from stream: "<stream>/<type>/<id>".
func ArchiveObject(stream string, ref es.Ref) string {
	return stream + "/" + ref.Type + "/" + ref.ID
}

// IsTombstone reports whether a message of a stream whose subject prefix
// is prefix is a tombstone: its payload a JSON object (an envelope starts
// with the byte 0xE5, never with '{'), its subject
// "<prefix>.archived.<type>.<id>". The events of an aggregate whose type
// is "archived" are not tombstones.
func IsTombstone(prefix, subject string, data []byte) bool {
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	rest, ok := strings.CutPrefix(subject, prefix)
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, ".archived.")
	return ok && strings.Count(rest, ".") == 1
}

// ParseTombstone returns the aggregate and the tombstone of a message of
// stream whose subject prefix is prefix, and ok false when the message is
// no tombstone (its subject is not "<prefix>.archived.<type>.<id>", or its
// payload is not a JSON object). A tombstone whose JSON does not decode
// fails with a *CorruptMessageError.
func ParseTombstone(prefix, subject string, sequence uint64, data []byte) (es.Ref, Tombstone, bool, error) {
	if !IsTombstone(prefix, subject, data) {
		return es.Ref{}, Tombstone{}, false, nil
	}
	typ, id, _ := strings.Cut(subject[len(prefix)+len(".archived."):], ".")
	var t Tombstone
	if err := json.Unmarshal(data, &t); err != nil {
		return es.Ref{}, Tombstone{}, false, &CorruptMessageError{Subject: subject, Sequence: sequence, Reason: "tombstone: " + err.Error()}
	}
	return es.Ref{Type: typ, ID: id}, t, true, nil
}

// ReadArchive returns the records of ref, archived from stream with
// tombstone t, from archive a: checked against the tombstone's digest
// (a changed object fails with es.ErrCorruptEvent), in version order.
func ReadArchive(ctx context.Context, a Archive, stream string, ref es.Ref, t Tombstone) ([]es.Record, error) {
	name := ArchiveObject(stream, ref)
	data, err := a.Get(ctx, name)
	if err == nil && digest(data) != t.Digest {
		err = fmt.Errorf("%s does not match its tombstone's digest: %w", name, es.ErrCorruptEvent)
	}
	var recs []es.Record
	if err == nil {
		err = json.NewDecoder(bytes.NewReader(data)).Decode(&recs)
	}
	if err != nil {
		return nil, fmt.Errorf("jsstore: read archived %s %q: %w", ref.Type, ref.ID, err)
	}
	return recs, nil
}

// tombstone returns ref's tombstone, or ok false when it has none.
func (s *Store) tombstone(ctx context.Context, ref es.Ref) (t Tombstone, ok bool, err error) {
	wait, cancel := s.bound(ctx)
	defer cancel()
	stream, err := s.js.Stream(wait, s.cfg.stream)
	if err != nil {
		return t, false, err
	}
	m, err := stream.GetLastMsgForSubject(wait, TombstoneSubject(s.cfg.prefix, ref))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return t, false, nil
	}
	if err != nil {
		return t, false, err
	}
	if err := json.Unmarshal(m.Data, &t); err != nil {
		return t, false, &CorruptMessageError{Subject: m.Subject, Sequence: m.Sequence, Reason: "tombstone: " + err.Error()}
	}
	return t, true, nil
}

// ArchiveAggregate moves the events of ref into the store's archive
// (WithArchive), in an order that loses and duplicates nothing whenever
// it stops: it writes the archive object, reads it back and checks it,
// publishes the tombstone holding snap (once: it must be the first
// message on its subject), and purges ref's subject. An aggregate with a tombstone already
// only has its subject purged. See es.Archiver.
func (s *Store) ArchiveAggregate(ctx context.Context, ref es.Ref, snap es.Snapshot) error {
	if err := es.ValidateRef(ref); err != nil {
		return fmt.Errorf("jsstore: archive: %w", err)
	}
	if s.cfg.archive == nil {
		return fmt.Errorf("jsstore: archive %s %q: %w", ref.Type, ref.ID, es.ErrNoArchive)
	}
	if _, ok, err := s.tombstone(ctx, ref); err != nil {
		return fmt.Errorf("jsstore: archive %s %q: %w", ref.Type, ref.ID, err)
	} else if ok {
		return s.purgeArchived(ctx, ref)
	}
	var recs []es.Record
	for rec, err := range s.Read(ctx, ref, es.Position{}) {
		if err != nil {
			return fmt.Errorf("jsstore: archive %s %q: %w", ref.Type, ref.ID, err)
		}
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		return fmt.Errorf("jsstore: archive %s %q: %w", ref.Type, ref.ID, es.ErrNotFound)
	}
	last := recs[len(recs)-1]
	if last.Version != snap.Version || last.Sequence != snap.Sequence {
		return fmt.Errorf("jsstore: archive %s %q: the snapshot is at version %d sequence %d, the aggregate at %d, %d: %w",
			ref.Type, ref.ID, snap.Version, snap.Sequence, last.Version, last.Sequence, es.ErrConflict)
	}
	data, err := json.Marshal(recs)
	if err != nil {
		return fmt.Errorf("jsstore: archive %s %q: encode the events: %w", ref.Type, ref.ID, err)
	}
	name := ArchiveObject(s.cfg.stream, ref)
	if err := s.cfg.archive.Put(ctx, name, data); err != nil {
		return fmt.Errorf("jsstore: archive %s %q: write %s: %w", ref.Type, ref.ID, name, err)
	}
	back, err := s.cfg.archive.Get(ctx, name)
	if err != nil {
		return fmt.Errorf("jsstore: archive %s %q: read back %s: %w", ref.Type, ref.ID, name, err)
	}
	if !bytes.Equal(back, data) {
		return fmt.Errorf("jsstore: archive %s %q: %s reads back %d bytes that differ from the %d written", ref.Type, ref.ID, name, len(back), len(data))
	}
	tomb, err := json.Marshal(Tombstone{Version: last.Version, Sequence: last.Sequence, Digest: digest(data), Schema: snap.SchemaVersion, State: snap.Data})
	if err != nil {
		return fmt.Errorf("jsstore: archive %s %q: encode the tombstone: %w", ref.Type, ref.ID, err)
	}
	msg := nats.NewMsg(TombstoneSubject(s.cfg.prefix, ref))
	msg.Data = tomb
	// One tombstone per aggregate: a second publish, by a run that
	// resumes, fails the check.
	msg.Header.Set(jetstream.ExpectedLastSubjSeqHeader, "0")
	wait, cancel := s.bound(ctx)
	_, err = s.js.PublishMsg(wait, msg)
	cancel()
	if err != nil {
		var apiErr *jetstream.APIError
		// A tombstone already there is one a run that stopped wrote.
		if !errors.As(err, &apiErr) || (apiErr.ErrorCode != codeWrongLastSequence && apiErr.ErrorCode != codeWrongLastSequenceConstant) {
			return fmt.Errorf("jsstore: archive %s %q: publish the tombstone: %w", ref.Type, ref.ID, err)
		}
	}
	return s.purgeArchived(ctx, ref)
}

// purgeArchived purges the subject of an archived aggregate.
func (s *Store) purgeArchived(ctx context.Context, ref es.Ref) error {
	wait, cancel := s.bound(ctx)
	defer cancel()
	stream, err := s.js.Stream(wait, s.cfg.stream)
	if err == nil {
		err = stream.Purge(wait, jetstream.WithPurgeSubject(s.Subject(ref)))
	}
	if err != nil {
		return fmt.Errorf("jsstore: archive %s %q: purge: %w", ref.Type, ref.ID, err)
	}
	s.cfg.log.LogAttrs(ctx, slog.LevelInfo, "aggregate archived", slog.String("aggregate", ref.Type), slog.String("id", ref.ID))
	return nil
}

// readArchived yields ref's archived records after from.Version; ok is
// false when ref has no tombstone.
func (s *Store) readArchived(ctx context.Context, ref es.Ref, from es.Position, yield func(es.Record, error) bool) (ok bool) {
	t, ok, err := s.tombstone(ctx, ref)
	if err != nil {
		yield(es.Record{}, fmt.Errorf("jsstore: read %s %q: tombstone: %w", ref.Type, ref.ID, err))
		return true
	}
	if !ok {
		return false
	}
	recs, err := ReadArchive(ctx, s.cfg.archive, s.cfg.stream, ref, t)
	if err != nil {
		yield(es.Record{}, err)
		return true
	}
	for _, rec := range recs {
		if rec.Version > from.Version {
			if !yield(rec, nil) {
				return true
			}
		}
	}
	return true
}

// Aggregates returns the ids of the aggregates of type aggregateType
// that have events in the stream, in no particular order: archived ones,
// whose subjects are purged, are not among them. An archiver passes them
// to es.Repository.Archive. It asks the server for the stream's subjects
// under TypeSubject, one entry per aggregate: its cost grows with the
// number of aggregates.
func (s *Store) Aggregates(ctx context.Context, aggregateType string) ([]string, error) {
	wait, cancel := s.bound(ctx)
	defer cancel()
	stream, err := s.js.Stream(wait, s.cfg.stream)
	if err != nil {
		return nil, fmt.Errorf("jsstore: aggregates of %s: %w", aggregateType, err)
	}
	info, err := stream.Info(wait, jetstream.WithSubjectFilter(s.TypeSubject(aggregateType)))
	if err != nil {
		return nil, fmt.Errorf("jsstore: aggregates of %s: %w", aggregateType, err)
	}
	head := s.cfg.prefix + "." + aggregateType + "."
	ids := make([]string, 0, len(info.State.Subjects))
	for subj := range info.State.Subjects {
		ids = append(ids, strings.TrimPrefix(subj, head))
	}
	return ids, nil
}
