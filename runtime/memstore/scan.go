package memstore

import (
	"bytes"
	"context"
	"iter"
	"slices"

	"github.com/esgen/esgen/runtime/es"
)

var _ es.Scanner = (*Store)(nil)

// Scan yields every record stored after sequence after, of every
// aggregate, in the order of their sequences: those stored when Scan is
// called, whenever the loop runs. Each record's payload is a copy the
// caller may change. See es.Scanner.
//
// It costs a look at every aggregate the store holds (a binary search of
// its appends for the first after after), and a sort of the appends
// found, under the store's lock; their records are decoded as the loop
// runs.
func (s *Store) Scan(ctx context.Context, after uint64) iter.Seq2[es.Record, error] {
	if err := ctx.Err(); err != nil {
		return failed(err)
	}
	type found struct {
		seq uint64
		ref es.Ref
		h   *history
		i   int
	}
	var appends []found
	s.mu.Lock()
	for typ, byID := range s.streams {
		for id, st := range byID {
			i := st.after(after)
			if i < 0 {
				continue
			}
			h := st.view()
			ref := es.Ref{Type: typ, ID: id}
			for ; i < h.n; i++ {
				appends = append(appends, found{seq: h.pos(i).seq, ref: ref, h: &h, i: i})
			}
		}
	}
	s.mu.Unlock()
	slices.SortFunc(appends, func(a, b found) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	return func(yield func(es.Record, error) bool) {
		for _, a := range appends {
			if err := ctx.Err(); err != nil {
				yield(es.Record{}, err)
				return
			}
			d := decoder{ref: a.ref}
			recs, err := d.records(a.h, a.i)
			if err != nil {
				yield(es.Record{}, err)
				return
			}
			for _, rec := range recs {
				rec.Data = bytes.Clone(rec.Data)
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
