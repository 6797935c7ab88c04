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

// runner is the fetch-handle-acknowledge loop of one Run.
type runner struct {
	p    *Projection
	cons jetstream.Consumer
	l    *loop

	failures int    // consecutive failed attempts, for the backoff
	lastDseq uint64 // consumer sequence of the last delivery seen; 0: unknown
	resync   bool   // deliveries may be out of order: reset to the checkpoint
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
		if r.resync {
			if _, err := p.js.ResetConsumer(ctx, p.o.stream, p.name); err != nil {
				if !r.fail(ctx, "reset to checkpoint failed", err) {
					return
				}
				continue
			}
			r.resync, r.lastDseq = false, 0
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
			r.resync = true
			if !r.fail(ctx, "fetch failed", err) {
				return
			}
			continue
		}
		if len(batch) == 0 {
			continue
		}
		if err := r.handle(ctx, batch); err != nil {
			if ctx.Err() != nil {
				return
			}
			if !r.fail(ctx, "batch failed", err) {
				return
			}
			continue
		}
		r.failures = 0
	}
}

// fail logs err and waits the backoff; false means ctx ended.
func (r *runner) fail(ctx context.Context, msg string, err error) bool {
	o := r.p.o
	wait := o.backoffMin << min(r.failures, 30)
	if wait > o.backoffMax || wait <= 0 {
		wait = o.backoffMax
	}
	r.failures++
	r.p.log.LogAttrs(ctx, slog.LevelError, msg, slog.Any("error", err),
		slog.Int("attempt", r.failures), slog.Duration("retry_in", wait))
	return sleep(ctx, wait)
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
	batch, err = r.collect(r.cons.Fetch(1, jetstream.FetchContext(fctx)))
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

// handle decodes a batch, hands it to the handler and acknowledges it.
// On failure nothing is acknowledged and the batch is delivered again,
// except that the messages before one that does not decode are handled
// first, so that the checkpoint stops right before it.
func (r *runner) handle(ctx context.Context, batch []delivery) error {
	p := r.p
	records := make([]es.Record, 0, len(batch))
	for i, d := range batch {
		recs, err := p.o.decode(d.msg)
		if err != nil {
			nakAll(batch[i:])
			bad := &BatchError{Projection: p.name, First: batch[0].md.Sequence.Stream, Last: batch[len(batch)-1].md.Sequence.Stream, Sequence: d.md.Sequence.Stream, Err: err}
			if i > 0 {
				if err := r.apply(ctx, batch[:i], records); err != nil {
					return err
				}
			}
			return bad
		}
		records = append(records, recs...)
	}
	return r.apply(ctx, batch, records)
}

// apply hands the decoded records of batch to the handler and acknowledges
// the batch when the handler succeeds.
func (r *runner) apply(ctx context.Context, batch []delivery, records []es.Record) error {
	p := r.p
	first, last := batch[0].md.Sequence.Stream, batch[len(batch)-1].md.Sequence.Stream
	var redelivered int
	var maxDelivered uint64
	for _, d := range batch {
		if d.md.NumDelivered > 1 {
			redelivered++
			maxDelivered = max(maxDelivered, d.md.NumDelivered)
		}
	}
	if redelivered > 0 {
		p.log.LogAttrs(ctx, slog.LevelWarn, "redelivered",
			slog.Uint64("first", first), slog.Uint64("last", last),
			slog.Int("messages", redelivered), slog.Uint64("max_deliveries", maxDelivered))
	}
	stop := r.keepAlive(batch)
	err := p.h.Handle(ctx, records)
	stop()
	if err != nil {
		nakAll(batch)
		return &BatchError{Projection: p.name, First: first, Last: last, Err: err}
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
	defer cancel()
	if err := ackAll(actx, batch); err != nil {
		// Handled but not acknowledged: it will come again. Make it come
		// now and in order.
		r.resync = true
		return fmt.Errorf("projection %s: acknowledge batch %d..%d: %w", p.name, first, last, err)
	}
	p.setCheckpoint(last)
	p.log.LogAttrs(ctx, slog.LevelDebug, "batch handled",
		slog.Uint64("first", first), slog.Uint64("last", last),
		slog.Int("records", len(records)), slog.Uint64("pending", batch[len(batch)-1].md.NumPending))
	return nil
}

// keepAlive tells the server the batch is in progress every half ack wait
// while the handler runs, so that a slow handler is not overtaken by a
// redelivery. The returned function stops it.
func (r *runner) keepAlive(batch []delivery) (stop func()) {
	every := r.p.o.ackWait / 2
	done := make(chan struct{})
	t := time.AfterFunc(every, func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			for _, d := range batch {
				_ = d.msg.InProgress()
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() {
		if !t.Stop() {
			close(done)
		}
	}
}

// rebuild moves the consumer back to the stream's start and resets the
// read model; it runs between batches, with nothing in flight.
func (r *runner) rebuild(ctx context.Context) error {
	err := r.p.rebuild(ctx)
	r.lastDseq, r.resync, r.failures = 0, false, 0
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
