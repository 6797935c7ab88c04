package memstore

import (
	"context"
	"fmt"
	"iter"

	"github.com/esgen/esgen/runtime/es"
)

// Read yields the events of ref whose version is greater than from.Version,
// in order. It reads a consistent view: events appended while the loop runs
// are not yielded. Each record's payload is a copy the caller may change.
// An invalid ref yields one error matching es.ErrInvalidID.
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
		s.mu.Lock()
		var recs []es.Record
		if st := s.streams[ref]; st != nil {
			// Records are only ever added: the view stays valid.
			recs = st.recs[:len(st.recs):len(st.recs)]
		}
		s.mu.Unlock()
		// recs[i] has version i+1.
		if from.Version >= uint64(len(recs)) {
			return
		}
		for i := int(from.Version); i < len(recs); i++ {
			if err := ctx.Err(); err != nil {
				yield(es.Record{}, err)
				return
			}
			rec := recs[i]
			rec.Data = append([]byte{}, rec.Data...)
			if !yield(rec, nil) {
				return
			}
		}
	}
}
