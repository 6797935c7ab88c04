// Package memstore is an in-memory event store and snapshot store with the
// same semantics as the JetStream store: a store-global sequence that every
// append advances by one (the concurrency token), a per-aggregate check of
// the expected sequence, all-or-nothing appends, idempotent retries of one
// command, and aggregate ids validated with es.ValidateID.
//
// It serves unit tests and examples; nothing it holds survives the process.
// It passes the conformance suite in runtime/storetest.
package memstore

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
)

// Store is an in-memory es.Store and es.SnapshotStore. The zero value is not
// usable; call New. It is safe for concurrent use.
type Store struct {
	mu        sync.RWMutex
	seq       uint64 // sequence of the newest append, store-wide
	streams   map[es.Ref]*stream
	snapshots map[es.Ref]es.Snapshot
}

// dedupeWindow is how many of an aggregate's newest appends are found by
// command id wherever they are retried (JetStream's dedupe is bounded by
// time instead). A retry at the sequence it was stored after is found at
// any age.
const dedupeWindow = 1024

// stream is the history of one aggregate instance. Each append is kept as
// the envelope the JetStream store would publish (runtime/internal/envelope):
// one compact byte slice per command, which the garbage collector does not
// scan, however long the history.
type stream struct {
	seqs   []uint64       // sequence of each append, increasing
	lasts  []uint64       // version of each append's last event
	data   [][]byte       // envelope of each append
	recent map[string]int // command id -> index, for the newest dedupeWindow appends
	ring   []string       // command ids of the newest appends, index i%dedupeWindow
}

// decode returns the records of append i. Their payloads are the store's:
// callers that hand them out clone them.
func (st *stream) decode(i int, sc *envelope.Scratch) ([]es.Record, error) {
	env, err := envelope.Decode(st.data[i], sc)
	if err != nil {
		return nil, fmt.Errorf("memstore: stored append %d: %w: %v", st.seqs[i], es.ErrCorruptEvent, err)
	}
	for j := range env.Records {
		env.Records[j].Sequence = st.seqs[i]
	}
	return env.Records, nil
}

// commandID returns the command id of append i.
func (st *stream) commandID(i int) string {
	env, err := envelope.Decode(st.data[i], nil)
	if err != nil {
		return ""
	}
	return env.CommandID
}

// retried returns the index of the stored append req retries, or -1: the
// newest appends by command id, and the append right after the expected
// sequence.
func (st *stream) retried(req *es.AppendRequest) int {
	if i, ok := st.recent[req.CommandID]; ok {
		return i
	}
	n := len(st.seqs)
	if n == 0 || st.seqs[n-1] == req.ExpectedSequence {
		return -1 // nothing stored after the expected sequence
	}
	i, _ := slices.BinarySearch(st.seqs, req.ExpectedSequence+1)
	if i < n && st.commandID(i) == req.CommandID {
		return i
	}
	return -1
}

// add appends an envelope and keeps the dedupe index to the window.
func (st *stream) add(seq, last uint64, cmd string, data []byte) {
	st.seqs = append(st.seqs, seq)
	st.lasts = append(st.lasts, last)
	st.data = append(st.data, data)
	i := len(st.seqs) - 1
	if i >= dedupeWindow {
		// The slot's command leaves the window.
		old := st.ring[i%dedupeWindow]
		if st.recent[old] == i-dedupeWindow {
			delete(st.recent, old)
		}
		st.ring[i%dedupeWindow] = cmd
	} else {
		st.ring = append(st.ring, cmd)
	}
	st.recent[cmd] = i
}

// duplicate is the AppendResult of stored append i, as a retry gets it.
func (st *stream) duplicate(i int) (es.AppendResult, error) {
	recs, err := st.decode(i, nil)
	if err != nil {
		return es.AppendResult{}, err
	}
	for j := range recs {
		recs[j].Data = slices.Clone(recs[j].Data)
	}
	return es.AppendResult{Sequence: st.seqs[i], Version: st.lasts[i], Records: recs, Duplicate: true}, nil
}

// Option configures a Store.
type Option func(*Store)

// WithStartSequence makes the first append get sequence start+1, as a
// stream that already holds start messages would. Tests use it to make sure
// no code mistakes a sequence for an aggregate version.
func WithStartSequence(start uint64) Option { return func(s *Store) { s.seq = start } }

// New returns an empty store.
func New(opts ...Option) *Store {
	s := &Store{streams: make(map[es.Ref]*stream), snapshots: make(map[es.Ref]es.Snapshot)}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

var (
	_ es.Store         = (*Store)(nil)
	_ es.SnapshotStore = (*Store)(nil)
)

// Append stores every event of req or none. See es.Store.
//
// When req.CommandID is one of the aggregate's newest appends (1024 of
// them; JetStream's Nats-Msg-Id dedupe has a time window), or the append
// right after req.ExpectedSequence, req is a retry of that write and Append
// returns its stored result again, with Duplicate set, instead of storing
// it twice or failing with a conflict. Otherwise an ExpectedSequence
// that is not the aggregate's last, or an ExpectedVersion that is not its
// event count, fails with an *es.ConflictError.
//
// The result's records share payloads with the request, not with the
// store: the caller owns both.
func (s *Store) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	if err := ctx.Err(); err != nil {
		return es.AppendResult{}, err
	}
	if err := validateRequest(req); err != nil {
		return es.AppendResult{}, err
	}
	// Encode before taking the lock. The envelope holds the store's own
	// copy of the payloads.
	data := envelope.Append(make([]byte, 0, envelope.Size(req)), req)
	last := req.ExpectedVersion + uint64(len(req.Events))

	s.mu.Lock()
	st := s.streams[req.Ref]
	if st == nil {
		st = &stream{recent: make(map[string]int)}
		s.streams[req.Ref] = st
	}
	if i := st.retried(req); i >= 0 {
		res, err := st.duplicate(i)
		s.mu.Unlock()
		return res, err
	}
	var lastSeq, lastVersion uint64
	if n := len(st.seqs); n > 0 {
		lastSeq, lastVersion = st.seqs[n-1], st.lasts[n-1]
	}
	if lastSeq != req.ExpectedSequence {
		s.mu.Unlock()
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
			Err: fmt.Errorf("last sequence is %d", lastSeq)}
	}
	if lastVersion != req.ExpectedVersion {
		s.mu.Unlock()
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
			Err: fmt.Errorf("expected version %d, aggregate has %d events", req.ExpectedVersion, lastVersion)}
	}
	s.seq++
	seq := s.seq
	st.add(seq, last, req.CommandID, data)
	s.mu.Unlock()

	recs := make([]es.Record, len(req.Events))
	m := es.Metadata{
		AggregateType: req.Ref.Type,
		AggregateID:   req.Ref.ID,
		Time:          req.Time.UTC(),
		CorrelationID: req.CorrelationID,
		CausationID:   req.CausationID,
		Actor:         req.Actor,
		Traceparent:   req.Traceparent,
		Sequence:      seq,
	}
	for i, e := range req.Events {
		m.EventID = es.EventID(req.CommandID, i)
		m.Version = req.ExpectedVersion + uint64(i) + 1
		m.EventType = e.Type
		m.SchemaVersion = e.SchemaVersion
		d := e.Data
		if d == nil {
			d = []byte{}
		}
		recs[i] = es.Record{Metadata: m, Data: d}
	}
	return es.AppendResult{Sequence: seq, Version: last, Records: recs}, nil
}

// validateRequest rejects requests no store could honour.
func validateRequest(req *es.AppendRequest) error {
	if err := es.ValidateRef(req.Ref); err != nil {
		return fmt.Errorf("append: %w", err)
	}
	if req.CommandID == "" {
		return fmt.Errorf("append to %s %q: empty command id", req.Ref.Type, req.Ref.ID)
	}
	if len(req.Events) == 0 {
		return fmt.Errorf("append to %s %q: no events", req.Ref.Type, req.Ref.ID)
	}
	for i, e := range req.Events {
		if e.Type == "" {
			return fmt.Errorf("append to %s %q: event %d has no type", req.Ref.Type, req.Ref.ID, i)
		}
		if e.SchemaVersion < 0 {
			return fmt.Errorf("append to %s %q: event %d has schema version %d", req.Ref.Type, req.Ref.ID, i, e.SchemaVersion)
		}
	}
	return nil
}

// Read yields the events of ref whose version is greater than from.Version,
// in order. It reads a consistent view: events appended while the loop runs
// are not yielded. An invalid ref yields one error matching es.ErrInvalidID.
func (s *Store) Read(ctx context.Context, ref es.Ref, from es.Position) iter.Seq2[es.Record, error] {
	return func(yield func(es.Record, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(es.Record{}, err)
			return
		}
		if err := es.ValidateRef(ref); err != nil {
			yield(es.Record{}, fmt.Errorf("read: %w", err))
			return
		}
		s.mu.RLock()
		var view stream
		if st := s.streams[ref]; st != nil {
			// Appends are only ever added, never changed: the view stays
			// valid after unlocking.
			n := len(st.seqs)
			view = stream{seqs: st.seqs[:n:n], lasts: st.lasts[:n:n], data: st.data[:n:n]}
		}
		s.mu.RUnlock()
		// The first append holding a version after from.
		i, _ := slices.BinarySearch(view.lasts, from.Version+1)
		sc := new(envelope.Scratch)
		for ; i < len(view.seqs); i++ {
			if err := ctx.Err(); err != nil {
				yield(es.Record{}, err)
				return
			}
			recs, err := view.decode(i, sc)
			if err != nil {
				yield(es.Record{}, err)
				return
			}
			for _, rec := range recs {
				if rec.Version <= from.Version {
					continue
				}
				rec.Data = slices.Clone(rec.Data)
				if rec.Data == nil {
					rec.Data = []byte{}
				}
				if !yield(rec, nil) {
					return
				}
			}
		}
	}
}

// LoadSnapshot returns the snapshot of ref, or an error matching
// es.ErrNotFound.
func (s *Store) LoadSnapshot(ctx context.Context, ref es.Ref) (es.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return es.Snapshot{}, err
	}
	if err := es.ValidateRef(ref); err != nil {
		return es.Snapshot{}, fmt.Errorf("load snapshot: %w", err)
	}
	s.mu.RLock()
	snap, ok := s.snapshots[ref]
	s.mu.RUnlock()
	if !ok {
		return es.Snapshot{}, fmt.Errorf("snapshot of %s %q: %w", ref.Type, ref.ID, es.ErrNotFound)
	}
	snap.Data = slices.Clone(snap.Data)
	return snap, nil
}

// SaveSnapshot replaces the snapshot of ref.
func (s *Store) SaveSnapshot(ctx context.Context, ref es.Ref, snap es.Snapshot) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := es.ValidateRef(ref); err != nil {
		return fmt.Errorf("save snapshot: %w", err)
	}
	snap.Data = slices.Clone(snap.Data)
	s.mu.Lock()
	s.snapshots[ref] = snap
	s.mu.Unlock()
	return nil
}
