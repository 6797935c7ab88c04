package process

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/esgen/esgen/runtime/es"
)

// Handle handles stored events of the process's sources, in order: a
// projection.Handler, which the process's consumer calls (see Consumer).
// Each record that is an input of the process (Definition.Input) is
// handled by its process instance: its step is decided and stored, then
// its timers armed and its commands sent. The step's command id is
// derived from the event (its aggregate and event id), its correlation id
// is the event's (or the event's id when it has none), its causation id
// the event's id. Records of other aggregate types, and events the
// process does not react to, are skipped; an input the instance's state
// does not accept is logged (WARN) and skipped.
//
// The instances of one call are handled concurrently (WithConcurrency),
// the inputs of one instance in order. Handle returns nil once every
// input is handled, and an error when one could not be (an input that
// cannot be read, a store failure, a command that could not be sent):
// the consumer then delivers the records again, and the inputs already
// handled are recognised, however long ago they were (see the package
// documentation).
func (r *Runner[S, I]) Handle(ctx context.Context, records []es.Record) error {
	var (
		order  []string
		groups map[string][]input[I]
		one    string // the only instance, while there is one
		single []input[I]
	)
	for i := range records {
		rec := &records[i]
		if !r.sources[rec.AggregateType] {
			continue
		}
		id, in, ok, err := r.def.Input(*rec)
		if err != nil {
			return fmt.Errorf("process %s: event %s of %s %q (sequence %d): %w", r.name, rec.EventID, rec.AggregateType, rec.AggregateID, rec.Sequence, err)
		}
		if !ok {
			continue
		}
		if err := es.ValidateID(id); err != nil {
			return fmt.Errorf("process %s: event %s of %s %q (sequence %d) names no process instance: %w", r.name, rec.EventID, rec.AggregateType, rec.AggregateID, rec.Sequence, err)
		}
		corr := rec.CorrelationID
		if corr == "" {
			corr = rec.EventID
		}
		item := input[I]{
			id:          sourceInputID(rec),
			in:          in,
			correlation: corr,
			causation:   rec.EventID,
			traceparent: rec.Traceparent,
			cause:       "event " + rec.EventType + " " + rec.EventID + " of " + rec.AggregateType + " " + rec.AggregateID,
		}
		switch {
		case groups == nil && (one == "" || one == id):
			one = id
			single = append(single, item)
		default:
			if groups == nil {
				groups = map[string][]input[I]{one: single}
				order = append(order, one)
			}
			if _, ok := groups[id]; !ok {
				order = append(order, id)
			}
			groups[id] = append(groups[id], item)
		}
	}
	if groups == nil {
		if one == "" {
			return nil
		}
		return r.handleInstance(ctx, one, single)
	}
	return r.handleConcurrently(ctx, order, groups)
}

// handleConcurrently handles the inputs of several instances, up to the
// runner's concurrency at once.
func (r *Runner[S, I]) handleConcurrently(ctx context.Context, order []string, groups map[string][]input[I]) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	sem := make(chan struct{}, r.o.concurrency)
	for _, id := range order {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return errors.Join(append(errs, ctx.Err())...)
		}
		wg.Add(1)
		r.workers.do(func() {
			defer wg.Done()
			defer func() { <-sem }()
			// A context of its own: the store derives one with a timeout
			// from it for each request, and contexts derived at once from
			// one parent contend for its lock.
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			if err := r.handleInstance(ctx, id, groups[id]); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// handleInstance handles inputs of instance id in order, stopping at the
// first that fails.
func (r *Runner[S, I]) handleInstance(ctx context.Context, id string, inputs []input[I]) error {
	e, err := r.cache.acquire(ctx, id)
	if err != nil {
		return err
	}
	defer r.cache.release(e)
	for _, in := range inputs {
		if err := r.handle(ctx, e, in, 0); err != nil {
			return err
		}
	}
	return nil
}
