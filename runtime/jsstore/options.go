package jsstore

import (
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Option configures a Store or a SnapshotStore.
type Option func(*config)

type config struct {
	stream     string
	prefix     string
	bucket     string
	replicas   int
	duplicates time.Duration
	storage    jetstream.StorageType
	compress   jetstream.StoreCompression
	create     bool // create the stream / bucket when it is missing
	update     bool // change the settings an existing one lacks
	slowSnap   time.Duration
	log        *slog.Logger
	archive    Archive // nil: no archival
}

func newConfig(opts []Option) config {
	c := config{
		stream:     DefaultStream,
		prefix:     DefaultSubjectPrefix,
		replicas:   1,
		duplicates: 2 * time.Minute,
		storage:    jetstream.FileStorage,
		create:     true,
		slowSnap:   100 * time.Millisecond,
	}
	for _, opt := range opts {
		opt(&c)
	}
	if c.bucket == "" {
		c.bucket = c.stream + "_SNAPSHOTS"
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c
}

// WithStream names the stream of the bounded context (default "EVENTS").
func WithStream(name string) Option { return func(c *config) { c.stream = name } }

// WithSubjectPrefix sets the subject prefix of the bounded context
// (default "events"): events of aggregate (type, id) live on
// "<prefix>.<type>.<id>". It may have several tokens ("shop.orders").
func WithSubjectPrefix(prefix string) Option { return func(c *config) { c.prefix = prefix } }

// WithSnapshotBucket names the key-value bucket of snapshots (default: the
// stream name followed by "_SNAPSHOTS").
func WithSnapshotBucket(name string) Option { return func(c *config) { c.bucket = name } }

// WithReplicas sets how many servers of a cluster keep the stream and the
// snapshot bucket: 1 on a single (embedded) server, 3 on a cluster for
// durability through the loss of one node.
func WithReplicas(n int) Option { return func(c *config) { c.replicas = n } }

// WithDuplicateWindow sets how long the server remembers message ids to
// drop duplicate appends (default 2 minutes). A command retried later than
// this is still recognised when it is retried at the sequence it was
// stored after (see Store.Append).
func WithDuplicateWindow(d time.Duration) Option { return func(c *config) { c.duplicates = d } }

// WithMemoryStorage keeps the stream and bucket in server memory instead of
// files: for tests and benchmarks only, nothing survives a restart.
func WithMemoryStorage() Option { return func(c *config) { c.storage = jetstream.MemoryStorage } }

// WithCompression stores a stream the store creates compressed with S2:
// events, mostly JSON, take less disk at some CPU cost on writes and
// reads (docs/benchmarks.md measures both). Like the storage type it
// applies to new streams only: an existing stream is left as it is, with
// or without WithUpdateStream (the server can change an existing stream's
// compression, but only newly written blocks are compressed; do it with
// `nats stream edit --compression s2` if wanted). The snapshot bucket is
// not compressed.
func WithCompression() Option { return func(c *config) { c.compress = jetstream.S2Compression } }

// WithExistingStream never creates the stream or the bucket: a missing
// one fails New (or NewSnapshotStore) with an error matching
// jetstream.ErrStreamNotFound (jetstream.ErrBucketNotFound), for
// deployments where operators create them. An existing one is checked as
// always (see New).
func WithExistingStream() Option { return func(c *config) { c.create = false } }

// WithUpdateStream lets New and NewSnapshotStore change the settings an
// existing stream or bucket lacks, instead of failing with a
// *StreamConfigError: they set those settings, and only those, to what the
// store needs, and leave every other setting as it is (deny_delete,
// allow_atomic, limits, metadata, settings this client does not know).
// Subjects: "<prefix>.>" is added, in place of the stream's filters it
// takes in (the server refuses overlapping ones). Settings that would
// lose events or acknowledgements are set to keep them: retention
// "limits" (from "interest"), no_ack false, no max_age, no max_msgs,
// max_bytes or max_msgs_per_subject limit that removes messages, no
// subject transform. A stream with work-queue retention, a sealed stream
// or a mirror cannot be changed so: New fails with a *StreamConfigError
// all the same, having changed nothing. Each change is logged at INFO
// (WithLogger), each field with its old and wanted value.
func WithUpdateStream() Option { return func(c *config) { c.update = true } }

// WithSlowSnapshot sets the duration past which saving or loading a
// snapshot is logged as slow (default 100 ms).
func WithSlowSnapshot(d time.Duration) Option { return func(c *config) { c.slowSnap = d } }

// WithLogger sets the logger for conflicts, duplicates, and slow or failed
// snapshots. The default discards.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithArchive gives the store an archive (NewObjectArchive, or your own):
// ArchiveAggregate moves aggregates there, and Read reads archived ones
// from it. A store with an archive looks for a tombstone before the first
// append of an aggregate, so that an archived id is never started again.
func WithArchive(a Archive) Option { return func(c *config) { c.archive = a } }
