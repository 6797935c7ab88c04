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
	manage     bool // create or update the stream / bucket
	slowSnap   time.Duration
	log        *slog.Logger
}

func newConfig(opts []Option) config {
	c := config{
		stream:     DefaultStream,
		prefix:     DefaultSubjectPrefix,
		replicas:   1,
		duplicates: 2 * time.Minute,
		storage:    jetstream.FileStorage,
		manage:     true,
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

// WithExistingStream uses the stream and bucket as they are, without
// creating or updating them (when operators manage them). The stream must
// allow direct gets.
func WithExistingStream() Option { return func(c *config) { c.manage = false } }

// WithSlowSnapshot sets the duration past which saving or loading a
// snapshot is logged as slow (default 100 ms).
func WithSlowSnapshot(d time.Duration) Option { return func(c *config) { c.slowSnap = d } }

// WithLogger sets the logger for conflicts, duplicates, and slow or failed
// snapshots. The default discards.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }
