package process

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/esgen/esgen/runtime/es"
)

// input is one input of a process instance, with the metadata its step
// carries.
type input[I any] struct {
	id          string // the step's command id, derived from the cause
	in          I
	correlation string
	causation   string
	traceparent string
	cause       string // what it comes from, for logs
}

// handle handles one input of instance e, whose lock the caller holds:
// the input's step is decided and stored, unless an earlier delivery
// stored it, and then the step's timers are armed and its commands sent
// (those an earlier delivery may have sent only if their aggregate does
// not hold them). depth counts the refusals that led to the input.
//
// The runner knows the input ids of every step of an instance it loaded
// (read whole from the store, once, at the first input it handles of it
// since it was started or since the instance left its cache), so a step
// is never decided twice, at any age. An input that only the initial
// state accepts (Definition.Machine.Creates), of an instance it has not
// loaded, is decided on the initial state without a read: the append
// succeeds only when the instance has no step, and when it has, the
// runner reads it and decides as for any other input.
func (r *Runner[S, I]) handle(ctx context.Context, e *instance, in input[I], depth int) error {
	if r.tel != nil {
		return r.observedStep(ctx, e, in, depth)
	}
	return r.handleInput(ctx, e, in, depth)
}

// handleInput is handle without telemetry.
func (r *Runner[S, I]) handleInput(ctx context.Context, e *instance, in input[I], depth int) error {
	creates := r.def.Machine.Creates != nil && r.def.Machine.Creates(in.in)
	if !e.loaded && !creates {
		if err := r.load(ctx, e); err != nil {
			return err
		}
	}
	if e.loaded {
		if s, ok := e.inputs[in.id]; ok {
			return r.after(ctx, e, s, depth, false)
		}
	}
	hctx := ctx
	guessed := !e.loaded
	if guessed {
		// The repository decides without a read only on an instance it
		// has not cached.
		r.repo.Forget(e.id)
		hctx = context.WithValue(ctx, guessKey{}, &guess{})
	}
	res, err := r.repo.Handle(hctx, e.id, in.in,
		es.WithCommandID(in.id), es.WithCorrelationID(in.correlation), es.WithCausationID(in.causation),
		es.WithTraceparent(in.traceparent), es.WithActor(r.name))
	switch {
	case err != nil && guessed && errors.Is(err, errNotNew):
		// The instance has steps: learn them, then decide as for any input.
		if err := r.load(ctx, e); err != nil {
			return err
		}
		return r.handleInput(ctx, e, in, depth)
	case err != nil && es.IsRefusal(err):
		r.refusedInput(ctx, e, in, err)
		return nil
	case err != nil:
		// The step may be stored (an unknown outcome): learn it again at
		// the next input.
		e.reset()
		return fmt.Errorf("process %s %q: %s: %w", r.name, e.id, in.cause, err)
	case res.Duplicate:
		// An earlier delivery stored it, which this runner did not know.
		if err := r.load(ctx, e); err != nil {
			return err
		}
		s, ok := e.inputs[in.id]
		if !ok {
			e.reset()
			return fmt.Errorf("process %s %q: %s: the store holds step %s, which its history lacks", r.name, e.id, in.cause, in.id)
		}
		return r.after(ctx, e, s, depth, false)
	case len(res.Events) != 1:
		e.reset()
		return fmt.Errorf("process %s %q: %s: the decision made %d steps, want exactly one", r.name, e.id, in.cause, len(res.Events))
	}
	s := newStepRecord(res.Records()[0], res.Events[0])
	if guessed {
		e.loaded = true
	}
	if s.version != e.version()+1 {
		// Another writer stored steps this runner did not know.
		if err := r.load(ctx, e); err != nil {
			return err
		}
		if s = e.inputs[in.id]; s == nil {
			return fmt.Errorf("process %s %q: %s: step %s stored, and not read back", r.name, e.id, in.cause, in.id)
		}
	} else {
		e.add(s)
	}
	return r.after(ctx, e, s, depth, true)
}

// refusedInput reports an input the process's decision refused: nothing
// is stored, the input is skipped.
func (r *Runner[S, I]) refusedInput(ctx context.Context, e *instance, in input[I], err error) {
	var ite *es.InvalidTransitionError
	if errors.As(err, &ite) {
		r.log.LogAttrs(ctx, slog.LevelWarn, "input not accepted in the process's state: skipped",
			slog.String("id", e.id), slog.String("state", ite.State), slog.String("input", ite.Command),
			slog.String("input_id", in.id), slog.String("cause", in.cause))
		return
	}
	r.log.LogAttrs(ctx, slog.LevelError, "input refused by the process's decision: skipped",
		slog.String("id", e.id), slog.String("input_id", in.id), slog.String("cause", in.cause), slog.Any("error", err))
}

// load reads every step of instance e from the store, in the read that
// gives its repository the instance's state: one read per instance the
// runner did not know, whose state the repository then keeps. What the
// runner knew of sends already done survives.
func (r *Runner[S, I]) load(ctx context.Context, e *instance) error {
	c := &capture{}
	r.repo.Forget(e.id)
	_, err := r.repo.Load(context.WithValue(ctx, captureKey{}, c), e.id)
	if err != nil && !errors.Is(err, es.ErrNotFound) {
		e.reset()
		return fmt.Errorf("process %s %q: read its steps: %w", r.name, e.id, err)
	}
	old := e.inputs
	e.reset()
	e.loaded = true
	e.inputs = make(map[string]*stepRecord, len(c.recs))
	for _, rec := range c.recs {
		step, err := r.def.Machine.Events.Decode(rec.EventType, rec.SchemaVersion, rec.Data)
		if err != nil {
			e.reset()
			return fmt.Errorf("process %s %q version %d: %w", r.name, e.id, rec.Version, err)
		}
		s := newStepRecord(rec, step)
		if o, ok := old[s.inputID]; ok && o.eventID == s.eventID {
			s.settled = o.settled
		}
		e.add(s)
	}
	if n := e.version(); n > 0 && e.steps[n-1].version != n {
		e.reset()
		return fmt.Errorf("process %s %q: its steps end at version %d, read %d of them", r.name, e.id, e.steps[n-1].version, n)
	}
	return nil
}

// newStepRecord makes what the runner keeps of a stored step.
func newStepRecord[I any](rec es.Record, step Step[I]) *stepRecord {
	corr := rec.CorrelationID
	if corr == "" {
		corr = rec.EventID
	}
	return &stepRecord{
		inputID:     es.CommandIDOf(rec.EventID),
		eventID:     rec.EventID,
		version:     rec.Version,
		time:        rec.Time,
		correlation: corr,
		traceparent: rec.Traceparent,
		from:        step.From,
		to:          step.To,
		sends:       step.Sends,
		settled:     make([]bool, len(step.Sends)),
	}
}
