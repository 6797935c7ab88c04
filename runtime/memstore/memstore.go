// Package memstore is an in-memory event store and snapshot store with the
// same semantics as the JetStream store: a store-global sequence that every
// append advances by one (the concurrency token), a per-aggregate check of
// the expected sequence, all-or-nothing appends, idempotent retries of one
// command, and aggregate ids validated with es.ValidateRef.
//
// It serves unit tests, examples and in-process use; nothing it holds
// survives the process. It passes the conformance suite in
// runtime/storetest.
package memstore

import (
	"sync"

	"github.com/esgen/esgen/runtime/es"
)

// Store is an in-memory es.Store and es.SnapshotStore. The zero value is not
// usable; call New. It is safe for concurrent use.
type Store struct {
	// mu guards the fields below. Every critical section is short: a map
	// lookup and an append, or the capture of a stream's records.
	mu  sync.Mutex
	seq uint64 // sequence of the newest append, store-wide
	// streams holds the aggregates of each type, by id; lastType and
	// lastStreams are the type looked up last and its aggregates, as
	// most calls ask for the same type again.
	streams     map[string]map[string]*stream
	lastType    string
	lastStreams map[string]*stream
	snapshots   map[es.Ref]es.Snapshot
}

// stream returns the history of ref, or nil. The caller holds s.mu.
func (s *Store) stream(ref es.Ref) *stream {
	if ref.Type != s.lastType || s.lastStreams == nil {
		s.lastType, s.lastStreams = ref.Type, s.streams[ref.Type]
	}
	return s.lastStreams[ref.ID]
}

// create adds an empty history for ref, which has none, and returns it.
// The caller holds s.mu.
func (s *Store) create(ref es.Ref, size int) *stream {
	s.stream(ref) // makes lastStreams ref.Type's aggregates, if it has any
	if s.lastStreams == nil {
		s.lastStreams = make(map[string]*stream)
		s.streams[ref.Type] = s.lastStreams
	}
	st := newStream(size)
	s.lastStreams[ref.ID] = st
	return st
}

// Option configures a Store.
type Option func(*Store)

// WithStartSequence makes the first append get sequence start+1, as a
// stream that already holds start messages would. Tests use it to make sure
// no code mistakes a sequence for an aggregate version.
func WithStartSequence(start uint64) Option { return func(s *Store) { s.seq = start } }

// New returns an empty store.
func New(opts ...Option) *Store {
	s := &Store{streams: make(map[string]map[string]*stream), snapshots: make(map[es.Ref]es.Snapshot)}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

var (
	_ es.Store         = (*Store)(nil)
	_ es.CommandFinder = (*Store)(nil)
	_ es.SnapshotStore = (*Store)(nil)
)
