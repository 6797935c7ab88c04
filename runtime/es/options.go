package es

import (
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// HandleOption sets metadata or behaviour of one Handle call: make one
// with WithCommandID, WithCorrelationID, WithCausationID, WithActor,
// WithTraceparent or CausedBy. The zero HandleOption sets nothing. It is a
// value, not a function, so that Handle applies options without
// allocating.
type HandleOption struct {
	set   optionFields
	value handleOptions
}

// optionFields are the fields a HandleOption sets.
type optionFields uint8

const (
	setCommandID optionFields = 1 << iota
	setCorrelationID
	setCausationID
	setActor
	setTraceparent
	setTraceparentIfNone // CausedBy's: unless another option set one
)

type handleOptions struct {
	commandID     string
	correlationID string
	causationID   string
	actor         string
	traceparent   string
	// number is the command id's counter, reserved when no id was given:
	// identify spells the id.
	number uint64
}

// apply sets the fields of o that opt sets.
func (opt *HandleOption) apply(o *handleOptions) {
	v := &opt.value
	if opt.set&setCommandID != 0 {
		o.commandID = v.commandID
	}
	if opt.set&setCorrelationID != 0 {
		o.correlationID = v.correlationID
	}
	if opt.set&setCausationID != 0 {
		o.causationID = v.causationID
	}
	if opt.set&setActor != 0 {
		o.actor = v.actor
	}
	if opt.set&setTraceparent != 0 || opt.set&setTraceparentIfNone != 0 && o.traceparent == "" {
		o.traceparent = v.traceparent
	}
}

// resolveHandleOptions applies opts. Without a command id, it reserves the
// number of a new unique one; identify spells it.
func resolveHandleOptions(ids *commandIDs, opts []HandleOption) handleOptions {
	var o handleOptions
	if len(opts) > 0 {
		o = applyHandleOptions(opts)
	}
	if o.commandID == "" {
		o.number = ids.reserve()
	}
	return o
}

// check rejects a command id the caller gave that ValidateCommandID
// refuses; ids made up here are valid.
func (o *handleOptions) check() error {
	if o.number != 0 {
		return nil
	}
	return ValidateCommandID(o.commandID)
}

// identify spells the command id when none was given, and sets the
// defaults that depend on it: correlation and causation ids equal to it.
func (o *handleOptions) identify(ids *commandIDs) {
	if o.commandID == "" {
		o.commandID = ids.spell(o.number)
	}
	if o.correlationID == "" {
		o.correlationID = o.commandID
	}
	if o.causationID == "" {
		o.causationID = o.commandID
	}
}

// applyHandleOptions applies opts in order.
func applyHandleOptions(opts []HandleOption) handleOptions {
	var o handleOptions
	for i := range opts {
		opts[i].apply(&o)
	}
	return o
}

// WithCommandID sets the command's id. Event ids and the store's dedupe key
// derive from it, so handling the same command id twice after a lost reply
// stores its events once. By default every Handle call gets a new unique id.
// An id ValidateCommandID rejects fails Handle with ErrInvalidCommandID
// before the command is decided. To retry a command whose outcome is
// unknown (ErrOutcomeUnknown), give the id its *OutcomeUnknownError names.
//
// A command given an id here that Handle does not append (its decision
// fails, produces no events or produces events Evolve rejects) costs a
// store lookup: Handle asks whether an earlier attempt stored it (see
// Repository.Handle). On JetStream that is a read of the aggregate's
// messages within the duplicate window; behind a store that is not a
// CommandFinder (a wrapper that embeds Store hides FindCommand) it is a
// read of the aggregate's whole history.
func WithCommandID(id string) HandleOption {
	return HandleOption{set: setCommandID, value: handleOptions{commandID: id}}
}

// WithCorrelationID sets the correlation id stored on every event. By
// default it is the command id, so a command starts a new flow.
func WithCorrelationID(id string) HandleOption {
	return HandleOption{set: setCorrelationID, value: handleOptions{correlationID: id}}
}

// WithCausationID sets the id of the command or event that caused this
// command. By default it is the command id.
func WithCausationID(id string) HandleOption {
	return HandleOption{set: setCausationID, value: handleOptions{causationID: id}}
}

// WithActor records who issued the command.
func WithActor(actor string) HandleOption {
	return HandleOption{set: setActor, value: handleOptions{actor: actor}}
}

// WithTraceparent carries a W3C traceparent header value into the events,
// instead of the trace context of ctx (see TraceparentFromContext).
func WithTraceparent(tp string) HandleOption {
	return HandleOption{set: setTraceparent, value: handleOptions{traceparent: tp}}
}

// CausedBy sets correlation and causation from a stored event, so that the
// command's events chain to the event that triggered them.
func CausedBy(m Metadata) HandleOption {
	return HandleOption{set: setCorrelationID | setCausationID | setTraceparentIfNone,
		value: handleOptions{correlationID: m.CorrelationID, causationID: m.EventID, traceparent: m.Traceparent}}
}

// RepositoryOption configures a Repository.
type RepositoryOption func(*repositoryOptions)

type repositoryOptions struct {
	snapshots  SnapshotStore
	cacheSize  int
	maxRetries int
	backoff    backoff
	clock      func() time.Time
	logger     *slog.Logger
	// tracerProvider and meterProvider are nil unless set: no telemetry.
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
}

// newRepositoryOptions returns the defaults with opts applied.
func newRepositoryOptions(opts []RepositoryOption) repositoryOptions {
	o := repositoryOptions{cacheSize: 1024, maxRetries: 3, backoff: defaultBackoff(), clock: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// WithSnapshots stores snapshots according to the aggregate's policy and
// starts loads from them.
func WithSnapshots(s SnapshotStore) RepositoryOption {
	return func(o *repositoryOptions) { o.snapshots = s }
}

// WithCacheSize keeps the states of up to n recently used aggregates in
// memory, so that a command loads only the events appended since. 0 turns
// the cache off. The default is 1024.
func WithCacheSize(n int) RepositoryOption { return func(o *repositoryOptions) { o.cacheSize = n } }

// WithMaxRetries sets how many times Handle reloads and decides again after
// a concurrency conflict before returning ErrConflict. The default is 3.
// With 0, the first conflict is returned; either way the aggregate's cached
// state is dropped, and the next command on it reloads.
//
// Commands on one aggregate through one Repository (or Log) never
// conflict with each other: they take turns. A conflict comes from another
// writer, another process or another Repository on the same store, and
// each retry waits first, as WithRetryBackoff sets.
func WithMaxRetries(n int) RepositoryOption { return func(o *repositoryOptions) { o.maxRetries = n } }

// WithRetryBackoff sets how long Handle (and Log.Append) waits before each
// retry after a concurrency conflict: before retry n, a random time
// between half of and the whole of base·2^(n-1), bounded by limit. So the
// waits grow (each at least as long as the one before could have been)
// and writers that conflicted at once spread apart. The defaults are
// DefaultRetryBackoff (1 ms) and DefaultMaxRetryBackoff (100 ms): with
// the default 3 retries, waits of 0.5–1, 1–2 and 2–4 ms. A base of 0
// retries at once; a limit below base is base. The wait ends early, and the
// command fails with the context's error, when the command's context
// ends. Other commands on the same aggregate through the same Repository
// wait for it, as they would conflict with the same writer.
func WithRetryBackoff(base, limit time.Duration) RepositoryOption {
	return func(o *repositoryOptions) {
		o.backoff.base = base
		o.backoff.max = max(base, limit)
	}
}

// WithClock sets the clock that stamps events (time.Now by default). The
// time is recorded in metadata; Evolve never reads a clock.
func WithClock(now func() time.Time) RepositoryOption {
	return func(o *repositoryOptions) { o.clock = now }
}

// WithLogger sets the logger for conflicts retried and snapshot failures.
// The default discards.
func WithLogger(l *slog.Logger) RepositoryOption { return func(o *repositoryOptions) { o.logger = l } }
