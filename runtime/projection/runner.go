package projection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
)

// ackTimeout bounds the acknowledgement of a handled batch, which goes on
// even when the projection is being stopped.
const ackTimeout = 5 * time.Second

// idleHeartbeat is the server's heartbeat period on an idle pull.
const idleHeartbeat = time.Second

// reattachTimeout bounds one attempt to attach to the consumer again: a
// request sent to a server on its way down is never answered, and the
// next attempt may reach its successor.
const reattachTimeout = time.Second

// withdrawTimeout bounds the round trip that confirms, when Run stops,
// that the server dropped the loop's last pull request.
const withdrawTimeout = time.Second

// connectionPoll is how often a projection that lost its connection looks
// whether it is back.
const connectionPoll = 50 * time.Millisecond

// runner is the fetch-handle-acknowledge loop of one Run.
type runner struct {
	p    *Projection
	cons jetstream.Consumer
	l    *loop

	failures int    // consecutive failures of the loop's own steps, for the backoff
	lastDseq uint64 // consumer sequence of the last delivery seen; 0: unknown
	// reattach: deliveries may be lost or out of order, or the consumer
	// gone; attach again, which moves the consumer back to the checkpoint.
	reattach bool
}

// delivery is one fetched message with its parsed metadata.
type delivery struct {
	msg jetstream.Msg
	md  *jetstream.MsgMetadata
}

func (r *runner) run(ctx context.Context) {
	p := r.p
	for {
		select {
		case reply := <-r.l.rebuilds:
			reply <- r.rebuild(ctx)
			continue
		default:
		}
		if ctx.Err() != nil {
			return
		}
		if r.reattach {
			// A request sent while disconnected waits in the reconnect
			// buffer and may go unanswered for the whole API timeout.
			if !p.js.Conn().IsConnected() {
				if !sleep(ctx, connectionPoll) {
					return
				}
				continue
			}
			actx, cancel := context.WithTimeout(ctx, reattachTimeout)
			cons, err := p.attach(actx)
			cancel()
			if err != nil {
				if !r.fail(ctx, "consumer reattach failed", err) {
					return
				}
				continue
			}
			r.cons, r.reattach, r.lastDseq = cons, false, 0
		}
		if p.needReset.Load() {
			if err := p.resetModel(ctx); err != nil {
				if !r.fail(ctx, "read model reset failed", err) {
					return
				}
				continue
			}
		}
		batch, err := r.fetch(ctx)
		if err != nil {
			nakAll(batch)
			if ctx.Err() != nil {
				return
			}
			r.reattach = true
			if !r.fail(ctx, "fetch failed", err) {
				return
			}
			continue
		}
		r.failures = 0
		if len(batch) > 0 {
			r.process(ctx, batch)
		}
	}
}

// withdraw returns once the server has dropped the pull requests of the
// stopped loop. A fetch cut short leaves its request on the server, which
// drops it only on seeing its reply subject unsubscribed: a message that
// arrived before would be delivered to a pull nobody reads and wait out the
// ack wait before anyone else got it (the next Run of the projection gets
// it at once, moving the consumer back to its checkpoint, but another
// process would not). Every fetch of the loop has ended and unsubscribed
// (jetstream's Fetch unsubscribes before it closes its channel, since
// nats.go v1.56.0), so a round trip to the server confirms it has seen the
// unsubscriptions.
// Servers with leaf nodes or gateways may go on serving a pull request for
// 2 s after it lost its subscriber.
func (r *runner) withdraw(ctx context.Context) {
	nc := r.p.js.Conn()
	if !nc.IsConnected() {
		return // the server dropped this connection's interest, or will on reconnecting
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), withdrawTimeout)
	defer cancel()
	if err := nc.FlushWithContext(fctx); err != nil {
		r.p.log.LogAttrs(fctx, slog.LevelInfo, "pull request withdrawal not confirmed", slog.Any("error", err))
	}
}

// fail logs err and waits the backoff; false means ctx ended.
func (r *runner) fail(ctx context.Context, msg string, err error) bool {
	wait := r.backoff(r.failures)
	r.failures++
	r.p.log.LogAttrs(ctx, slog.LevelError, msg, slog.Any("error", err),
		slog.Int("attempt", r.failures), slog.Duration("retry_in", wait))
	return sleep(ctx, wait)
}

// backoff is the wait after the given number of earlier failures.
func (r *runner) backoff(failures int) time.Duration {
	o := r.p.o
	wait := o.backoffMin << min(failures, 30)
	if wait > o.backoffMax || wait <= 0 {
		wait = o.backoffMax
	}
	return wait
}

// fetch returns the next batch: what is available right away, else the
// first message to arrive within the idle wait together with whatever
// followed it. A rebuild request cuts the idle wait short.
func (r *runner) fetch(ctx context.Context) ([]delivery, error) {
	n := r.p.o.batch
	batch, err := r.collect(r.cons.FetchNoWait(n))
	if err != nil || len(batch) > 0 {
		return batch, err
	}
	fctx, cancel := context.WithTimeout(ctx, r.p.o.idleWait)
	defer cancel()
	r.l.idle.Store(&cancel)
	defer r.l.idle.Store(nil)
	if len(r.l.rebuilds) > 0 {
		return nil, nil
	}
	// Heartbeats let a pull that a reconnect lost fail fast instead of
	// waiting out the idle wait.
	batch, err = r.collect(r.cons.Fetch(1, jetstream.FetchContext(fctx), jetstream.FetchHeartbeat(idleHeartbeat)))
	if err != nil && ctx.Err() == nil && fctx.Err() != nil {
		err = nil // the idle wait ended or a rebuild woke us: not a failure
	}
	if err != nil || len(batch) == 0 || n == 1 {
		return batch, err
	}
	more, err := r.collect(r.cons.FetchNoWait(n - 1))
	return append(batch, more...), err
}

// collect reads a fetch to its end and checks that deliveries are
// contiguous: a gap in the consumer sequence means a delivery was lost (a
// reconnect, a fetch abandoned on a rebuild) and would come back only after
// the ack wait, out of order.
func (r *runner) collect(mb jetstream.MessageBatch, err error) ([]delivery, error) {
	if err != nil {
		return nil, err
	}
	var batch []delivery
	var gap error
	for m := range mb.Messages() {
		md, err := m.Metadata()
		if err != nil {
			gap = fmt.Errorf("message on %s without metadata: %w", m.Subject(), err)
			_ = m.Nak()
			continue
		}
		if r.lastDseq != 0 && md.Sequence.Consumer != r.lastDseq+1 && gap == nil {
			gap = fmt.Errorf("delivery gap: consumer sequence %d after %d", md.Sequence.Consumer, r.lastDseq)
		}
		r.lastDseq = md.Sequence.Consumer
		batch = append(batch, delivery{msg: m, md: md})
	}
	if err := mb.Error(); err != nil {
		return batch, err
	}
	return batch, gap
}

// process hands a batch to the handler and acknowledges it. When that
// fails, it retries the batch's messages one at a time, in order, each
// until it succeeds (or, with WithMaxAttempts, until the projection gives
// up on it), waiting the backoff after every failure. Retrying here rather
// than through the server keeps records in order and a failing message's
// neighbours out of its retries. A stop or a rebuild request ends the
// retries, and so does a failed acknowledgement: the rest of the batch is
// given back to the server.
func (r *runner) process(ctx context.Context, batch []delivery) {
	err := r.apply(ctx, batch)
	if err == nil {
		return
	}
	failures := 1 // consecutive, for the backoff
	for i, d := range batch {
		if d.md.Sequence.Stream <= r.p.checkpoint.Load() {
			continue // applied before the failure: the prefix before a message that did not decode
		}
		for attempts := 0; ; { // failures of d alone
			if err != nil {
				if max := r.p.o.maxAttempts; max > 0 && attempts >= max {
					r.abandon(ctx, d, err)
					err = nil
					break
				}
				wait := r.backoff(failures - 1)
				r.p.log.LogAttrs(ctx, slog.LevelError, "batch failed", slog.Any("error", err),
					slog.Int("attempt", failures), slog.Duration("retry_in", wait))
				if r.reattach || !r.pause(ctx, wait) {
					nakAll(batch[i:])
					return
				}
			}
			if err = r.apply(ctx, batch[i:i+1]); err == nil {
				failures = 0
				break
			}
			attempts++
			failures++
		}
	}
}

// pause waits d; false means ctx ended or a rebuild is waiting.
func (r *runner) pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-r.l.wake:
	}
	return ctx.Err() == nil && len(r.l.rebuilds) == 0
}

// apply decodes the batch, hands its records to the handler and
// acknowledges it when the handler succeeds. Should a message not decode,
// the messages before it are applied alone, so that the checkpoint stops
// right before it.
func (r *runner) apply(ctx context.Context, batch []delivery) error {
	p := r.p
	first, last := batch[0].md.Sequence.Stream, batch[len(batch)-1].md.Sequence.Stream
	records := make([]es.Record, 0, len(batch))
	for i, d := range batch {
		recs, err := p.o.decode(d.msg)
		if err != nil {
			bad := &BatchError{Projection: p.name, First: first, Last: last, Sequence: d.md.Sequence.Stream, Err: err}
			if i > 0 {
				if err := r.apply(ctx, batch[:i]); err != nil {
					return err
				}
			}
			return bad
		}
		records = append(records, recs...)
	}
	if p.tel != nil {
		hctx, span := p.tel.startBatch(ctx, first, last, records)
		err := r.handle(hctx, batch, records, first, last)
		p.tel.endBatch(span, err)
		if err == nil && len(records) > 0 {
			p.tel.handled(ctx, batch[len(batch)-1].md.NumPending, records[len(records)-1].Time)
		}
		return err
	}
	return r.handle(ctx, batch, records, first, last)
}

// handle hands the records of a batch (stream sequences first to last) to
// the handler and acknowledges the batch when the handler succeeds.
func (r *runner) handle(ctx context.Context, batch []delivery, records []es.Record, first, last uint64) error {
	p := r.p
	if err := p.h.Handle(ctx, records); err != nil {
		return &BatchError{Projection: p.name, First: first, Last: last, Err: err}
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
	defer cancel()
	if err := ackAll(actx, batch); err != nil {
		// Handled but not acknowledged: it will come again. Make it come
		// now and in order.
		r.reattach = true
		return fmt.Errorf("projection %s: acknowledge batch %d..%d: %w", p.name, first, last, err)
	}
	p.setCheckpoint(last)
	p.log.LogAttrs(ctx, slog.LevelDebug, "batch handled",
		slog.Uint64("first", first), slog.Uint64("last", last),
		slog.Int("records", len(records)), slog.Uint64("pending", batch[len(batch)-1].md.NumPending))
	return nil
}

// abandon gives up on a message after WithMaxAttempts failures: the server
// is told never to deliver it again and the projection moves past it.
func (r *runner) abandon(ctx context.Context, d delivery, cause error) {
	p := r.p
	seq := d.md.Sequence.Stream
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
	defer cancel()
	err := d.msg.TermWithReason(fmt.Sprintf("projection %s gave up after %d attempts", p.name, p.o.maxAttempts))
	if err == nil {
		// Confirm the termination with a round trip, as ackAll does.
		err = p.js.Conn().FlushWithContext(actx)
	}
	if err != nil {
		r.reattach = true
		p.log.LogAttrs(ctx, slog.LevelError, "message not abandoned", slog.Uint64("sequence", seq), slog.Any("error", err))
		return
	}
	p.setCheckpoint(seq)
	p.log.LogAttrs(ctx, slog.LevelError, "message abandoned",
		slog.Uint64("sequence", seq), slog.String("subject", d.msg.Subject()),
		slog.Int("attempts", p.o.maxAttempts), slog.Any("error", cause))
}

// rebuild moves the consumer back to the stream's start and resets the
// read model; it runs between batches, with nothing in flight.
func (r *runner) rebuild(ctx context.Context) error {
	err := r.p.rebuild(ctx)
	r.lastDseq, r.reattach, r.failures = 0, false, 0
	select {
	case <-r.l.wake: // the request's wake-up, if nothing consumed it
	default:
	}
	return err
}

// ackAll acknowledges every message of a handled batch, the last one
// synchronously: the server processes one connection's acknowledgements in
// order, so its reply confirms them all.
func ackAll(ctx context.Context, batch []delivery) error {
	for _, d := range batch[:len(batch)-1] {
		if err := d.msg.Ack(); err != nil {
			return err
		}
	}
	err := batch[len(batch)-1].msg.DoubleAck(ctx)
	if errors.Is(err, jetstream.ErrMsgAlreadyAckd) {
		return nil
	}
	return err
}

// nakAll asks for an immediate redelivery of every message of a batch.
func nakAll(batch []delivery) {
	for _, d := range batch {
		_ = d.msg.Nak()
	}
}
