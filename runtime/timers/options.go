package timers

import (
	"fmt"
	"log/slog"
	"time"
)

// Defaults of the JetStream timers' names.
const (
	DefaultStream        = "TIMERS"
	DefaultSubjectPrefix = "timers"
	DefaultConsumer      = "timers"
)

// Option configures JetStream timers (NewJetStream) or in-memory timers
// (NewMemory). The in-memory timers take WithRetryBackoff and WithLogger
// and ignore the others.
type Option func(*options)

type options struct {
	stream     string
	prefix     string
	consumer   string
	replicas   int
	ackWait    time.Duration
	backoffMin time.Duration
	backoffMax time.Duration
	log        *slog.Logger
}

func newOptions(opts []Option) options {
	o := options{
		stream:     DefaultStream,
		prefix:     DefaultSubjectPrefix,
		consumer:   DefaultConsumer,
		replicas:   1,
		ackWait:    30 * time.Second,
		backoffMin: 100 * time.Millisecond,
		backoffMax: time.Minute,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	return o
}

func (o *options) validateBackoff() error {
	if o.backoffMin <= 0 || o.backoffMax < o.backoffMin {
		return fmt.Errorf("timers: retry backoff %s..%s: want 0 < min <= max", o.backoffMin, o.backoffMax)
	}
	return nil
}

// WithStream names the stream of the timers (default "TIMERS"). It must be
// a stream of its own: message schedules need settings an event stream
// must not have (see NewJetStream).
func WithStream(name string) Option { return func(o *options) { o.stream = name } }

// WithSubjectPrefix sets the subject prefix of the timers (default
// "timers"): schedules live on "<prefix>.sched.>", firings on
// "<prefix>.fire.>". It may have several tokens ("shop.timers").
func WithSubjectPrefix(prefix string) Option { return func(o *options) { o.prefix = prefix } }

// WithConsumer names the durable consumer Run delivers firings from
// (default "timers").
func WithConsumer(name string) Option { return func(o *options) { o.consumer = name } }

// WithReplicas sets how many servers of a cluster keep the stream: 1 on a
// single (embedded) server, 3 on a cluster.
func WithReplicas(n int) Option { return func(o *options) { o.replicas = n } }

// WithAckWait sets how long the server waits for a delivered firing's
// acknowledgement before it delivers it again (default 30 s). A runner
// tells the server it is still working on a firing every third of it,
// so a slow handler is not cut short; the wait matters when a runner's
// process dies mid-firing and no runner starts again (a runner that
// starts has the firings its predecessor left delivered again at once).
func WithAckWait(d time.Duration) Option { return func(o *options) { o.ackWait = d } }

// WithRetryBackoff sets the wait before a firing whose handler failed is
// delivered again: min after the first failure, doubling with each
// further failure up to max. The defaults are 100 ms and 1 minute.
func WithRetryBackoff(min, max time.Duration) Option {
	return func(o *options) { o.backoffMin, o.backoffMax = min, max }
}

// WithLogger sets the logger; the default discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// retryDelay is the wait before delivery number failures+1 of a firing
// that failed failures times: min·2^(failures-1), at most max.
func (o *options) retryDelay(failures int) time.Duration {
	d := o.backoffMin
	for i := 1; i < failures && d < o.backoffMax; i++ {
		d *= 2
	}
	return min(d, o.backoffMax)
}
