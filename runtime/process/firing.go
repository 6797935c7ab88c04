package process

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/esgen/esgen/runtime/timers"
)

// current reports whether instance e has been in the state step s
// entered ever since: every step after it stayed there (a step from a
// state to itself does not leave it, and does not restart its timers).
func (r *Runner[S, I]) current(e *instance, s *stepRecord) bool {
	for _, later := range e.steps[s.version:] {
		if later.to != s.to {
			return false
		}
	}
	return true
}

// key is the key of instance e's timer name.
func (r *Runner[S, I]) key(e *instance, name string) timers.Key {
	return timers.Key{Type: r.name, ID: e.id, Name: name}
}

// armTimers arms the timers of the state step s entered: each due its
// duration after the step's time, carrying the step's version. Arming
// them again (a step delivered again) arms the same timers: nothing
// changes where they are armed.
func (r *Runner[S, I]) armTimers(ctx context.Context, e *instance, s *stepRecord) error {
	for name, t := range r.timerOf[s.to] {
		tm := timers.Timer{Key: r.key(e, name), Due: s.time.Add(t.after), Version: s.version}
		if err := r.timers.Schedule(ctx, tm); err != nil {
			return fmt.Errorf("process %s %q: arm timer %s of state %s: %w", r.name, e.id, name, s.to, err)
		}
	}
	return nil
}

// cancelTimers disarms the timers of the state step s left, but those of
// the same name in the state it entered, which arming replaces. A timer
// left armed fires in vain (it is stale): a failure is only logged.
func (r *Runner[S, I]) cancelTimers(ctx context.Context, e *instance, s *stepRecord) {
	for name := range r.timerOf[s.from] {
		if _, again := r.timerOf[s.to][name]; again {
			continue
		}
		if err := r.timers.Cancel(ctx, r.key(e, name)); err != nil {
			r.log.LogAttrs(ctx, slog.LevelWarn, "timer of a state left not cancelled: it will fire in vain",
				slog.String("id", e.id), slog.String("timer", name), slog.Any("error", err))
		}
	}
}

// HandleFiring handles the firing of one of the process's timers: a
// timers.Handler. The timer's input is handled like any other, with a
// command id derived from the timer's name and version, unless the
// firing is stale: the instance left the timer's state since the version
// the timer was armed in (it is then acknowledged and does nothing). The
// firing of a timer whose input's step is stored is handled as a
// redelivery: the step's commands that their aggregates do not hold are
// sent. An error has the firing delivered again.
//
// A firing of another type than the process's fails with
// ErrForeignTimer.
func (r *Runner[S, I]) HandleFiring(ctx context.Context, f timers.Firing) error {
	if f.Key.Type != r.name {
		return fmt.Errorf("%w: %s fired, this is process %s", ErrForeignTimer, f.Key, r.name)
	}
	e, err := r.cache.acquire(ctx, f.Key.ID)
	if err != nil {
		return err
	}
	defer r.cache.release(e)
	if !e.loaded {
		if err := r.load(ctx, e); err != nil {
			return err
		}
	}
	id := timerInputID(f.Key.Name, f.Version)
	if s, ok := e.inputs[id]; ok {
		return r.after(ctx, e, s, 0, false)
	}
	attrs := []slog.Attr{slog.String("id", e.id), slog.String("timer", f.Key.Name), slog.Uint64("version", f.Version)}
	if f.Version == 0 || f.Version > e.version() {
		r.log.LogAttrs(ctx, slog.LevelWarn, "firing of a timer armed at a version the process does not have: ignored",
			append(attrs, slog.Uint64("process_version", e.version()))...)
		return nil
	}
	s := e.steps[f.Version-1]
	t, ok := r.timerOf[s.to][f.Key.Name]
	if !ok {
		r.log.LogAttrs(ctx, slog.LevelWarn, "firing of a timer the state it was armed in does not have: ignored",
			append(attrs, slog.String("state", s.to))...)
		return nil
	}
	if !r.current(e, s) {
		r.log.LogAttrs(ctx, slog.LevelDebug, "stale timer firing: the process left the state", attrs...)
		return nil
	}
	return r.handle(ctx, e, input[I]{
		id:          id,
		in:          t.Input(f.Due),
		correlation: s.correlation,
		causation:   s.eventID,
		traceparent: s.traceparent,
		cause:       "timer " + f.Key.Name + " armed at version " + fmt.Sprint(f.Version),
	}, 0)
}
