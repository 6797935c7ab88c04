package projection

import (
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
)

// Decoder turns one stored stream message into the records of the events
// it holds, with their metadata; es.Metadata.Sequence is the message's
// stream sequence. The default is jsstore.DecodeMsg.
type Decoder func(msg jetstream.Msg) ([]es.Record, error)

// Option configures a Projection.
type Option func(*options)

type options struct {
	stream      string
	prefix      string
	subjects    []string
	types       []string
	decode      Decoder
	batch       int
	ackWait     time.Duration
	maxAttempts int
	backoffMin  time.Duration
	backoffMax  time.Duration
	lagInterval time.Duration
	idleWait    time.Duration
	logger      *slog.Logger
	// tracerProvider and meterProvider are nil unless set: no telemetry.
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
}

func defaultOptions() options {
	return options{
		stream:      jsstore.DefaultStream,
		prefix:      jsstore.DefaultSubjectPrefix,
		decode:      jsstore.DecodeMsg,
		batch:       100,
		ackWait:     30 * time.Second,
		backoffMin:  100 * time.Millisecond,
		backoffMax:  10 * time.Second,
		lagInterval: 30 * time.Second,
		idleWait:    5 * time.Second,
	}
}

// WithStream names the stream the projection reads: the event store's
// (jsstore.WithStream). The default is jsstore.DefaultStream.
func WithStream(name string) Option { return func(o *options) { o.stream = name } }

// WithSubjectPrefix sets the event store's subject prefix
// (jsstore.WithSubjectPrefix), which WithAggregateTypes builds on. The
// default is jsstore.DefaultSubjectPrefix.
func WithSubjectPrefix(prefix string) Option { return func(o *options) { o.prefix = prefix } }

// WithAggregateTypes makes the projection read the events of these
// aggregate types only (every instance of each). Without it, and without
// WithSubjects, a projection reads the whole stream.
func WithAggregateTypes(types ...string) Option {
	return func(o *options) { o.types = append(o.types, types...) }
}

// WithSubjects adds raw subject filters to the projection's consumer, for
// layouts WithAggregateTypes does not cover (one aggregate instance:
// "events.Order.o-42").
func WithSubjects(filters ...string) Option {
	return func(o *options) { o.subjects = append(o.subjects, filters...) }
}

// WithDecoder sets how stored messages become records; the default,
// jsstore.DecodeMsg, reads the event store's messages.
func WithDecoder(d Decoder) Option { return func(o *options) { o.decode = d } }

// WithBatch sets how many messages (commands) one Handle call receives at
// most; the events of one command always arrive together, so a batch may
// hold more records than n. The default is 100.
func WithBatch(n int) Option { return func(o *options) { o.batch = n } }

// WithAckWait sets how long the server waits for a batch's acknowledgement
// before it may deliver the batch again. It matters little: a projection
// has one batch in flight and asks for no other while its handler runs, so
// a slow handler does not get its batch twice, and a restarted projection
// has the server deliver an unacknowledged batch again at once. The default
// is 30 s.
func WithAckWait(d time.Duration) Option { return func(o *options) { o.ackWait = d } }

// WithMaxAttempts makes the projection give up on a message after the
// handler failed on it n times on its own (after a failed batch, its
// messages are retried one at a time): the message is terminated on the
// server, logged as "message abandoned", and the read model goes on without
// it. The default, 0, never gives up: a record the handler cannot apply
// stops the projection, logged at every attempt, until the handler is
// fixed.
func WithMaxAttempts(n int) Option { return func(o *options) { o.maxAttempts = n } }

// WithRetryBackoff sets the wait after a failed batch: min at first,
// doubling at each consecutive failure up to max. The defaults are 100 ms
// and 10 s.
func WithRetryBackoff(min, max time.Duration) Option {
	return func(o *options) { o.backoffMin, o.backoffMax = min, max }
}

// WithLagInterval sets how often a running projection logs its lag (the
// consumer's pending and unacknowledged message counts). 0 turns it off.
// The default is 30 s.
func WithLagInterval(d time.Duration) Option { return func(o *options) { o.lagInterval = d } }

// WithLogger sets the logger; the default discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }
