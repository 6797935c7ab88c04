package process

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// WithTracerProvider traces each step of the process (an input handled by
// an instance: its decision, append, timers and commands sent) with tp's
// tracer, and the process's repository as es.WithTracerProvider does.
// The runner's Consumer traces its batches with tp too, so that each step
// is a child of its batch's span (projection.WithTracerProvider). Without
// it (the default) nothing is traced.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(o *options) { o.tracerProvider = tp }
}

// WithMeterProvider records the metrics of the process's repository with
// mp's meter, as es.WithMeterProvider does (its aggregate type is the
// process's name), and the lag of the runner's Consumer, as
// projection.WithMeterProvider does. Without it (the default) nothing is
// measured.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(o *options) { o.meterProvider = mp }
}

// telemetry is a Runner's tracer.
type telemetry struct {
	tracer  trace.Tracer
	process attribute.KeyValue
}

// observedStep is handleInput in a span.
func (r *Runner[S, I]) observedStep(ctx context.Context, e *instance, in input[I], depth int) error {
	ctx, span := r.tel.tracer.Start(ctx, "esgen.process.step", trace.WithAttributes(r.tel.process,
		attribute.String("esgen.process.id", e.id), attribute.String("esgen.step.input", in.id),
		attribute.String("esgen.step.cause", in.cause), attribute.Int("esgen.refusal.depth", depth)))
	err := r.handleInput(ctx, e, in, depth)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
	return err
}
