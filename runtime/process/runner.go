package process

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/timers"
)

// ErrInvalidDefinition: NewRunner was given a definition or options it
// cannot run (a missing function, an invalid name, a timer override of a
// timer the process does not have).
var ErrInvalidDefinition = errors.New("process: invalid definition")

// ErrForeignTimer: HandleFiring was given the firing of a timer another
// process type (or an aggregate) armed. Firings of a timers stream shared
// with others must be routed by their key's type to their own handler.
var ErrForeignTimer = errors.New("process: firing of another instance type's timer")

// Runner runs one process type: it handles the events of the process's
// sources (Handle, a projection.Handler), the firings of its timers
// (HandleFiring, a timers.Handler) and the refusals of the commands it
// sends, storing each step through an es.Repository of the process's
// machine before it sends the step's commands (the transactional outbox).
// See the package documentation for the guarantees and their cost. It is
// safe for concurrent use; run one Runner per process type at a time.
type Runner[S, I any] struct {
	def     Definition[S, I]
	name    string
	repo    *es.Repository[S, I, Step[I]]
	timers  timers.Timers
	o       options
	log     *slog.Logger
	cache   *instances
	sources map[string]bool
	// timerOf holds each state's timers by name, with their durations
	// (overrides applied).
	timerOf map[string]map[string]armable[I]
	workers *workers
	tel     *telemetry // nil unless a tracer provider is configured
}

// armable is a timer of a state, with the duration the runner waits.
type armable[I any] struct {
	Timer[I]
	after time.Duration
}

// NewRunner returns the runner of the process def on store, arming its
// timers on tm (which may be nil for a process without timers). The
// process's steps are stored as the events of aggregate type
// def.Machine.Type, one instance per process id. It fails with
// ErrInvalidDefinition when def lacks a function it needs or names a
// type, source or timer that cannot be stored.
func NewRunner[S, I any](def Definition[S, I], store es.Store, tm timers.Timers, opts ...Option) (*Runner[S, I], error) {
	o := newOptions(opts)
	if err := o.validate(); err != nil {
		return nil, err
	}
	m := def.Machine
	name := m.Type
	if err := es.ValidateID(name); err != nil {
		return nil, fmt.Errorf("%w: process name: %w", ErrInvalidDefinition, err)
	}
	switch {
	case store == nil:
		return nil, fmt.Errorf("%w: %s: no store", ErrInvalidDefinition, name)
	case m.Initial == nil || m.Decide == nil || m.Evolve == nil || m.Events == nil:
		return nil, fmt.Errorf("%w: %s: the machine lacks Initial, Decide, Evolve or Events", ErrInvalidDefinition, name)
	case def.Input == nil || def.Dispatch == nil || def.Sent == nil:
		return nil, fmt.Errorf("%w: %s: the definition lacks Input, Dispatch or Sent", ErrInvalidDefinition, name)
	case len(def.Sources) == 0:
		return nil, fmt.Errorf("%w: %s: no sources", ErrInvalidDefinition, name)
	}
	sources := make(map[string]bool, len(def.Sources))
	for _, s := range def.Sources {
		if err := es.ValidateID(s); err != nil {
			return nil, fmt.Errorf("%w: %s: source: %w", ErrInvalidDefinition, name, err)
		}
		sources[s] = true
	}
	timerOf := map[string]map[string]armable[I]{}
	seen := map[string]bool{}
	for state, ts := range def.Timers {
		for _, t := range ts {
			if err := (timers.Key{Type: name, ID: "id", Name: t.Name}).Validate(); err != nil {
				return nil, fmt.Errorf("%w: %s: timer of state %s: %w", ErrInvalidDefinition, name, state, err)
			}
			if t.Input == nil || t.After < 0 {
				return nil, fmt.Errorf("%w: %s: timer %s of state %s: no Input, or a negative duration", ErrInvalidDefinition, name, t.Name, state)
			}
			if timerOf[state] == nil {
				timerOf[state] = map[string]armable[I]{}
			}
			if _, dup := timerOf[state][t.Name]; dup {
				return nil, fmt.Errorf("%w: %s: state %s has two timers named %s", ErrInvalidDefinition, name, state, t.Name)
			}
			after := t.After
			if d, ok := o.durations[t.Name]; ok {
				after = d
			}
			timerOf[state][t.Name] = armable[I]{Timer: t, after: after}
			seen[t.Name] = true
		}
	}
	for _, n := range slices.Sorted(maps.Keys(o.durations)) {
		if !seen[n] {
			if len(seen) == 0 {
				return nil, fmt.Errorf("%w: %s: WithTimerDuration of %s: the process has no timers", ErrInvalidDefinition, name, n)
			}
			return nil, fmt.Errorf("%w: %s: WithTimerDuration of %s: the process has no such timer; its timers are %s",
				ErrInvalidDefinition, name, n, strings.Join(slices.Sorted(maps.Keys(seen)), ", "))
		}
	}
	if len(timerOf) > 0 && tm == nil {
		return nil, fmt.Errorf("%w: %s: the process has timers and the runner none", ErrInvalidDefinition, name)
	}
	log := o.logger.With(slog.String("process", name))
	r := &Runner[S, I]{def: def, name: name, timers: tm, o: o, log: log, cache: newInstances(o.cacheSize), sources: sources, timerOf: timerOf, workers: newWorkers()}
	m.Decide = r.decide(m.Decide)
	repoOpts := []es.RepositoryOption{es.WithClock(o.clock), es.WithLogger(log), es.WithCacheSize(o.cacheSize)}
	if o.tracerProvider != nil {
		repoOpts = append(repoOpts, es.WithTracerProvider(o.tracerProvider))
		r.tel = &telemetry{tracer: o.tracerProvider.Tracer(es.InstrumentationName), process: attribute.String("esgen.process", name)}
	}
	if o.meterProvider != nil {
		repoOpts = append(repoOpts, es.WithMeterProvider(o.meterProvider))
	}
	r.repo = es.NewRepository(capturing(store), m, repoOpts...)
	return r, nil
}

// Name returns the process's name: its machine's Type.
func (r *Runner[S, I]) Name() string { return r.name }

// Sources returns the aggregate types whose events the process reacts to.
func (r *Runner[S, I]) Sources() []string { return append([]string(nil), r.def.Sources...) }

// Load returns the current state of process instance id; an instance with
// no step fails with es.ErrNotFound.
func (r *Runner[S, I]) Load(ctx context.Context, id string) (es.Instance[S], error) {
	return r.repo.Load(ctx, id)
}

// History returns every step of process instance id, with its metadata:
// the instance's audit trail.
func (r *Runner[S, I]) History(ctx context.Context, id string) ([]es.Record, []Step[I], error) {
	return r.repo.History(ctx, id)
}

// guessKey is the context key of a handling that decides an input on
// the initial state of an instance the runner knows nothing of, without
// reading it (see Runner.input).
type guessKey struct{}

// guess counts the decisions of one such handling.
type guess struct{ decisions int }

// errNotNew ends a handling of an input decided on the initial state
// without a read when the instance turns out to have steps: the runner
// learns them before it decides again.
var errNotNew = errors.New("process: the instance has steps")

// decide wraps the machine's decision: in a handling that guesses the
// instance is new, a second decision means the guess failed (the
// repository read the stored state to decide again), and the runner, not
// the repository, decides what to do with a stored instance.
func (r *Runner[S, I]) decide(decide func(context.Context, S, I, []Step[I]) ([]Step[I], error)) func(context.Context, S, I, []Step[I]) ([]Step[I], error) {
	return func(ctx context.Context, s S, in I, steps []Step[I]) ([]Step[I], error) {
		if g, ok := ctx.Value(guessKey{}).(*guess); ok {
			if g.decisions++; g.decisions > 1 {
				return steps, errNotNew
			}
		}
		return decide(ctx, s, in, steps)
	}
}
