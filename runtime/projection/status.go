package projection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// caughtUpPoll is how often CaughtUp asks the server about the consumer
// when this process's own progress has not settled it.
const caughtUpPoll = 50 * time.Millisecond

// Status is a projection's position as its consumer on the server sees it.
type Status struct {
	// Checkpoint is the stream sequence up to which every message of the
	// projection has been acknowledged (the consumer's ack floor).
	Checkpoint uint64
	// Delivered is the stream sequence of the last message delivered.
	Delivered uint64
	// Pending counts the messages of the projection not delivered yet: its
	// lag.
	Pending uint64
	// Unacknowledged counts messages delivered and not yet acknowledged.
	Unacknowledged int
	// Redelivered counts unacknowledged messages delivered more than once.
	Redelivered int
}

func statusOf(info *jetstream.ConsumerInfo) Status {
	return Status{
		Checkpoint:     info.AckFloor.Stream,
		Delivered:      info.Delivered.Stream,
		Pending:        info.NumPending,
		Unacknowledged: info.NumAckPending,
		Redelivered:    info.NumRedelivered,
	}
}

// Status asks the server for the projection's consumer. A projection that
// never ran has no consumer: the error matches jetstream.ErrConsumerNotFound.
func (p *Projection) Status(ctx context.Context) (Status, error) {
	c, err := p.js.Consumer(ctx, p.o.stream, p.name)
	if err != nil {
		return Status{}, fmt.Errorf("projection %s: status: %w", p.name, err)
	}
	return statusOf(c.CachedInfo()), nil
}

// CaughtUp waits until the projection has handled every message of its
// filter stored in the stream when CaughtUp was called, whether the
// projection runs in this process or elsewhere, or until ctx ends.
func (p *Projection) CaughtUp(ctx context.Context) error {
	target, err := p.lastSequence(ctx)
	if err != nil {
		return fmt.Errorf("projection %s: caught up: %w", p.name, err)
	}
	var polled time.Time
	for {
		progress := p.progressChan()
		if p.checkpoint.Load() >= target && !p.needReset.Load() {
			return nil
		}
		// The projection may run in another process: ask the consumer.
		if time.Since(polled) >= caughtUpPoll {
			polled = time.Now()
			st, err := p.Status(ctx)
			switch {
			case err == nil && st.Checkpoint >= target && !p.needReset.Load():
				return nil
			case err != nil && !isNotFound(err) && ctx.Err() == nil:
				return err
			}
		}
		t := time.NewTimer(caughtUpPoll)
		select {
		case <-progress:
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("projection %s: caught up to %d of %d: %w", p.name, p.checkpoint.Load(), target, ctx.Err())
		}
		t.Stop()
	}
}

// lastSequence returns the stream sequence of the last message the
// projection's filter matches, 0 if there is none.
func (p *Projection) lastSequence(ctx context.Context) (uint64, error) {
	s, err := p.js.Stream(ctx, p.o.stream)
	if err != nil {
		return 0, err
	}
	if len(p.o.subjects) == 0 {
		return s.CachedInfo().State.LastSeq, nil
	}
	var last uint64
	for _, f := range p.o.subjects {
		m, err := s.GetLastMsgForSubject(ctx, f)
		switch {
		case errors.Is(err, jetstream.ErrMsgNotFound):
		case err != nil:
			return 0, fmt.Errorf("last message on %s: %w", f, err)
		default:
			last = max(last, m.Sequence)
		}
	}
	return last, nil
}

// reportLag logs the consumer's lag every lag interval until ctx ends.
func (p *Projection) reportLag(ctx context.Context, cons jetstream.Consumer) {
	t := time.NewTicker(p.o.lagInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		info, err := cons.Info(ctx)
		if err != nil {
			if ctx.Err() == nil {
				p.log.LogAttrs(ctx, slog.LevelWarn, "projection lag unknown", slog.Any("error", err))
			}
			continue
		}
		st := statusOf(info)
		p.log.LogAttrs(ctx, slog.LevelInfo, "projection lag",
			slog.Uint64("pending", st.Pending), slog.Int("unacknowledged", st.Unacknowledged),
			slog.Int("redelivered", st.Redelivered), slog.Uint64("checkpoint", st.Checkpoint))
	}
}
