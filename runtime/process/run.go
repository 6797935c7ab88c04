package process

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/projection"
)

// ConsumerName returns the name of the durable consumer that feeds the
// process named name: "process-<name>".
func ConsumerName(name string) string { return "process-" + name }

// Consumer returns the projection that feeds the runner from the event
// store on js: a durable consumer named ConsumerName(process) on the
// subjects of the process's sources, handing their events to Handle and
// acknowledging them once every input they hold is handled, its steps
// stored and its commands sent. opts are the projection's (WithStream and
// WithSubjectPrefix when the store's names are not the defaults,
// WithBatch, WithRetryBackoff...); the runner's logger, tracer provider
// and meter provider (WithLogger, WithTracerProvider, WithMeterProvider)
// are its defaults, so that with a tracer provider each step's span is a
// child of the span of the consumer's batch, itself linked to the spans of
// the commands that stored the batch's events. Rebuild on it delivers
// every event again, which changes nothing (see the package
// documentation).
func (r *Runner[S, I]) Consumer(js jetstream.JetStream, opts ...projection.Option) (*projection.Projection, error) {
	all := []projection.Option{projection.WithAggregateTypes(r.def.Sources...), projection.WithLogger(r.o.logger)}
	if r.o.tracerProvider != nil {
		all = append(all, projection.WithTracerProvider(r.o.tracerProvider))
	}
	if r.o.meterProvider != nil {
		all = append(all, projection.WithMeterProvider(r.o.meterProvider))
	}
	return projection.New(js, ConsumerName(r.name), r, append(all, opts...)...)
}

// Run runs the process until ctx ends: consumer (made by Consumer) feeds
// it the events of its sources, and, when the runner has timers, their
// runner hands it the firings (timers.Timers.Run with HandleFiring). It
// returns nil when ctx ends, or the error that stopped either (the other
// is stopped too). Run one Run per process type at a time.
//
// A process whose timers share a stream and consumer with other
// processes or aggregates cannot have its firings delivered here (each
// would receive the others'): run consumer.Run and the shared timers'
// Run with a handler routing each firing by its key's type instead.
func (r *Runner[S, I]) Run(ctx context.Context, consumer *projection.Projection) error {
	if consumer == nil {
		return fmt.Errorf("process %s: Run: no consumer", r.name)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	stop := func(what string, err error) {
		once.Do(func() {
			if ctx.Err() == nil {
				first = fmt.Errorf("process %s: %s stopped: %w", r.name, what, errOrStopped(err))
			}
			cancel()
		})
	}
	wg.Go(func() { stop("consumer", consumer.Run(ctx)) })
	if r.timers != nil && len(r.timerOf) > 0 {
		wg.Go(func() { stop("timers", r.timers.Run(ctx, r.HandleFiring)) })
	}
	wg.Wait()
	return first
}

// errStopped is why a part of Run that returned nil before ctx ended
// stopped.
var errStopped = errors.New("returned before the context ended")

func errOrStopped(err error) error {
	if err == nil {
		return errStopped
	}
	return err
}
