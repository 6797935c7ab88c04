package es

import (
	"context"
	"errors"
	"fmt"
)

// LogDefinition is what the runtime needs to know of a non-transactional
// (eventual) aggregate: a stream of events with no state machine. esgen
// generates it.
type LogDefinition[E any] struct {
	// Type is the aggregate type name, e.g. "Metrics".
	Type string
	// Events encodes and decodes events.
	Events EventCodec[E]
}

// Log appends events of an eventual aggregate: no decision, no state, but
// the same envelope, metadata, ordering and atomicity as a Repository.
// Versions stay contiguous: Log keeps the last known position of recent
// aggregates and, on a concurrency conflict, rereads it and appends again.
// It is safe for concurrent use: appends to the same aggregate take turns,
// as a Repository's commands do.
type Log[E any] struct {
	def   LogDefinition[E]
	store Store
	opts  repositoryOptions
	cache *stateCache[struct{}]
	ids   *commandIDs
	lanes *lanes
	// unknown holds the positions the appends whose outcome is unknown
	// were made at, for their retries.
	unknown unknownOutcomes[struct{}]
	spans   spanLookup
}

// NewLog binds an eventual aggregate definition to a store. Of the
// repository options, WithCacheSize, WithMaxRetries, WithRetryBackoff,
// WithClock and WithLogger apply; snapshots do not (there is no state).
func NewLog[E any](store Store, def LogDefinition[E], opts ...RepositoryOption) *Log[E] {
	o := newRepositoryOptions(opts)
	return &Log[E]{def: def, store: store, opts: o, cache: newStateCache[struct{}](o.cacheSize), ids: newCommandIDs(), lanes: newLanes(), spans: newSpanLookup()}
}

// Append stores events as one atomic append to aggregate id, after every
// event already there. Appending no events is a no-op. Appends to the same
// aggregate through one Log take turns in the order they arrive, so they
// never conflict with each other; one whose ctx ends while it waits
// returns an error matching ctx's, and nothing is stored for it. On a
// concurrency conflict with another writer it rereads the aggregate's
// position and retries, up to the retry limit, after a growing, jittered
// wait (WithRetryBackoff); retries of the same command id are stored once.
// An append with an unknown outcome (ErrOutcomeUnknown) retried with its
// id through the same Log is made at the position it was first made at,
// and so recognised at any age, as Repository.Handle does.
func (l *Log[E]) Append(ctx context.Context, id string, events []E, opts ...HandleOption) ([]Record, error) {
	if err := ValidateID(id); err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return nil, nil
	}
	o := resolveHandleOptions(l.ids, opts)
	if err := o.check(); err != nil {
		return nil, err
	}
	ref := Ref{Type: l.def.Type, ID: id}
	raw := make([]RawEvent, len(events))
	for i, e := range events {
		var err error
		if raw[i], err = l.def.Events.Encode(nil, e); err != nil {
			return nil, fmt.Errorf("%s %q: encode event: %w", ref.Type, id, err)
		}
	}
	lane, err := l.lanes.acquire(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("%s %q: waiting for the appends before: %w", ref.Type, id, err)
	}
	defer l.lanes.release(lane)
	// A retry of an append whose outcome is unknown is made at the
	// position the append was made at: the store finds it there if it
	// was stored (see unknownOutcomes).
	var prior Instance[struct{}]
	retrying, pending := false, false
	if o.number == 0 {
		prior, retrying = l.unknown.get(id, o.commandID)
		pending = retrying
	}
	for attempt := 0; ; {
		at := prior.Position
		if !retrying {
			var err error
			if at, err = l.position(ctx, ref); err != nil {
				return nil, err
			}
		}
		req := &AppendRequest{
			Ref:              ref,
			ExpectedVersion:  at.Version,
			ExpectedSequence: at.Sequence,
			Time:             l.opts.clock().UTC(),
			Actor:            o.actor,
			Traceparent:      o.traceparent,
			Events:           raw,
		}
		if req.Traceparent == "" {
			req.Traceparent = l.spans.traceparent(ctx)
		}
		o.identify(l.ids)
		req.CommandID, req.CorrelationID, req.CausationID = o.commandID, o.correlationID, o.causationID
		ar, err := l.store.Append(ctx, req)
		if err != nil {
			// The cached position is stale after a conflict, and may be
			// after another failure (a lost reply), whether this call
			// retries or gives up.
			l.cache.remove(id)
			if errors.Is(err, ErrOutcomeUnknown) {
				l.unknown.put(id, o.commandID, Instance[struct{}]{Position: at})
			}
			if retrying && errors.Is(err, ErrConflict) {
				// Another append follows that position: this one was not
				// stored, and never will be. Append after the newest,
				// without counting a retry.
				l.unknown.remove(id, o.commandID)
				retrying, pending = false, false
				continue
			}
			if errors.Is(err, ErrConflict) && attempt < l.opts.maxRetries {
				if err := retryAfter(ctx, &l.opts, ref, attempt, o.commandID, err); err != nil {
					return nil, err
				}
				attempt++
				continue
			}
			return nil, err
		}
		if pending { // the outcome is known now
			l.unknown.remove(id, o.commandID)
		}
		l.cache.put(id, Instance[struct{}]{ID: id, Position: Position{Version: ar.Version, Sequence: ar.Sequence}}, -1)
		if ar.Duplicate {
			return ar.Records, nil
		}
		return req.Records(ar.Sequence), nil
	}
}

// History returns every stored event of aggregate id with its metadata,
// decoded and upcast.
func (l *Log[E]) History(ctx context.Context, id string) ([]Record, []E, error) {
	return history(ctx, l.store, l.def.Events, Ref{Type: l.def.Type, ID: id})
}

// position returns the cached position of ref, else reads to the end.
func (l *Log[E]) position(ctx context.Context, ref Ref) (Position, error) {
	if inst, _, ok := l.cache.get(ref.ID); ok {
		return inst.Position, nil
	}
	var at Position
	for rec, err := range l.store.Read(ctx, ref, Position{}) {
		if err != nil {
			return Position{}, err
		}
		at = Position{Version: rec.Version, Sequence: rec.Sequence}
	}
	return at, nil
}
