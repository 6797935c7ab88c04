package es

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Definition is what the runtime needs to know of one aggregate type. esgen
// generates it; the decisions inside Decide are the user's.
type Definition[S, C, E any] struct {
	// Type is the aggregate type name, e.g. "Order".
	Type string
	// Initial returns the state of an aggregate with no events.
	Initial func() S
	// Creates reports whether the initial state is the only state that
	// accepts cmd: a command that starts an aggregate. Handle decides such
	// a command on the initial state of an aggregate it has not cached,
	// without reading the store first; when the aggregate has events after
	// all, the append's concurrency check fails and the command is decided
	// again on the stored state, as after a race lost to another writer.
	// Nil: every command on an aggregate not cached reads it first.
	Creates func(cmd C) bool
	// Decide appends to events the events a command produces in a state
	// (the Mealy output) and returns the extended slice, or an error. It
	// may append no events. Repository.Handle passes room for one event;
	// Decide appends beyond it as append does. Called by Handle, ctx names
	// the aggregate decided for: see RefFromContext.
	Decide func(ctx context.Context, state S, cmd C, events []E) ([]E, error)
	// Evolve applies one event to a state. It must be pure: no clock, no
	// randomness, no I/O, and it must not modify its input state.
	Evolve func(state S, event E) (S, error)
	// Events encodes and decodes events.
	Events EventCodec[E]
	// States encodes states for snapshots; nil disables snapshots.
	States StateCodec[S]
	// SnapshotEvery saves a snapshot each time the version crosses a
	// multiple of it; 0 disables snapshots.
	SnapshotEvery uint64
	// Final reports whether a state is final: an aggregate in it never
	// changes again. Nil: no state is (the aggregate is never archived).
	Final func(S) bool
	// ArchiveAfter is the retention period the .esm declares (archive
	// after): an aggregate whose last event, the one that made it final,
	// is older than it may be archived. 0: never.
	ArchiveAfter time.Duration
}

// Instance is an aggregate instance at a point of its history.
type Instance[S any] struct {
	ID    string
	State S
	Position
}

// Result is the outcome of one handled command. It holds on to what Handle
// appended, so that Records can build the stored records when asked: the
// request, its payloads, and the context the command was decided with,
// until the Result is dropped.
type Result[S, E any] struct {
	Instance[S]
	// Events are the events the command produced, in order; empty when the
	// decision produced none (nothing was appended).
	Events []E
	// Duplicate is set when the store already held this command (same
	// command id, see WithCommandID): nothing was appended, Events are what
	// the command stored the first time, and the Instance is the
	// aggregate's state after them (or newer).
	Duplicate bool
	// stored are the store's records of a duplicate; appended is the
	// request of a new append, from which Records builds them.
	stored   []Record
	appended *AppendRequest
}

// Records returns the stored events with their metadata (event ids, time,
// versions, sequence, correlation...), in order; none when nothing was
// appended. They are built when asked, from what Handle appended, so a
// caller that does not need them pays nothing for them; each call
// allocates them anew. They are read-only: their Data may be shared with
// the store.
func (r Result[S, E]) Records() []Record {
	if r.appended != nil {
		return r.appended.Records(r.Sequence)
	}
	return r.stored
}

// Repository handles commands for one aggregate type on a Store.
// It is safe for concurrent use: commands on different aggregates run in
// parallel, and commands on the same aggregate take turns (see Handle).
type Repository[S, C, E any] struct {
	def   Definition[S, C, E]
	store Store
	opts  repositoryOptions
	cache *stateCache[S]
	ids   *commandIDs
	lanes *lanes
	// room is the payload room of the next command (see newCommand).
	room payloadRoom
	// unknown holds the states the commands whose outcome is unknown
	// were decided on, for their retries.
	unknown unknownOutcomes[S]
	// tel is nil unless a tracer or meter provider is configured.
	tel   *telemetry
	spans spanLookup
}

// NewRepository binds an aggregate definition to a store.
func NewRepository[S, C, E any](store Store, def Definition[S, C, E], opts ...RepositoryOption) *Repository[S, C, E] {
	o := newRepositoryOptions(opts)
	return &Repository[S, C, E]{def: def, store: store, opts: o, cache: newStateCache[S](o.cacheSize), ids: newCommandIDs(), lanes: newLanes(), tel: newTelemetry(def.Type, &o), spans: newSpanLookup()}
}

// command is what one Handle call shares between its decision, its append
// and its Result, allocated at once: the decision's context (whose Ref is
// the request's), the append request (which the Result keeps, to build
// its records when asked) and room for a command's usual single event,
// encoded and not, and its payload (see newCommand).
type command[E any] struct {
	ctx     refContext
	req     AppendRequest
	events  [1]E
	raw     [1]RawEvent
	payload []byte // room for the first event's payload, of length 0
}

// room returns c's room for n encoded events: its own for one, else a new
// slice.
func (c *command[E]) room(n int) []RawEvent {
	if n <= len(c.raw) {
		return c.raw[:n]
	}
	return make([]RawEvent, n)
}

// Handle decides cmd on the current state of aggregate id, evolves the
// state with the resulting events, appends them atomically and returns the
// new state. The decision's context carries the aggregate's Ref (see
// RefFromContext).
//
// Commands on the same aggregate through one Repository take turns, in
// the order they arrive: a command waits until the ones before it are
// handled, so they never conflict with each other. One whose ctx ends
// while it waits returns an error matching ctx's, and nothing is stored
// for it. Commands on different aggregates do not wait for each other.
// A concurrency conflict therefore comes from another writer (another
// process, or another Repository on the same store): Handle then reloads
// and decides again, up to the retry limit (WithMaxRetries), waiting a
// growing, jittered time before each retry (WithRetryBackoff) while the
// aggregate's next commands wait for it; if ctx ends during that wait,
// the error matches both ctx's and ErrConflict. An append that fails (a
// conflict with no retries left, or any other store error, after which
// the append may have been stored all the same) drops the aggregate's
// cached state, so that the next command reloads it. Errors
// from the decision (including ErrInvalidTransition) are returned in a
// *RefusalError, which keeps their message and unwraps to them (see
// IsRefusal), and an event that Evolve rejects is an error matching
// ErrInvalidEvolution; in both cases nothing is stored. Every error comes
// with the zero Result.
//
// A command the store already holds (same command id, see WithCommandID)
// is not stored again: the Result has Duplicate set, its Events are those
// the command stored, and its Instance is the state after them or newer.
// The retry is recognised whatever it decides on the current state. When
// the decision produces events, the store's Append recognises the command
// id. When the caller gave the id and the decision fails, produces no
// events or produces events Evolve rejects (the state moved past the
// stored command), Handle asks the store whether it holds the command
// (see CommandFinder) before it returns that error or empty result. If
// the store cannot tell, Handle returns an error that matches both the
// decision's error and the store's (errors.Is), or the store's alone when
// the decision produced no events. A command is recognised within the
// store's dedupe window: the aggregate's newest DedupeAppends appends in
// memory, the duplicate window on JetStream. Past the window, a retry is
// handled as a new command, with one exception: a command whose append
// had an unknown outcome (ErrOutcomeUnknown), retried with its id through
// the same Repository, is decided on the state it was first decided on
// and appended with that state's sequence, so that the store finds it
// right after that sequence if it was stored, at any age; if another
// message is there, it was not stored and never will be, and the retry
// goes on as a new command on the current state. The Repository
// remembers this for the newest 1,024 commands with an unknown outcome.
//
// So a caller-given id costs a store lookup for each such command that is
// not appended: on JetStream a read of the aggregate's messages within the
// duplicate window, in memory an index lookup, and behind a store that is
// not a CommandFinder (a wrapper that embeds Store hides FindCommand) a
// read of the aggregate's whole history. Commands whose id Handle makes up
// cost none.
//
// The events' metadata holds the W3C trace context of ctx's span (see
// TraceparentFromContext), unless WithTraceparent or CausedBy gives one.
// With WithTracerProvider, Handle runs in a span (see docs/runtime.md).
func (r *Repository[S, C, E]) Handle(ctx context.Context, id string, cmd C, opts ...HandleOption) (Result[S, E], error) {
	if r.tel != nil {
		return r.handleObserved(ctx, id, cmd, opts)
	}
	return r.handle(ctx, id, cmd, opts)
}

// handle is Handle without telemetry.
func (r *Repository[S, C, E]) handle(ctx context.Context, id string, cmd C, opts []HandleOption) (Result[S, E], error) {
	var res Result[S, E]
	if err := ValidateID(id); err != nil {
		return res, err
	}
	o := resolveHandleOptions(r.ids, opts)
	if err := o.check(); err != nil { // an invalid command id fails without waiting
		return res, err
	}
	lane, err := r.lanes.acquire(ctx, id)
	if err != nil {
		return res, fmt.Errorf("%s %q: waiting for the commands before: %w", r.def.Type, id, err)
	}
	defer r.lanes.release(lane)
	ref := Ref{Type: r.def.Type, ID: id}
	c := newCommand[E](r.room.get())
	c.req.Ref = ref
	c.ctx = refContext{Context: ctx, ref: &c.req.Ref}
	// A retry of a command whose append had an unknown outcome is decided
	// on the state the command was decided on, and appended after it:
	// the store finds it there if it was stored (see unknownOutcomes).
	prior, retrying := r.decidedBefore(id, &o)
	pending := retrying // its outcome is still unknown
	// A command that only the initial state accepts, on an aggregate not
	// cached, is decided on the initial state without a read (see
	// Definition.Creates): a new aggregate then costs one append.
	guess := !retrying && r.def.Creates != nil && r.def.Creates(cmd) && !r.cache.has(id)
	sent := false // an append of the command was sent
attempts:
	for attempt := 0; ; {
		// The cached state is trusted without a read: if another writer got
		// there first, the append's concurrency check fails and we reload.
		var (
			inst Instance[S]
			slot int32 = -1
		)
		if retrying {
			inst = prior
		} else if guess {
			inst = Instance[S]{ID: id, State: r.def.Initial()}
		} else if inst, slot, err = r.current(ctx, ref, false); err != nil {
			return res, err
		}
		// The decision learns which aggregate it decides for from its
		// context.
		events, err := r.def.Decide(&c.ctx, inst.State, cmd, c.events[:0:len(c.events)])
		if err != nil {
			err = &RefusalError{Ref: ref, Err: err} // see IsRefusal
		}
		if r.tel != nil {
			r.tel.decided(ctx, inst.Version, len(events), err)
		}
		if err != nil || len(events) == 0 {
			if guess || retrying { // the aggregate may not be new, or moved: decide on its stored state
				guess, retrying = false, false
				continue
			}
			if err == nil {
				res.Instance = inst
			}
			if o.number == 0 { // the caller's id: maybe an earlier attempt's
				return r.unappended(ctx, ref, o.commandID, inst, res, err)
			}
			return res, err
		}
		// Evolve before appending: events that do not apply to the state
		// (a decision contradicting the machine) are never stored.
		state := inst.State
		for _, e := range events {
			if state, err = r.def.Evolve(state, e); err != nil {
				if retrying {
					retrying = false
					continue attempts
				}
				err = fmt.Errorf("%s %q: evolve: %w", ref.Type, id, err)
				if o.number == 0 {
					return r.unappended(ctx, ref, o.commandID, inst, res, err)
				}
				return res, err
			}
		}
		req := &c.req
		req.Events = c.room(len(events))
		req.ExpectedVersion = inst.Version
		req.ExpectedSequence = inst.Sequence
		o.identify(r.ids)
		req.CommandID = o.commandID
		// An id made up here was never sent before its first append.
		req.NewCommandID = o.number != 0 && !sent
		req.Time = r.opts.clock().UTC()
		req.CorrelationID = o.correlationID
		req.CausationID = o.causationID
		req.Actor = o.actor
		req.Traceparent = o.traceparent
		if req.Traceparent == "" && (r.tel == nil || r.tel.tracer == nil) {
			// With a tracer, observedAppend stores the append span's.
			req.Traceparent = r.spans.traceparent(ctx)
		}
		for i, e := range events {
			var buf []byte
			if i == 0 {
				buf = c.payload
			}
			if req.Events[i], err = r.def.Events.Encode(buf, e); err != nil {
				return res, fmt.Errorf("%s %q: encode event: %w", ref.Type, id, err)
			}
		}
		r.room.learn(c.payload, req.Events[0].Data)
		var ar AppendResult
		if r.tel != nil {
			ar, err = r.observedAppend(ctx, req, o.traceparent == "")
		} else {
			ar, err = r.store.Append(ctx, req)
		}
		sent = true
		if err != nil {
			// The cached state may be stale: after a conflict it is, and
			// after another failure the append may have been stored all
			// the same (a lost reply). Drop it, whether this call retries
			// or gives up, so that the next command reloads instead of
			// conflicting.
			r.cache.remove(id)
			if errors.Is(err, ErrOutcomeUnknown) {
				r.unknown.put(id, o.commandID, inst)
			}
			if (guess || retrying) && errors.Is(err, ErrConflict) {
				// Not a new aggregate, or another message follows the
				// state the command was first decided on (it was not
				// stored, and never will be): decide on the stored state,
				// without counting a retry or waiting.
				if retrying {
					r.unknown.remove(id, o.commandID)
					pending = false
				}
				guess, retrying = false, false
				continue
			}
			if errors.Is(err, ErrConflict) && attempt < r.opts.maxRetries {
				if r.tel != nil {
					r.tel.retried(ctx, attempt, err)
				}
				if err := retryAfter(ctx, &r.opts, ref, attempt, o.commandID, err); err != nil {
					return res, err
				}
				attempt++
				continue
			}
			return res, err
		}
		if pending { // the outcome is known now
			r.unknown.remove(id, o.commandID)
		}
		if ar.Duplicate {
			return r.duplicate(ctx, ref, inst, ar)
		}
		next := Instance[S]{ID: id, State: state, Position: Position{Version: ar.Version, Sequence: ar.Sequence}}
		r.cache.put(id, next, slot)
		if r.opts.snapshots != nil {
			r.maybeSnapshot(ctx, ref, inst.Version, next)
		}
		return Result[S, E]{Instance: next, Events: events, appended: req}, nil
	}
}

// unappended returns what Handle returns for a command with the caller's
// id (commandID) that it does not append, decided on inst: res and err,
// unless the store already holds the command (an earlier attempt stored
// it, and the state moved past it), in which case the result is that
// command's, as for a duplicate.
func (r *Repository[S, C, E]) unappended(ctx context.Context, ref Ref, commandID string, inst Instance[S], res Result[S, E], err error) (Result[S, E], error) {
	ar, ok, ferr := r.findCommand(ctx, ref, commandID)
	if ferr != nil {
		if refused, ok := err.(*RefusalError); ok {
			err = refused.Err // maybe stored before: not known to be refused
		}
		// Whether the command stands is unknown: its empty result would not
		// be the answer, and its error is not the only one. Both errors
		// stay in the chain, so that a caller branching on the decision's
		// error (errors.Is) still can.
		if err == nil {
			return Result[S, E]{}, fmt.Errorf("%s %q: command %q decided on version %d (no events), not known whether stored before: %w",
				ref.Type, ref.ID, commandID, inst.Version, ferr)
		}
		return Result[S, E]{}, fmt.Errorf("%s %q: command %q decided on version %d: %w (whether an earlier attempt stored it is unknown: %w)",
			ref.Type, ref.ID, commandID, inst.Version, err, ferr)
	}
	if !ok {
		return res, err
	}
	r.opts.logger.LogAttrs(ctx, slog.LevelInfo, "command recognised as a retry of a stored command",
		slog.String("aggregate", ref.Type), slog.String("id", ref.ID),
		slog.String("command_id", commandID), slog.Uint64("sequence", ar.Sequence))
	return r.duplicate(ctx, ref, inst, ar)
}

// findCommand looks for the stored append of command commandID of ref:
// with the store's FindCommand, else by reading the aggregate.
func (r *Repository[S, C, E]) findCommand(ctx context.Context, ref Ref, commandID string) (AppendResult, bool, error) {
	if f, ok := r.store.(CommandFinder); ok {
		return f.FindCommand(ctx, ref, commandID)
	}
	return readCommand(ctx, r.store, ref, commandID)
}

// readCommand looks for the stored append of command commandID of ref
// among the aggregate's DedupeAppends newest appends, reading them all.
func readCommand(ctx context.Context, store Store, ref Ref, commandID string) (AppendResult, bool, error) {
	first := EventID(commandID, 0)
	var (
		found       AppendResult
		at, appends int    // the found append's number, and the count
		lastSeq     uint64 // of the append read last; sequences start at 1
		inFound     bool
	)
	for rec, err := range store.Read(ctx, ref, Position{}) {
		if err != nil {
			return AppendResult{}, false, err
		}
		if rec.Sequence != lastSeq {
			appends++
			lastSeq = rec.Sequence
			inFound = rec.EventID == first
			if inFound {
				// Its first event: no other command's event has this id.
				found = AppendResult{Sequence: rec.Sequence, Duplicate: true}
				at = appends
			}
		}
		if inFound {
			rec.Data = bytes.Clone(rec.Data)
			found.Records = append(found.Records, rec)
			found.Version = rec.Version
		}
	}
	if at == 0 || appends-at >= DedupeAppends {
		return AppendResult{}, false, nil
	}
	return found, true, nil
}

// duplicate builds the result of a command the store already held: its
// events are the stored ones, decoded. When they follow the state the
// command was decided on (a retry after a lost reply), they evolve it;
// otherwise the state already includes them and is brought up to date.
// Every error comes with the zero Result, as Load's with the zero Instance.
func (r *Repository[S, C, E]) duplicate(ctx context.Context, ref Ref, inst Instance[S], ar AppendResult) (Result[S, E], error) {
	res := Result[S, E]{stored: ar.Records, Duplicate: true, Events: make([]E, len(ar.Records))}
	for i, rec := range ar.Records {
		e, err := r.def.Events.Decode(rec.EventType, rec.SchemaVersion, rec.Data)
		if err != nil {
			return Result[S, E]{}, fmt.Errorf("%s %q version %d: %w", ref.Type, ref.ID, rec.Version, err)
		}
		res.Events[i] = e
	}
	if len(ar.Records) > 0 && ar.Records[0].Version == inst.Version+1 {
		state := inst.State
		for i, e := range res.Events {
			var err error
			if state, err = r.def.Evolve(state, e); err != nil {
				r.cache.remove(ref.ID)
				return Result[S, E]{}, fmt.Errorf("%s %q version %d: evolve: %w", ref.Type, ref.ID, ar.Records[i].Version, err)
			}
		}
		res.Instance = Instance[S]{ID: ref.ID, State: state, Position: Position{Version: ar.Version, Sequence: ar.Sequence}}
		r.cache.put(ref.ID, res.Instance, -1)
		return res, nil
	}
	r.cache.remove(ref.ID)
	var err error
	if res.Instance, _, err = r.current(ctx, ref, true); err != nil {
		return Result[S, E]{}, err
	}
	return res, nil
}

// Load returns the current state of aggregate id. An aggregate with no
// events fails with ErrNotFound, and the zero Instance, as every error
// does.
func (r *Repository[S, C, E]) Load(ctx context.Context, id string) (Instance[S], error) {
	if err := ValidateID(id); err != nil {
		return Instance[S]{}, err
	}
	inst, _, err := r.current(ctx, Ref{Type: r.def.Type, ID: id}, true)
	if err == nil && inst.Version == 0 {
		err = fmt.Errorf("%s %q: %w", r.def.Type, id, ErrNotFound)
	}
	if err != nil {
		return Instance[S]{}, err
	}
	return inst, nil
}

// LoadAt returns the state of aggregate id right after its event number
// version (time travel by version). Version 0 is the initial state. A
// version beyond the newest fails with ErrNotFound, and the zero Instance,
// as every error does.
func (r *Repository[S, C, E]) LoadAt(ctx context.Context, id string, version uint64) (Instance[S], error) {
	return r.replayUntil(ctx, id, func(rec Record) bool { return rec.Version <= version }, func(inst Instance[S]) error {
		if inst.Version != version {
			return fmt.Errorf("%s %q: version %d: %w (newest is %d)", r.def.Type, id, version, ErrNotFound, inst.Version)
		}
		return nil
	})
}

// LoadAsOf returns the state of aggregate id as it was at time t: after
// every event recorded at or before t. An aggregate with no event by then
// fails with ErrNotFound, and the zero Instance, as every error does.
func (r *Repository[S, C, E]) LoadAsOf(ctx context.Context, id string, t time.Time) (Instance[S], error) {
	return r.replayUntil(ctx, id, func(rec Record) bool { return !rec.Time.After(t) }, func(inst Instance[S]) error {
		if inst.Version == 0 {
			return fmt.Errorf("%s %q: as of %s: %w", r.def.Type, id, t.Format(time.RFC3339Nano), ErrNotFound)
		}
		return nil
	})
}

// History returns every stored event of aggregate id with its metadata,
// decoded and upcast: the aggregate's audit trail.
func (r *Repository[S, C, E]) History(ctx context.Context, id string) ([]Record, []E, error) {
	return history(ctx, r.store, r.def.Events, Ref{Type: r.def.Type, ID: id})
}

// history reads and decodes every event of ref.
func history[E any](ctx context.Context, store Store, codec EventCodec[E], ref Ref) ([]Record, []E, error) {
	if err := ValidateID(ref.ID); err != nil {
		return nil, nil, err
	}
	var recs []Record
	var events []E
	for rec, err := range store.Read(ctx, ref, Position{}) {
		if err != nil {
			return nil, nil, err
		}
		e, err := codec.Decode(rec.EventType, rec.SchemaVersion, rec.Data)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %q version %d: %w", ref.Type, ref.ID, rec.Version, err)
		}
		recs = append(recs, rec)
		events = append(events, e)
	}
	return recs, events, nil
}

// Forget drops aggregate id from the state cache; the next command reloads
// it from the store.
func (r *Repository[S, C, E]) Forget(id string) { r.cache.remove(id) }

// current returns the aggregate's state: the cached one (brought up to date
// with the events appended since when fresh is set), else the snapshot plus
// the newer events, else a full replay. An aggregate with no events yields
// the initial state at version 0. slot is where the cache holds the state
// (a hint for put), or -1.
func (r *Repository[S, C, E]) current(ctx context.Context, ref Ref, fresh bool) (inst Instance[S], slot int32, err error) {
	inst, slot, ok := r.cache.get(ref.ID)
	if ok && !fresh {
		return inst, slot, nil
	}
	if r.tel != nil {
		return r.observedCurrent(ctx, ref, inst, slot, ok)
	}
	return r.read(ctx, ref, inst, slot, ok)
}

// read brings inst, the cached state of ref (cached set) at slot, up to
// date from the store, or reads ref's state when none is cached: current's
// store part.
func (r *Repository[S, C, E]) read(ctx context.Context, ref Ref, inst Instance[S], slot int32, ok bool) (_ Instance[S], _ int32, err error) {
	if !ok {
		inst = Instance[S]{ID: ref.ID, State: r.def.Initial()}
		if s, found := r.loadSnapshot(ctx, ref); found {
			inst = s
		}
	}
	start := inst.Position
	if inst, err = r.apply(ctx, ref, inst, keepAll); err != nil {
		if start.Sequence == 0 || !errors.Is(err, ErrPositionGone) {
			return inst, -1, err
		}
		if inst, err = r.replayGone(ctx, ref, start, ok); err != nil {
			return inst, -1, err
		}
		ok, slot = false, -1
	}
	if inst.Position != start || !ok {
		slot = r.cache.put(ref.ID, inst, slot)
	}
	return inst, slot, nil
}

// replayGone replays ref from its first event after a read from start,
// the position of the state it cached (cached set) or of its snapshot,
// found that position gone (ErrPositionGone: the aggregate's subject was
// purged, and maybe written again since). It drops the cached state.
func (r *Repository[S, C, E]) replayGone(ctx context.Context, ref Ref, start Position, cached bool) (Instance[S], error) {
	r.cache.remove(ref.ID)
	from := "snapshot"
	if cached {
		from = "cached state"
	}
	r.opts.logger.LogAttrs(ctx, slog.LevelWarn, "position gone, replaying",
		slog.String("aggregate", ref.Type), slog.String("id", ref.ID), slog.String("from", from),
		slog.Uint64("version", start.Version), slog.Uint64("sequence", start.Sequence))
	return r.apply(ctx, ref, Instance[S]{ID: ref.ID, State: r.def.Initial()}, keepAll)
}

// keepAll keeps every record: apply's filter for the current state.
func keepAll(Record) bool { return true }

// replayUntil replays from the start (or from a snapshot that is not past
// the point) while keep holds, then lets check judge the result.
func (r *Repository[S, C, E]) replayUntil(ctx context.Context, id string, keep func(Record) bool, check func(Instance[S]) error) (Instance[S], error) {
	if err := ValidateID(id); err != nil {
		return Instance[S]{}, err
	}
	ref := Ref{Type: r.def.Type, ID: id}
	inst, err := r.apply(ctx, ref, Instance[S]{ID: id, State: r.def.Initial()}, keep)
	if err == nil {
		err = check(inst)
	}
	if err != nil {
		return Instance[S]{}, err
	}
	return inst, nil
}

// apply reads the events after inst's position and evolves inst with them
// while keep holds.
func (r *Repository[S, C, E]) apply(ctx context.Context, ref Ref, inst Instance[S], keep func(Record) bool) (Instance[S], error) {
	p := &replay[S, C, E]{def: &r.def, ref: ref, inst: inst, keep: keep}
	// Called directly rather than ranged over: a range loop's body would
	// move five variables to the heap, this costs two allocations.
	r.store.Read(ctx, ref, inst.Position)(p.yield)
	return p.inst, p.err
}

// replay evolves an instance with the records a Store's Read yields.
type replay[S, C, E any] struct {
	def  *Definition[S, C, E]
	ref  Ref
	inst Instance[S]
	keep func(Record) bool
	err  error
}

// yield applies one record; it stops the read at an error or at the first
// record keep refuses.
func (p *replay[S, C, E]) yield(rec Record, err error) bool {
	if err != nil {
		p.err = err
		return false
	}
	if !p.keep(rec) {
		return false
	}
	e, err := p.def.Events.Decode(rec.EventType, rec.SchemaVersion, rec.Data)
	if err != nil {
		p.err = fmt.Errorf("%s %q version %d: %w", p.ref.Type, p.ref.ID, rec.Version, err)
		return false
	}
	if p.inst.State, err = p.def.Evolve(p.inst.State, e); err != nil {
		p.err = fmt.Errorf("%s %q version %d: %w", p.ref.Type, p.ref.ID, rec.Version, err)
		return false
	}
	p.inst.Position = Position{Version: rec.Version, Sequence: rec.Sequence}
	return true
}

func (r *Repository[S, C, E]) loadSnapshot(ctx context.Context, ref Ref) (Instance[S], bool) {
	if r.opts.snapshots == nil || r.def.States == nil || r.def.SnapshotEvery == 0 {
		return Instance[S]{}, false
	}
	snap, err := r.opts.snapshots.LoadSnapshot(ctx, ref)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			r.opts.logger.LogAttrs(ctx, slog.LevelWarn, "snapshot unreadable, replaying",
				slog.String("aggregate", ref.Type), slog.String("id", ref.ID), slog.Any("error", err))
		}
		return Instance[S]{}, false
	}
	if snap.SchemaVersion != r.def.States.StateSchema() {
		r.opts.logger.LogAttrs(ctx, slog.LevelInfo, "snapshot schema changed, replaying",
			slog.String("aggregate", ref.Type), slog.String("id", ref.ID),
			slog.String("snapshot_schema", snap.SchemaVersion), slog.String("state_schema", r.def.States.StateSchema()))
		return Instance[S]{}, false
	}
	s, err := r.def.States.DecodeState(snap.Data)
	if err != nil {
		r.opts.logger.LogAttrs(ctx, slog.LevelWarn, "snapshot undecodable, replaying",
			slog.String("aggregate", ref.Type), slog.String("id", ref.ID), slog.Any("error", err))
		return Instance[S]{}, false
	}
	return Instance[S]{ID: ref.ID, State: s, Position: snap.Position}, true
}

func (r *Repository[S, C, E]) maybeSnapshot(ctx context.Context, ref Ref, before uint64, inst Instance[S]) {
	every := r.def.SnapshotEvery
	if r.opts.snapshots == nil || r.def.States == nil || every == 0 || before/every == inst.Version/every {
		return
	}
	data, err := r.def.States.EncodeState(inst.State)
	if err == nil {
		snap := Snapshot{Position: inst.Position, SchemaVersion: r.def.States.StateSchema(), Data: data}
		if r.tel != nil {
			err = r.observedSaveSnapshot(ctx, ref, snap)
		} else {
			err = r.opts.snapshots.SaveSnapshot(ctx, ref, snap)
		}
	}
	if err != nil {
		// A missing snapshot only costs a longer replay; the command stands.
		r.opts.logger.LogAttrs(ctx, slog.LevelWarn, "snapshot not saved",
			slog.String("aggregate", ref.Type), slog.String("id", ref.ID),
			slog.Uint64("version", inst.Version), slog.Any("error", err))
	}
}

// EventID returns the id of event number i (0-based) of a command: stable
// across retries of the same command id.
func EventID(commandID string, i int) string { return commandID + "-" + strconv.Itoa(i+1) }

// CommandIDOf returns the id of the command that stored the event with id
// eventID: the inverse of EventID, eventID without its "-<n>".
func CommandIDOf(eventID string) string {
	if i := strings.LastIndexByte(eventID, '-'); i > 0 {
		return eventID[:i]
	}
	return eventID
}

// Definition returns the aggregate definition the repository runs: its
// codecs decode the aggregate's stored events for others (a process
// manager reacting to them).
func (r *Repository[S, C, E]) Definition() Definition[S, C, E] { return r.def }
