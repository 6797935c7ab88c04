package memstore

import (
	"context"
	"fmt"
	"iter"

	"github.com/esgen/esgen/runtime/es"
)

// Read yields the events of ref whose version is greater than from.Version,
// in order: those stored when Read is called, whenever the loop runs. Each
// record's payload is a copy the caller may change. An invalid ref yields
// one error matching es.ErrInvalidID.
func (s *Store) Read(ctx context.Context, ref es.Ref, from es.Position) iter.Seq2[es.Record, error] {
	if err := ctx.Err(); err != nil {
		return failed(err)
	}
	if err := es.ValidateRef(ref); err != nil {
		return failed(fmt.Errorf("read: %w", err))
	}
	s.mu.Lock()
	st := s.stream(ref)
	if st == nil {
		s.mu.Unlock()
		if from.Sequence > 0 {
			return failed(gone(ref, from))
		}
		return noEvents
	}
	view := st.view()
	s.mu.Unlock()
	return view.read(ctx, ref, from)
}

// read yields the events of h after from. It starts at the append at
// from.Sequence (the one holding from.Version), or, for a position with
// no sequence, at the first append holding a version after from.Version;
// only that first append may hold versions up to from.Version. Each append
// read after it must hold the versions that follow, else the read fails
// with es.ErrCorruptEvent, as the JetStream store's does. A position whose
// sequence is none of h's appends fails with es.ErrPositionGone.
func (h history) read(ctx context.Context, ref es.Ref, from es.Position) iter.Seq2[es.Record, error] {
	start := h.holding(from.Version)
	if from.Sequence > 0 {
		if start = h.after(from.Sequence - 1); start < 0 || h.pos(start).seq != from.Sequence {
			return failed(gone(ref, from))
		}
	}
	if start == h.n {
		return noEvents
	}
	return func(yield func(es.Record, error) bool) {
		d := decoder{ref: ref}
		next := from.Version + 1 // the version the next yielded record must have
		for i := start; i < h.n; i++ {
			if err := ctx.Err(); err != nil {
				yield(es.Record{}, err)
				return
			}
			e, err := d.open(&h, i)
			if err == nil {
				last := e.first + uint64(e.n) - 1
				switch {
				case i == start && e.first < next && last < next:
					continue // the append holding from.Version, wholly before it
				case i == start && e.first < next:
				case e.first != next:
					err = e.unchained(ref, next)
				}
				next = last + 1
			}
			for err == nil {
				var rec es.Record
				var ok bool
				if rec, ok, err = d.next(&e); !ok {
					break
				}
				if rec.Version <= from.Version {
					continue
				}
				rec.Data = append([]byte{}, rec.Data...) // the caller's copy
				if !yield(rec, nil) {
					return
				}
			}
			if err != nil {
				yield(es.Record{}, err)
				return
			}
		}
	}
}

// noEvents is the read of an aggregate with nothing after the position.
func noEvents(func(es.Record, error) bool) {}

// failed is a read that fails with err.
func failed(err error) iter.Seq2[es.Record, error] {
	return func(yield func(es.Record, error) bool) { yield(es.Record{}, err) }
}

// gone is the error of a read of ref from a position the store holds no
// append of ref at.
func gone(ref es.Ref, from es.Position) error {
	return fmt.Errorf("memstore: read %s %q from version %d at sequence %d: %w: no append of the aggregate there",
		ref.Type, ref.ID, from.Version, from.Sequence, es.ErrPositionGone)
}
