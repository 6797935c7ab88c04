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
	"time"

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

// dedupeWindow is how many of an aggregate's newest appends are found by
// command id wherever they are retried (JetStream's dedupe is bounded by
// time instead). A retry at the sequence it was stored after is found at
// any age.
const dedupeWindow = 1024

// stream is the history of one aggregate instance: its appends in order.
type stream struct {
	appends []*batch          // in sequence and version order
	recent  map[string]*batch // command id -> append, for the newest dedupeWindow appends
}

// retried returns the stored append req retries, if any: the newest
// appends by command id, and the append right after the expected sequence.
func (st *stream) retried(req *es.AppendRequest) *batch {
	if b := st.recent[req.CommandID]; b != nil {
		return b
	}
	if n := len(st.appends); n == 0 || st.appends[n-1].seq == req.ExpectedSequence {
		return nil // nothing stored after the expected sequence
	}
	i, _ := slices.BinarySearchFunc(st.appends, req.ExpectedSequence+1, func(b *batch, seq uint64) int {
		switch {
		case b.seq < seq:
			return -1
		case b.seq > seq:
			return 1
		}
		return 0
	})
	if i < len(st.appends) && st.appends[i].cmd == req.CommandID {
		return st.appends[i]
	}
	return nil
}

// add appends b and keeps the dedupe index to the window.
func (st *stream) add(b *batch) {
	st.appends = append(st.appends, b)
	st.recent[b.cmd] = b
	if n := len(st.appends); n > dedupeWindow {
		old := st.appends[n-dedupeWindow-1]
		if st.recent[old.cmd] == old {
			delete(st.recent, old.cmd)
		}
	}
}

// batch is one stored append: the metadata its events share and the
// events themselves, in compact form (the aggregate is the stream's).
// Records are built when read.
type batch struct {
	seq    uint64
	first  uint64 // version of the first event
	time   time.Time
	cmd    string
	corr   string
	cause  string
	actor  string
	tp     string
	events []es.RawEvent
	one    [1]es.RawEvent // holds the event of a one-event append
}

func (b *batch) last() uint64 { return b.first + uint64(len(b.events)) - 1 }

// record builds the record of event i of b, an append to ref. Its payload
// is shared with the store: callers that hand it out clone it.
func (b *batch) record(ref es.Ref, i int) es.Record {
	return es.Record{
		Metadata: es.Metadata{
			EventID:       es.EventID(b.cmd, i),
			AggregateType: ref.Type,
			AggregateID:   ref.ID,
			Version:       b.first + uint64(i),
			Time:          b.time,
			CorrelationID: b.corr,
			CausationID:   b.cause,
			Actor:         b.actor,
			Traceparent:   b.tp,
			EventType:     b.events[i].Type,
			SchemaVersion: b.events[i].SchemaVersion,
			Sequence:      b.seq,
		},
		Data: b.events[i].Data,
	}
}

// result rebuilds the AppendResult of a stored append, as a retry gets it.
func (b *batch) result(ref es.Ref) es.AppendResult {
	recs := make([]es.Record, len(b.events))
	for i := range recs {
		recs[i] = b.record(ref, i)
		recs[i].Data = slices.Clone(recs[i].Data)
	}
	return es.AppendResult{Sequence: b.seq, Version: b.last(), Records: recs, Duplicate: true}
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
	// Copy the payloads before taking the lock, into one allocation.
	b := &batch{
		first: req.ExpectedVersion + 1,
		time:  req.Time.UTC(),
		cmd:   req.CommandID,
		corr:  req.CorrelationID,
		cause: req.CausationID,
		actor: req.Actor,
		tp:    req.Traceparent,
	}
	if len(req.Events) == 1 {
		b.events = b.one[:]
	} else {
		b.events = make([]es.RawEvent, len(req.Events))
	}
	size := 0
	for _, e := range req.Events {
		size += len(e.Data)
	}
	buf := make([]byte, 0, size)
	for i, e := range req.Events {
		buf = append(buf, e.Data...)
		b.events[i] = es.RawEvent{Type: e.Type, SchemaVersion: e.SchemaVersion, Data: buf[len(buf)-len(e.Data) : len(buf) : len(buf)]}
	}

	s.mu.Lock()
	st := s.streams[req.Ref]
	if st == nil {
		st = &stream{recent: make(map[string]*batch)}
		s.streams[req.Ref] = st
	}
	if b := st.retried(req); b != nil {
		s.mu.Unlock()
		return b.result(req.Ref), nil
	}
	var last *batch
	if n := len(st.appends); n > 0 {
		last = st.appends[n-1]
	}
	switch {
	case last == nil && req.ExpectedSequence != 0, last != nil && last.seq != req.ExpectedSequence:
		var lastSeq uint64
		if last != nil {
			lastSeq = last.seq
		}
		s.mu.Unlock()
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
			Err: fmt.Errorf("last sequence is %d", lastSeq)}
	case last == nil && req.ExpectedVersion != 0, last != nil && last.last() != req.ExpectedVersion:
		var v uint64
		if last != nil {
			v = last.last()
		}
		s.mu.Unlock()
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
			Err: fmt.Errorf("expected version %d, aggregate has %d events", req.ExpectedVersion, v)}
	}
	s.seq++
	b.seq = s.seq
	st.add(b)
	s.mu.Unlock()

	recs := make([]es.Record, len(req.Events))
	for i := range recs {
		recs[i] = b.record(req.Ref, i)
		recs[i].Data = req.Events[i].Data
		if recs[i].Data == nil {
			recs[i].Data = []byte{}
		}
	}
	return es.AppendResult{Sequence: b.seq, Version: b.last(), Records: recs}, nil
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
		var view []*batch
		if st := s.streams[ref]; st != nil {
			// Appends are only ever added, never changed: the view stays
			// valid after unlocking.
			view = st.appends[:len(st.appends):len(st.appends)]
		}
		s.mu.RUnlock()
		// The first append holding a version after from.
		i, _ := slices.BinarySearchFunc(view, from.Version+1, func(b *batch, v uint64) int {
			switch {
			case b.last() < v:
				return -1
			case b.first > v:
				return 1
			}
			return 0
		})
		for _, b := range view[i:] {
			for j := range b.events {
				if b.first+uint64(j) <= from.Version {
					continue
				}
				if err := ctx.Err(); err != nil {
					yield(es.Record{}, err)
					return
				}
				rec := b.record(ref, j)
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
