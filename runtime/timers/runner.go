package timers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

const (
	// fetchBatch is how many firings one fetch takes at most.
	fetchBatch = 64
	// idleWait bounds one wait for a firing on an idle stream.
	idleWait = 5 * time.Second
	// idleHeartbeat is the server's heartbeat period during that wait: a
	// pull a reconnect lost fails fast instead of waiting idleWait out.
	idleHeartbeat = time.Second
	// ackTimeout bounds the flush of acknowledgements when Run stops.
	ackTimeout = 5 * time.Second
	// reattachTimeout bounds one attempt to attach to the consumer again:
	// a request sent to a server on its way down, or one still
	// recovering its streams, is never answered, and the next attempt
	// may be.
	reattachTimeout = time.Second
	// connectionPoll is how often a runner that lost its connection
	// looks whether it is back.
	connectionPoll = 50 * time.Millisecond
)

// Run delivers firings to h, one at a time, in the order they were stored,
// until ctx ends; then it returns nil. See Timers.
//
// It creates or updates the durable consumer (WithConsumer) on
// "<prefix>.fire.>": explicit acknowledgements, no limit on deliveries.
// If the consumer has firings delivered but never acknowledged (a runner
// stopped or died while it had them), it is moved back to its
// acknowledgement floor so that they come again at once, not after the
// ack wait: run one Run per consumer at a time. A handler's nil
// acknowledges the firing, which the work-queue stream then removes; an
// error has the server deliver it again after the backoff, while later
// firings go on; a firing Run cannot read (a message on the firing
// subjects that no schedule made) is logged and terminated. Run returns an
// error only when the server refuses to set the consumer up; it rides out
// lost connections and server restarts, retrying with the backoff.
func (j *JetStream) Run(ctx context.Context, h Handler) error {
	if h == nil {
		return errors.New("timers: Run: nil handler")
	}
	cons, err := j.attach(ctx)
	var apiErr *jetstream.APIError
	switch {
	case ctx.Err() != nil:
		return nil
	case errors.As(err, &apiErr):
		return err // the server refused: a configuration to fix
	case err != nil:
		// No answer: the loop attaches again after the backoff.
		j.o.log.LogAttrs(ctx, slog.LevelWarn, "timer runner started, consumer not attached yet",
			slog.String("stream", j.o.stream), slog.String("consumer", j.o.consumer), slog.Any("error", err))
	default:
		info := cons.CachedInfo()
		j.o.log.LogAttrs(ctx, slog.LevelInfo, "timer runner started",
			slog.String("stream", j.o.stream), slog.String("consumer", j.o.consumer),
			slog.Uint64("pending", info.NumPending), slog.Int("unacknowledged", info.NumAckPending))
	}
	r := &runner{j: j, h: h, cons: cons}
	r.run(ctx)
	// Acknowledgements are sent without waiting for replies: make sure
	// they left before returning.
	if nc := j.js.Conn(); nc.IsConnected() {
		_ = nc.FlushTimeout(ackTimeout)
	}
	j.o.log.LogAttrs(context.WithoutCancel(ctx), slog.LevelInfo, "timer runner stopped",
		slog.String("consumer", j.o.consumer))
	return nil
}

// ConsumerConfig returns the configuration of the durable consumer Run
// delivers from.
func (j *JetStream) ConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       j.o.consumer,
		Description:   "esgen timers: firings on " + j.fire + ">",
		FilterSubject: j.fire + ">",
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       j.o.ackWait,
		MaxDeliver:    -1, // a firing is never given up on
		ReplayPolicy:  jetstream.ReplayInstantPolicy,
	}
}

// attach creates or updates the consumer and has the firings a stopped
// runner left unacknowledged delivered again at once.
func (j *JetStream) attach(ctx context.Context) (jetstream.Consumer, error) {
	cons, err := j.js.CreateOrUpdateConsumer(ctx, j.o.stream, j.ConsumerConfig())
	if err != nil {
		return nil, fmt.Errorf("timers: consumer %s on stream %s: %w", j.o.consumer, j.o.stream, err)
	}
	if info := cons.CachedInfo(); info.NumAckPending > 0 {
		if _, err := j.js.ResetConsumer(ctx, j.o.stream, j.o.consumer); err != nil {
			return nil, fmt.Errorf("timers: consumer %s: deliver unacknowledged firings again: %w", j.o.consumer, err)
		}
		j.o.log.LogAttrs(ctx, slog.LevelInfo, "delivering unacknowledged firings again",
			slog.String("consumer", j.o.consumer), slog.Int("firings", info.NumAckPending))
	}
	return cons, nil
}

// runner is the fetch-handle-acknowledge loop of one Run.
type runner struct {
	j        *JetStream
	h        Handler
	cons     jetstream.Consumer // nil: attach again
	failures int                // consecutive failed fetches, for the backoff
}

func (r *runner) run(ctx context.Context) {
	j := r.j
	for ctx.Err() == nil {
		if r.cons == nil {
			// A request sent while disconnected waits in the reconnect
			// buffer and may go unanswered for its whole timeout.
			if !j.js.Conn().IsConnected() {
				if !sleep(ctx, connectionPoll) {
					return
				}
				continue
			}
			actx, cancel := context.WithTimeout(ctx, reattachTimeout)
			cons, err := j.attach(actx)
			cancel()
			if err != nil {
				if !r.fail(ctx, "timer consumer attach failed", err) {
					return
				}
				continue
			}
			r.cons = cons
		}
		batch, err := r.fetch(ctx)
		if len(batch) > 0 {
			r.handle(ctx, batch)
		}
		if err != nil && ctx.Err() == nil {
			r.cons = nil
			if !r.fail(ctx, "timer fetch failed", err) {
				return
			}
			continue
		}
		r.failures = 0
	}
}

// fail logs err and waits the backoff; false means ctx ended.
func (r *runner) fail(ctx context.Context, msg string, err error) bool {
	r.failures++
	wait := r.j.o.retryDelay(r.failures)
	r.j.o.log.LogAttrs(ctx, slog.LevelError, msg, slog.Any("error", err),
		slog.Int("attempt", r.failures), slog.Duration("retry_in", wait))
	return sleep(ctx, wait)
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

// fetch returns the firings available right away, else the first to
// arrive within idleWait (none when it passes).
func (r *runner) fetch(ctx context.Context) ([]jetstream.Msg, error) {
	batch, err := collect(r.cons.FetchNoWait(fetchBatch))
	if err != nil || len(batch) > 0 {
		return batch, err
	}
	fctx, cancel := context.WithTimeout(ctx, idleWait)
	defer cancel()
	batch, err = collect(r.cons.Fetch(1, jetstream.FetchContext(fctx), jetstream.FetchHeartbeat(idleHeartbeat)))
	if err != nil && ctx.Err() == nil && fctx.Err() != nil {
		err = nil // the idle wait ended: not a failure
	}
	return batch, err
}

// collect reads a fetch to its end.
func collect(mb jetstream.MessageBatch, err error) ([]jetstream.Msg, error) {
	if err != nil {
		return nil, err
	}
	var batch []jetstream.Msg
	for m := range mb.Messages() {
		batch = append(batch, m)
	}
	return batch, mb.Error()
}

// handle hands the batch's firings to the handler in order. While it
// works, the server is told every third of the ack wait that the firings
// not yet acknowledged are in progress. When ctx ends, the firings left
// are given back to the server for the next runner.
func (r *runner) handle(ctx context.Context, batch []jetstream.Msg) {
	var next atomic.Int64 // index of the first firing not yet acknowledged
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Go(func() {
		t := time.NewTicker(r.j.o.ackWait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				for _, m := range batch[next.Load():] {
					_ = m.InProgress()
				}
			}
		}
	})
	defer wg.Wait()
	defer close(done)
	for i, m := range batch {
		if ctx.Err() != nil {
			for _, m := range batch[i:] {
				_ = m.Nak()
			}
			return
		}
		r.deliver(ctx, m)
		next.Store(int64(i + 1))
	}
}

// deliver hands one firing to the handler and acknowledges it, or has it
// delivered again after the backoff.
func (r *runner) deliver(ctx context.Context, m jetstream.Msg) {
	j := r.j
	f, err := j.firingOf(m)
	if err != nil {
		j.o.log.LogAttrs(ctx, slog.LevelError, "unreadable firing terminated",
			slog.String("subject", m.Subject()), slog.Any("error", err))
		_ = m.TermWithReason("esgen timers: unreadable firing: " + err.Error())
		return
	}
	err = r.h(ctx, f)
	switch {
	case err == nil:
		if err := m.Ack(); err != nil {
			j.o.log.LogAttrs(ctx, slog.LevelWarn, "firing handled, acknowledgement failed: it will be delivered again",
				slog.String("timer", f.Key.String()), slog.Uint64("version", f.Version), slog.Any("error", err))
		}
	case ctx.Err() != nil:
		_ = m.Nak() // stopped: the next runner gets it at once
	default:
		wait := j.o.retryDelay(f.Delivery)
		j.o.log.LogAttrs(ctx, slog.LevelError, "timer handler failed",
			slog.String("timer", f.Key.String()), slog.Uint64("version", f.Version),
			slog.Int("delivery", f.Delivery), slog.Duration("retry_in", wait), slog.Any("error", err))
		if err := m.NakWithDelay(wait); err != nil {
			j.o.log.LogAttrs(ctx, slog.LevelWarn, "firing not given back: it will be delivered again after the ack wait",
				slog.String("timer", f.Key.String()), slog.Any("error", err))
		}
	}
}

// firingOf reads a stored firing.
func (j *JetStream) firingOf(m jetstream.Msg) (Firing, error) {
	k, err := j.keyOf(m.Subject())
	if err != nil {
		return Firing{}, err
	}
	t, err := timerOf(k, m.Headers(), m.Data())
	if err != nil {
		return Firing{}, err
	}
	md, err := m.Metadata()
	if err != nil {
		return Firing{}, err
	}
	return Firing{
		Key: k, Due: t.Due, Version: t.Version, Payload: t.Payload,
		Fired: md.Timestamp.UTC(), Delivery: int(md.NumDelivered),
	}, nil
}
