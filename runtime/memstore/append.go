package memstore

import (
	"context"
	"fmt"

	"github.com/esgen/esgen/runtime/es"
)

// Append stores every event of req or none. See es.Store.
//
// A request whose ExpectedSequence is the aggregate's last (or 0) but
// whose ExpectedVersion is not the version there fails with an
// *es.ConflictError, whatever its command id: its events would repeat or
// skip versions. Otherwise, when req.CommandID is one of the aggregate's
// newest appends (es.DedupeAppends of them; JetStream's Nats-Msg-Id dedupe
// has a time window), or the append right after req.ExpectedSequence, req
// is a retry of that write and Append returns its stored result again,
// with Duplicate set, instead of storing it twice or failing with a
// conflict. Otherwise an ExpectedSequence that is not the aggregate's last
// fails with an *es.ConflictError.
//
// The store keeps a copy of what req holds and nothing of req itself. A
// new append's result has no records (req.Records builds them); a
// duplicate's share their payloads with the store: read-only, as
// es.AppendResult says.
func (s *Store) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	if err := ctx.Err(); err != nil {
		return es.AppendResult{}, err
	}
	if err := validateRequest(req); err != nil {
		return es.AppendResult{}, err
	}
	size := entrySize(req)
	if size > maxEntry {
		return es.AppendResult{}, fmt.Errorf("memstore: append to %s %q: %w: %d bytes in one append, at most %d",
			req.Ref.Type, req.Ref.ID, es.ErrTooLarge, size, maxEntry)
	}

	s.mu.Lock()
	st := s.stream(req.Ref)
	var lastSeq, lastVersion uint64
	if st != nil {
		lastSeq, lastVersion = st.last()
	}
	if req.ExpectedSequence == lastSeq && req.ExpectedVersion != lastVersion {
		s.mu.Unlock()
		return es.AppendResult{}, versionConflict(req, lastVersion)
	}
	if req.ExpectedSequence == 0 && req.ExpectedVersion != 0 {
		s.mu.Unlock()
		return es.AppendResult{}, versionConflict(req, 0)
	}
	if st != nil && !req.NewCommandID {
		if i := st.recent(req.CommandID); i >= 0 {
			return s.duplicate(req.Ref, st, i)
		}
	}
	if lastSeq != req.ExpectedSequence {
		// A retry of the write stored right after the expected sequence
		// (its reply was lost) is that write, at any age.
		if st != nil {
			if i := st.after(req.ExpectedSequence); i >= 0 && string(st.commandID(i)) == req.CommandID {
				return s.duplicate(req.Ref, st, i)
			}
		}
		s.mu.Unlock()
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
			Err: fmt.Errorf("last sequence is %d", lastSeq)}
	}
	if st == nil {
		st = s.create(req.Ref, size)
	}
	s.seq++
	seq := s.seq
	st.add(req, seq, size)
	s.mu.Unlock()
	return es.AppendResult{Sequence: seq, Version: req.ExpectedVersion + uint64(len(req.Events))}, nil
}

// versionConflict is the error of a request whose expected version is not
// the aggregate's version at its expected sequence, have.
func versionConflict(req *es.AppendRequest, have uint64) error {
	return &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
		Err: fmt.Errorf("expected version %d, the aggregate is at version %d there", req.ExpectedVersion, have)}
}

// FindCommand returns the stored result of command commandID of ref, as
// Append returns a duplicate, when it is one of the aggregate's newest
// es.DedupeAppends appends: those a retry is recognised among wherever it
// is retried. See es.CommandFinder.
func (s *Store) FindCommand(ctx context.Context, ref es.Ref, commandID string) (es.AppendResult, bool, error) {
	if err := ctx.Err(); err != nil {
		return es.AppendResult{}, false, err
	}
	if err := es.ValidateRef(ref); err != nil {
		return es.AppendResult{}, false, fmt.Errorf("memstore: find command: %w", err)
	}
	if err := es.ValidateCommandID(commandID); err != nil {
		return es.AppendResult{}, false, fmt.Errorf("memstore: find command of %s %q: %w", ref.Type, ref.ID, err)
	}
	s.mu.Lock()
	st := s.stream(ref)
	i := -1
	if st != nil {
		i = st.recent(commandID)
	}
	if i < 0 {
		s.mu.Unlock()
		return es.AppendResult{}, false, nil
	}
	res, err := s.duplicate(ref, st, i)
	return res, err == nil, err
}

// duplicate returns the stored result of append i of st, as a retry gets
// it, and releases the lock Append holds.
func (s *Store) duplicate(ref es.Ref, st *stream, i int) (es.AppendResult, error) {
	view := st.view()
	pos := *st.pos(i)
	s.mu.Unlock()
	d := decoder{ref: ref}
	recs, err := d.records(&view, i)
	if err != nil {
		return es.AppendResult{}, err
	}
	return es.AppendResult{Sequence: pos.seq, Version: pos.last, Records: recs, Duplicate: true}, nil
}

// validateRequest rejects requests no store could honour.
func validateRequest(req *es.AppendRequest) error {
	if err := es.ValidateRef(req.Ref); err != nil {
		return fmt.Errorf("append: %w", err)
	}
	if err := es.ValidateCommandID(req.CommandID); err != nil {
		return fmt.Errorf("append to %s %q: %w", req.Ref.Type, req.Ref.ID, err)
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
