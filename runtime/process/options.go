package process

import (
	"fmt"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Option configures a Runner.
type Option func(*options)

type options struct {
	logger      *slog.Logger
	durations   map[string]time.Duration
	clock       func() time.Time
	attempts    int
	backoffMin  time.Duration
	backoffMax  time.Duration
	cacheSize   int
	concurrency int
	maxDepth    int
	// tracerProvider and meterProvider are nil unless set: no telemetry.
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
}

func newOptions(opts []Option) options {
	o := options{
		clock:       time.Now,
		attempts:    4,
		backoffMin:  50 * time.Millisecond,
		backoffMax:  2 * time.Second,
		cacheSize:   4096,
		concurrency: 32,
		maxDepth:    8,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	return o
}

func (o *options) validate() error {
	switch {
	case o.clock == nil:
		return fmt.Errorf("%w: nil clock", ErrInvalidDefinition)
	case o.attempts < 1:
		return fmt.Errorf("%w: %d dispatch attempts, want at least 1", ErrInvalidDefinition, o.attempts)
	case o.backoffMin <= 0 || o.backoffMax < o.backoffMin:
		return fmt.Errorf("%w: dispatch backoff %s..%s, want 0 < min <= max", ErrInvalidDefinition, o.backoffMin, o.backoffMax)
	case o.cacheSize < 0:
		return fmt.Errorf("%w: cache size %d", ErrInvalidDefinition, o.cacheSize)
	case o.concurrency < 1:
		return fmt.Errorf("%w: concurrency %d, want at least 1", ErrInvalidDefinition, o.concurrency)
	case o.maxDepth < 1:
		return fmt.Errorf("%w: refusal depth %d, want at least 1", ErrInvalidDefinition, o.maxDepth)
	}
	for name, d := range o.durations {
		if d < 0 {
			return fmt.Errorf("%w: timer %s: negative duration %s", ErrInvalidDefinition, name, d)
		}
	}
	return nil
}

// WithLogger sets the logger (log/slog); the default discards. Every line
// carries process=<the process's name>.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithTimerDuration makes the timer named name (as the .esm names it, in
// whichever state) wait d instead of its declared duration: tests run a
// 30-minute timeout in a second. A name the process has no timer of fails
// NewRunner.
func WithTimerDuration(name string, d time.Duration) Option {
	return func(o *options) {
		if o.durations == nil {
			o.durations = map[string]time.Duration{}
		}
		o.durations[name] = d
	}
}

// WithClock sets the clock that stamps steps (time.Now by default). A
// timer is due its duration after the time of the step that entered its
// state: a test on a timers.ManualClock gives its Now.
func WithClock(now func() time.Time) Option { return func(o *options) { o.clock = now } }

// WithDispatchRetry sets how a command whose dispatch failed for another
// reason than a refusal (a conflict after the repository's retries, a
// store error, an unknown outcome) is retried before the input fails:
// attempts in all, waiting min after the first failure, doubling up to
// max. The defaults are 4 attempts, 50 ms and 2 s. An input that fails
// is delivered again by its consumer (or its timer), later.
func WithDispatchRetry(attempts int, min, max time.Duration) Option {
	return func(o *options) { o.attempts, o.backoffMin, o.backoffMax = attempts, min, max }
}

// WithCacheSize sets how many process instances the runner keeps in memory
// when no input of theirs is being handled (their steps, and which of
// their commands it knows sent), and the cache of its repository. An
// instance not kept is read from the store at its next input. The
// default is 4096; 0 keeps none.
func WithCacheSize(n int) Option { return func(o *options) { o.cacheSize = n } }

// WithConcurrency sets how many process instances of one batch of events
// the runner handles at once (the inputs of one instance are always
// handled one at a time, in order). The default is 32.
func WithConcurrency(n int) Option { return func(o *options) { o.concurrency = n } }

// WithMaxRefusalDepth bounds the chain of refusals handled for one input:
// a command refused, the process's reaction sending a command refused in
// turn, and so on. The refusal past the bound is logged as a stuck
// process (ERROR) instead of handled. The default is 8.
func WithMaxRefusalDepth(n int) Option { return func(o *options) { o.maxDepth = n } }
