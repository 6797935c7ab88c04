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
)

// Store is an in-memory es.Store and es.SnapshotStore. The zero value is not
// usable; call New. It is safe for concurrent use.
type Store struct {
	mu        sync.RWMutex
	seq       uint64 // sequence of the newest append, store-wide
	streams   map[es.Ref]*stream
	snapshots map[es.Ref]es.Snapshot
}

// stream is the history of one aggregate instance.
type stream struct {
	records   []es.Record    // in version order; records[i].Version == i+1
	appends   []appended     // in sequence order
	byCommand map[string]int // command id -> index in appends
}

// appended remembers one stored append for concurrency checks and for
// recognising a retried command.
type appended struct {
	sequence  uint64
	commandID string
	first     int // index of its first record in stream.records
	n         int // number of records
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
// When the aggregate already holds an append of req.CommandID, req is a
// retry of that write and Append returns its stored result again, with
// Duplicate set, instead of storing it twice or failing with a conflict
// (JetStream's Nats-Msg-Id dedupe does the same within its window; the
// in-memory store remembers every command). Otherwise an ExpectedSequence
// that is not the aggregate's last, or an ExpectedVersion that is not its
// event count, fails with an *es.ConflictError.
func (s *Store) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	if err := ctx.Err(); err != nil {
		return es.AppendResult{}, err
	}
	if err := validateRequest(req); err != nil {
		return es.AppendResult{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.streams[req.Ref]
	if st == nil {
		st = &stream{}
	}
	if i, ok := st.byCommand[req.CommandID]; ok {
		// A retry of a stored command, wherever it expects to append.
		res := st.result(st.appends[i])
		res.Duplicate = true
		return res, nil
	}
	if _, ok := st.after(req.ExpectedSequence); ok {
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence}
	}
	if last := st.lastSequence(); last != req.ExpectedSequence {
		// No append after the expected sequence, yet it is not the last:
		// the writer expects a sequence this aggregate never had.
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
			Err: fmt.Errorf("last sequence is %d", last)}
	}
	if v := uint64(len(st.records)); v != req.ExpectedVersion {
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
			Err: fmt.Errorf("expected version %d, aggregate has %d events", req.ExpectedVersion, v)}
	}
	s.seq++
	a := appended{sequence: s.seq, commandID: req.CommandID, first: len(st.records), n: len(req.Events)}
	out := make([]es.Record, len(req.Events))
	for i, e := range req.Events {
		out[i] = es.Record{
			Metadata: es.Metadata{
				EventID:       es.EventID(req.CommandID, i),
				AggregateType: req.Ref.Type,
				AggregateID:   req.Ref.ID,
				Version:       req.ExpectedVersion + uint64(i) + 1,
				Time:          req.Time,
				CorrelationID: req.CorrelationID,
				CausationID:   req.CausationID,
				Actor:         req.Actor,
				Traceparent:   req.Traceparent,
				EventType:     e.Type,
				SchemaVersion: e.SchemaVersion,
				Sequence:      a.sequence,
			},
			Data: e.Data,
		}
		rec := out[i]
		rec.Data = slices.Clone(e.Data)
		if rec.Data == nil {
			rec.Data = []byte{}
			out[i].Data = rec.Data
		}
		st.records = append(st.records, rec)
	}
	if st.byCommand == nil {
		st.byCommand = make(map[string]int)
	}
	st.byCommand[req.CommandID] = len(st.appends)
	st.appends = append(st.appends, a)
	s.streams[req.Ref] = st
	// The result's records share payloads with the request, not with the
	// store: the caller owns both.
	return es.AppendResult{Sequence: a.sequence, Version: out[len(out)-1].Version, Records: out}, nil
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
	}
	return nil
}

// after returns the first append whose sequence is greater than seq.
func (st *stream) after(seq uint64) (appended, bool) {
	i, _ := slices.BinarySearchFunc(st.appends, seq+1, func(a appended, target uint64) int {
		switch {
		case a.sequence < target:
			return -1
		case a.sequence > target:
			return 1
		}
		return 0
	})
	if i == len(st.appends) {
		return appended{}, false
	}
	return st.appends[i], true
}

func (st *stream) lastSequence() uint64 {
	if len(st.appends) == 0 {
		return 0
	}
	return st.appends[len(st.appends)-1].sequence
}

// result rebuilds the AppendResult of a stored append.
func (st *stream) result(a appended) es.AppendResult {
	recs := cloneRecords(st.records[a.first : a.first+a.n])
	return es.AppendResult{Sequence: a.sequence, Version: recs[len(recs)-1].Version, Records: recs}
}

// Read yields the events of ref whose version is greater than from.Version,
// in order. It reads a consistent view: events appended while the loop runs
// are not yielded. An invalid id yields one error matching es.ErrInvalidID.
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
		var recs []es.Record
		if st := s.streams[ref]; st != nil && from.Version < uint64(len(st.records)) {
			// Records are only ever appended, never changed in place, so
			// the elements of this view stay as they are after unlocking.
			recs = st.records[from.Version:len(st.records):len(st.records)]
		}
		s.mu.RUnlock()
		for _, rec := range recs {
			if err := ctx.Err(); err != nil {
				yield(es.Record{}, err)
				return
			}
			rec.Data = slices.Clone(rec.Data)
			if !yield(rec, nil) {
				return
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

func cloneRecords(recs []es.Record) []es.Record {
	out := make([]es.Record, len(recs))
	for i, r := range recs {
		r.Data = slices.Clone(r.Data)
		out[i] = r
	}
	return out
}
