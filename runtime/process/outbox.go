package process

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/esgen/esgen/runtime/es"
)

// after does what follows a stored step s of instance e: it arms the
// timers of the state s entered (while the instance is still in it) and
// sends the step's commands. fresh says that this call stored s: none of
// its commands can have been sent. For a step an earlier delivery stored
// (a crash, a redelivery), each command not known sent is sent only when
// its aggregate does not hold it (Definition.Sent), and the step's
// timers are armed again (the same timers: nothing changes if they are
// armed).
func (r *Runner[S, I]) after(ctx context.Context, e *instance, s *stepRecord, depth int, fresh bool) error {
	if depth > r.o.maxDepth {
		return nil // reported by the refusal that went past the bound
	}
	if s.from != s.to {
		if fresh {
			r.cancelTimers(ctx, e, s)
		}
		if r.current(e, s) {
			if err := r.armTimers(ctx, e, s); err != nil {
				return err
			}
		}
	}
	return r.outbox(ctx, e, s, depth, fresh)
}

// outbox sends the commands of step s.
func (r *Runner[S, I]) outbox(ctx context.Context, e *instance, s *stepRecord, depth int, fresh bool) error {
	for n := range s.sends {
		if s.settled[n] {
			continue
		}
		send := s.sends[n]
		id := sendID(r.name, e.id, s.eventID, n)
		if rs, ok := e.inputs[refusalInputID(s.eventID, n)]; ok {
			// Refused before, and the process reacted: the reaction's
			// commands may be left to send.
			if err := r.after(ctx, e, rs, depth+1, false); err != nil {
				return err
			}
			s.settled[n] = true
			continue
		}
		if !fresh {
			held, err := r.def.Sent(ctx, send, id)
			if err != nil {
				return fmt.Errorf("process %s %q: whether %s %q holds command %s (%s): %w", r.name, e.id, send.Aggregate, send.ID, id, send.Command, err)
			}
			if held {
				s.settled[n] = true
				continue
			}
		}
		err := r.dispatch(ctx, e, s, n, id)
		switch {
		case err == nil:
			if !fresh {
				r.log.LogAttrs(ctx, slog.LevelInfo, "command of a step stored earlier sent",
					slog.String("id", e.id), slog.String("command", send.Aggregate+"."+send.Command),
					slog.String("to", send.ID), slog.String("command_id", id))
			}
		case es.IsRefusal(err):
			if err := r.refused(ctx, e, s, n, id, err, depth); err != nil {
				return err
			}
		default:
			return err
		}
		s.settled[n] = true
	}
	return nil
}

// dispatch sends command n of step s with id, retrying failures that are
// not refusals with backoff, up to the runner's attempts.
func (r *Runner[S, I]) dispatch(ctx context.Context, e *instance, s *stepRecord, n int, id string) error {
	send := s.sends[n]
	wait := r.o.backoffMin
	for attempt := 1; ; attempt++ {
		err := r.def.Dispatch(ctx, send, es.WithCommandID(id), es.WithCorrelationID(s.correlation),
			es.WithCausationID(s.eventID), es.WithTraceparent(s.traceparent), es.WithActor(r.name))
		if err == nil || es.IsRefusal(err) {
			return err
		}
		err = fmt.Errorf("process %s %q: send %s to %s %q (command id %s): %w", r.name, e.id, send.Command, send.Aggregate, send.ID, id, err)
		if attempt >= r.o.attempts || ctx.Err() != nil {
			return err
		}
		r.log.LogAttrs(ctx, slog.LevelWarn, "command not sent, retrying",
			slog.String("id", e.id), slog.String("command", send.Aggregate+"."+send.Command), slog.String("to", send.ID),
			slog.String("command_id", id), slog.Int("attempt", attempt), slog.Duration("retry_in", wait), slog.Any("error", err))
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return err
		}
		wait = min(2*wait, r.o.backoffMax)
	}
}

// refused handles the refusal of command n of step s: the process's
// reaction to it is handled as an input, or, when it has none, the
// refusal is reported as a stuck process.
func (r *Runner[S, I]) refused(ctx context.Context, e *instance, s *stepRecord, n int, id string, cause error, depth int) error {
	send := s.sends[n]
	attrs := []slog.Attr{slog.String("id", e.id), slog.String("command", send.Aggregate+"."+send.Command),
		slog.String("to", send.ID), slog.String("command_id", id), slog.Any("error", cause)}
	var (
		in I
		ok bool
	)
	if r.def.Rejected != nil {
		in, ok = r.def.Rejected(send, cause)
	}
	switch {
	case !ok:
		r.log.LogAttrs(ctx, slog.LevelError, "command refused and the process has no reaction to it: the process is stuck", attrs...)
		return nil
	case depth+1 > r.o.maxDepth:
		r.log.LogAttrs(ctx, slog.LevelError, "command refused past the bound of refusals in a chain: the process is stuck",
			append(attrs, slog.Int("depth", depth+1))...)
		return nil
	}
	r.log.LogAttrs(ctx, slog.LevelInfo, "command refused: the process reacts", attrs...)
	return r.handle(ctx, e, input[I]{
		id:          refusalInputID(s.eventID, n),
		in:          in,
		correlation: s.correlation,
		causation:   id,
		traceparent: s.traceparent,
		cause:       "refusal of " + send.Aggregate + "." + send.Command + " " + id,
	}, depth+1)
}
