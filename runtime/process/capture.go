package process

import (
	"context"
	"iter"

	"github.com/esgen/esgen/runtime/es"
)

// The runner reads an instance's steps and the repository's state of it
// in one read: its repository's store hands the records it reads to the
// runner when the read's context asks for them (captureKey).

type captureKey struct{}

// capture collects the records of the reads made with it in their
// context.
type capture struct{ recs []es.Record }

// captureStore is a store whose reads hand their records to the capture
// of their context, if any.
type captureStore struct{ es.Store }

func (s captureStore) Read(ctx context.Context, ref es.Ref, from es.Position) iter.Seq2[es.Record, error] {
	seq := s.Store.Read(ctx, ref, from)
	c, ok := ctx.Value(captureKey{}).(*capture)
	if !ok {
		return seq
	}
	return func(yield func(es.Record, error) bool) {
		for rec, err := range seq {
			if err == nil {
				c.recs = append(c.recs, rec)
			}
			if !yield(rec, err) {
				return
			}
		}
	}
}

// captureFinder is a captureStore on a store that finds commands: the
// repository keeps asking it rather than reading histories.
type captureFinder struct {
	captureStore
	es.CommandFinder
}

// capturing returns store wrapped as a captureStore, a CommandFinder
// when store is one.
func capturing(store es.Store) es.Store {
	if f, ok := store.(es.CommandFinder); ok {
		return captureFinder{captureStore{store}, f}
	}
	return captureStore{store}
}
