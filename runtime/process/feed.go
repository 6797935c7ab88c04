package process

import (
	"context"
	"fmt"
	"sync"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/projection"
)

// feedBatch is how many appends a Feed hands to its handler at a time.
const feedBatch = 100

// Feed hands the events stored in a store to a handler in the order
// stored, from a checkpoint it keeps: the in-memory stand-in of a
// process's durable consumer, for tests and programs on the in-memory
// store. Nothing moves until Deliver is called, so a test decides when
// events reach the process:
//
//	feed := process.NewFeed(store, runner, runner.Sources()...)
//	orders.Handle(ctx, "o-1", Submit{...})
//	feed.Deliver(ctx) // the process reacted, and to what its commands stored
//
// Its methods are safe for concurrent use; deliveries take turns.
type Feed struct {
	store es.Scanner
	h     projection.Handler
	types map[string]bool

	mu         sync.Mutex // held by a delivery
	checkpoint uint64
}

// NewFeed returns a feed of the events of the aggregate types given (all
// when none is) stored in store to h, from the start of the store.
func NewFeed(store es.Scanner, h projection.Handler, types ...string) *Feed {
	f := &Feed{store: store, h: h}
	if len(types) > 0 {
		f.types = make(map[string]bool, len(types))
		for _, t := range types {
			f.types[t] = true
		}
	}
	return f
}

// Deliver hands every event stored after the checkpoint to the handler,
// in batches of up to 100 appends, moving the checkpoint past each batch
// the handler returned nil for, until no event is left: those stored
// while it delivers (the commands the process sent) are delivered too.
// It returns how many records it handed over, and the handler's first
// error (the checkpoint then stays before the failed batch, which the
// next Deliver hands over again).
func (f *Feed) Deliver(ctx context.Context) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	total := 0
	for {
		var (
			batch   []es.Record
			appends int
			last    uint64 // sequence of the last append read
		)
		for rec, err := range f.store.Scan(ctx, f.checkpoint) {
			if err != nil {
				return total, fmt.Errorf("process: feed: %w", err)
			}
			if rec.Sequence != last {
				if appends == feedBatch {
					break // the next scan starts after last
				}
				appends++
				last = rec.Sequence
			}
			if f.types == nil || f.types[rec.AggregateType] {
				batch = append(batch, rec)
			}
		}
		if last == 0 {
			return total, nil
		}
		if len(batch) > 0 {
			if err := f.h.Handle(ctx, batch); err != nil {
				return total, fmt.Errorf("process: feed: records after sequence %d: %w", f.checkpoint, err)
			}
		}
		total += len(batch)
		f.checkpoint = last
	}
}

// Rewind moves the checkpoint back to sequence seq: the next Deliver
// hands every event stored after it again, as a consumer reset to it
// would (Rewind(0): from the start).
func (f *Feed) Rewind(seq uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checkpoint = seq
}

// Checkpoint returns the sequence of the last append delivered.
func (f *Feed) Checkpoint() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.checkpoint
}
