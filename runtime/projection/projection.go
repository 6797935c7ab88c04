package projection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
)

// Projection feeds one read model from a stream through a durable consumer
// named after the projection. Its methods are safe for concurrent use.
type Projection struct {
	name string
	js   jetstream.JetStream
	h    Handler
	o    options
	log  *slog.Logger
	tel  *telemetry // nil unless a tracer or meter provider is configured

	// mu guards loop; a Rebuild of a projection that is not running holds
	// it for its whole duration, so that Run cannot start meanwhile.
	mu   sync.Mutex
	loop *loop // the running Run, or nil

	// needReset is set while the read model still has to be reset after a
	// rebuild moved the consumer back to the start.
	needReset atomic.Bool

	// checkpoint is the stream sequence of the last message this process
	// acknowledged (or the consumer's ack floor when Run started).
	checkpoint atomic.Uint64
	progMu     sync.Mutex
	progress   chan struct{} // closed and replaced whenever checkpoint moves
}

// loop is the state shared by a running Run and the callers that talk to it.
type loop struct {
	rebuilds chan chan error                    // rebuild requests, each with its reply channel
	done     chan struct{}                      // closed when Run returns
	idle     atomic.Pointer[context.CancelFunc] // ends the idle wait of a fetch
	wake     chan struct{}                      // ends a retry's backoff
}

// New returns a projection named name (the durable consumer's name) that
// feeds h from the event store's stream.
func New(js jetstream.JetStream, name string, h Handler, opts ...Option) (*Projection, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	for _, t := range o.types {
		if err := es.ValidateID(t); err != nil {
			return nil, fmt.Errorf("%w: %s: aggregate type: %w", ErrInvalidConfig, name, err)
		}
		o.subjects = append(o.subjects, jsstore.TypeSubject(o.prefix, t))
	}
	if err := validate(name, h, &o); err != nil {
		return nil, err
	}
	log := o.logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Projection{
		name:     name,
		js:       js,
		h:        h,
		o:        o,
		log:      log.With(slog.String("projection", name)),
		progress: make(chan struct{}),
		tel:      newTelemetry(name, &o),
	}, nil
}

func validate(name string, h Handler, o *options) error {
	switch {
	case name == "" || strings.ContainsAny(name, ".*>/\\ \t\r\n"):
		return fmt.Errorf("%w: name %q: must be non-empty, without '.', '*', '>', slashes or spaces", ErrInvalidConfig, name)
	case h == nil:
		return fmt.Errorf("%w: %s: no handler", ErrInvalidConfig, name)
	case o.stream == "":
		return fmt.Errorf("%w: %s: empty stream name", ErrInvalidConfig, name)
	case o.decode == nil:
		return fmt.Errorf("%w: %s: nil decoder", ErrInvalidConfig, name)
	case o.batch < 1:
		return fmt.Errorf("%w: %s: batch size %d, want at least 1", ErrInvalidConfig, name, o.batch)
	case o.ackWait <= 0:
		return fmt.Errorf("%w: %s: ack wait %s, want more than 0", ErrInvalidConfig, name, o.ackWait)
	case o.maxAttempts < 0:
		return fmt.Errorf("%w: %s: max attempts %d, want 0 (no limit) or more", ErrInvalidConfig, name, o.maxAttempts)
	case o.backoffMin <= 0 || o.backoffMax < o.backoffMin:
		return fmt.Errorf("%w: %s: retry backoff %s..%s", ErrInvalidConfig, name, o.backoffMin, o.backoffMax)
	case o.lagInterval < 0:
		return fmt.Errorf("%w: %s: lag interval %s", ErrInvalidConfig, name, o.lagInterval)
	}
	for _, s := range o.subjects {
		if s == "" {
			return fmt.Errorf("%w: %s: empty subject filter", ErrInvalidConfig, name)
		}
	}
	return nil
}

// Name returns the projection's name, which is also its consumer's.
func (p *Projection) Name() string { return p.name }

// Checkpoint returns the stream sequence of the last message this process
// acknowledged, or the consumer's acknowledgement floor when Run started;
// 0 after a rebuild until the first batch is handled.
func (p *Projection) Checkpoint() uint64 { return p.checkpoint.Load() }

// Run creates or updates the durable consumer and feeds the handler until
// ctx ends, then returns nil. A consumer that did not exist starts at the
// beginning of the stream, after the read model's Reset (if it has one). A
// batch being handled when ctx ends is not acknowledged: it is delivered
// again on the next Run. Failed batches are retried with backoff and
// logged; Run returns an error only when the consumer cannot be set up,
// and ErrRunning if the projection is already running.
func (p *Projection) Run(ctx context.Context) error {
	l := &loop{rebuilds: make(chan chan error, 1), done: make(chan struct{}), wake: make(chan struct{}, 1)}
	p.mu.Lock()
	if p.loop != nil {
		p.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrRunning, p.name)
	}
	p.loop = l
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.loop = nil
		p.mu.Unlock()
		close(l.done)
	}()

	cons, err := p.attach(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	p.log.LogAttrs(ctx, slog.LevelInfo, "projection started",
		slog.String("stream", p.o.stream), slog.Any("subjects", p.o.subjects),
		slog.Uint64("checkpoint", p.checkpoint.Load()), slog.Uint64("pending", cons.CachedInfo().NumPending))
	var lag sync.WaitGroup
	lagCtx, stopLag := context.WithCancel(ctx)
	defer func() {
		stopLag()
		lag.Wait()
	}()
	if p.o.lagInterval > 0 {
		lag.Go(func() { p.reportLag(lagCtx, cons) })
	}
	r := &runner{p: p, cons: cons, l: l}
	r.run(ctx)
	r.withdraw(ctx)
	p.log.LogAttrs(context.WithoutCancel(ctx), slog.LevelInfo, "projection stopped",
		slog.Uint64("checkpoint", p.checkpoint.Load()))
	return nil
}

// attach creates or updates the consumer and positions the checkpoint. A
// consumer that did not exist (a first run, or one deleted since) starts
// at the beginning of the stream and the read model is reset before it
// gets a record; a consumer with messages delivered but never acknowledged
// (a process that stopped or lost them) is moved back to its
// acknowledgement floor, so they come again at once and in order instead
// of after the ack wait.
func (p *Projection) attach(ctx context.Context) (jetstream.Consumer, error) {
	cfg := jetstream.ConsumerConfig{
		Durable:       p.name,
		Description:   "esgen projection " + p.name,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       p.o.ackWait,
		MaxDeliver:    -1, // retries and giving up are the projection's (WithMaxAttempts)
		// One batch in flight at a time keeps deliveries in stream order.
		MaxAckPending: p.o.batch,
		ReplayPolicy:  jetstream.ReplayInstantPolicy,
	}
	switch len(p.o.subjects) {
	case 0:
	case 1:
		cfg.FilterSubject = p.o.subjects[0]
	default:
		cfg.FilterSubjects = p.o.subjects
	}
	_, err := p.js.Consumer(ctx, p.o.stream, p.name)
	fresh := isNotFound(err)
	if err != nil && !fresh {
		return nil, fmt.Errorf("projection %s: consumer on stream %s: %w", p.name, p.o.stream, err)
	}
	cons, err := p.js.CreateOrUpdateConsumer(ctx, p.o.stream, cfg)
	if err != nil {
		return nil, fmt.Errorf("projection %s: consumer on stream %s: %w", p.name, p.o.stream, err)
	}
	info := cons.CachedInfo()
	if fresh {
		p.needReset.Store(true)
		p.log.LogAttrs(ctx, slog.LevelInfo, "new consumer: the read model is reset and fed from the start of the stream",
			slog.String("stream", p.o.stream), slog.Any("subjects", p.o.subjects))
	}
	if info.NumAckPending > 0 {
		if _, err := p.js.ResetConsumer(ctx, p.o.stream, p.name); err != nil {
			return nil, fmt.Errorf("projection %s: back to checkpoint %d: %w", p.name, info.AckFloor.Stream, err)
		}
		// Info, not a warning: besides a crash, a clean stop can leave one
		// message behind, delivered to the pull it was waiting in.
		p.log.LogAttrs(ctx, slog.LevelInfo, "delivering unacknowledged messages again from the checkpoint",
			slog.Uint64("checkpoint", info.AckFloor.Stream), slog.Int("messages", info.NumAckPending))
	}
	p.setCheckpoint(info.AckFloor.Stream)
	return cons, nil
}

// setCheckpoint records seq and wakes CaughtUp waiters.
func (p *Projection) setCheckpoint(seq uint64) {
	p.checkpoint.Store(seq)
	p.progMu.Lock()
	close(p.progress)
	p.progress = make(chan struct{})
	p.progMu.Unlock()
}

func (p *Projection) progressChan() <-chan struct{} {
	p.progMu.Lock()
	defer p.progMu.Unlock()
	return p.progress
}

// running returns the loop of a running Run, or nil.
func (p *Projection) running() *loop {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.loop
}

// resetModel tells the read model to discard its contents, if it can, and
// clears needReset on success.
func (p *Projection) resetModel(ctx context.Context) error {
	if r, ok := p.h.(Resetter); ok {
		if err := r.Reset(ctx); err != nil {
			return fmt.Errorf("projection %s: reset read model: %w", p.name, err)
		}
	}
	p.needReset.Store(false)
	return nil
}

// sleep waits d or until ctx ends, and reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// isNotFound reports a consumer that does not exist.
func isNotFound(err error) bool { return errors.Is(err, jetstream.ErrConsumerNotFound) }
