package memstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/esgen/esgen/runtime/es"
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
// The store keeps its own copy of the payloads and keeps neither req nor
// req.Events. The result's records are the stored ones: read-only, as
// es.AppendResult says.
func (s *Store) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	if err := ctx.Err(); err != nil {
		return es.AppendResult{}, err
	}
	if err := validateRequest(req); err != nil {
		return es.AppendResult{}, err
	}
	// Before taking the lock: one buffer for the payloads and one string
	// for the event ids, whatever the number of events.
	size := 0
	for i := range req.Events {
		size += len(req.Events[i].Data)
	}
	payloads := make([]byte, 0, size)
	ids := eventIDs(req.CommandID, len(req.Events))
	m := es.Metadata{
		AggregateType: req.Ref.Type,
		AggregateID:   req.Ref.ID,
		Time:          req.Time.UTC(), // as the JetStream store's envelope keeps it: UTC, no monotonic reading
		CorrelationID: req.CorrelationID,
		CausationID:   req.CausationID,
		Actor:         req.Actor,
		Traceparent:   req.Traceparent,
	}

	s.mu.Lock()
	st := s.streams[req.Ref]
	if st != nil {
		if i := st.recent(req.CommandID); i >= 0 {
			res := st.result(i, true)
			s.mu.Unlock()
			return res, nil
		}
	}
	var lastSeq, lastVersion uint64
	if st != nil {
		lastSeq, lastVersion = st.last()
	}
	if lastSeq != req.ExpectedSequence {
		// A retry of the write stored right after the expected sequence
		// (its reply was lost) is that write, at any age.
		if st != nil {
			if i := st.after(req.ExpectedSequence); i >= 0 && isFirstOf(st.recs[i].EventID, req.CommandID) {
				res := st.result(i, true)
				s.mu.Unlock()
				return res, nil
			}
		}
		s.mu.Unlock()
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
			Err: fmt.Errorf("last sequence is %d", lastSeq)}
	}
	if lastVersion != req.ExpectedVersion {
		s.mu.Unlock()
		return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
			Err: fmt.Errorf("expected version %d, aggregate has %d events", req.ExpectedVersion, lastVersion)}
	}
	if st == nil {
		st = newStream(len(req.Events))
		s.streams[req.Ref] = st
	}
	s.seq++
	m.Sequence = s.seq
	first := len(st.recs)
	for i := range req.Events {
		e := &req.Events[i]
		at := len(payloads)
		payloads = append(payloads, e.Data...)
		n := len(req.CommandID) + 1 + digits(i+1) // "<command id>-<i+1>"
		m.EventID, ids = ids[:n], ids[n:]
		m.Version = req.ExpectedVersion + uint64(i) + 1
		m.EventType = e.Type
		m.SchemaVersion = e.SchemaVersion
		st.recs = append(st.recs, es.Record{Metadata: m, Data: payloads[at:len(payloads):len(payloads)]})
	}
	st.added(req.CommandID, first)
	res := st.result(first, false)
	s.mu.Unlock()
	return res, nil
}

// eventIDs returns the ids of the n events of command cmd, es.EventID(cmd,
// 0) to es.EventID(cmd, n-1), concatenated into one string: one allocation
// for all of them.
func eventIDs(cmd string, n int) string {
	if n == 1 {
		return es.EventID(cmd, 0)
	}
	var stack [128]byte
	b := stack[:0]
	for i := range n {
		b = append(b, cmd...)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(i+1), 10)
	}
	return string(b)
}

// digits returns the number of decimal digits of n > 0.
func digits(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
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
