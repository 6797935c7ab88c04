package projection

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/esgen/esgen/runtime/es"
)

// WithTracerProvider traces each batch the projection handles with tp's
// tracer: one span, linked to the spans that appended its events (their
// stored traceparent), whose context the handler receives. Without it (the
// default) nothing is traced.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(o *options) { o.tracerProvider = tp }
}

// WithMeterProvider records the projection's lag with mp's meter, after
// each batch: esgen.projection.lag (messages still to handle) and
// esgen.projection.lag.seconds (age of the newest event handled). Without
// it (the default) nothing is measured.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(o *options) { o.meterProvider = mp }
}

// telemetry is a Projection's tracer and instruments; nil when no
// provider is configured.
type telemetry struct {
	tracer     trace.Tracer // nil: no spans
	lag        metric.Int64Gauge
	lagSeconds metric.Float64Gauge
	metered    bool
	name       attribute.KeyValue
}

func newTelemetry(name string, o *options) *telemetry {
	if o.tracerProvider == nil && o.meterProvider == nil {
		return nil
	}
	t := &telemetry{name: attribute.String("esgen.projection", name)}
	if o.tracerProvider != nil {
		t.tracer = o.tracerProvider.Tracer(es.InstrumentationName)
	}
	if o.meterProvider != nil {
		m := o.meterProvider.Meter(es.InstrumentationName)
		t.metered = true
		// Errors only come with misnamed instruments, along with no-ops.
		t.lag, _ = m.Int64Gauge("esgen.projection.lag", metric.WithDescription("Messages of the projection's subjects not handled yet."), metric.WithUnit("{message}"))
		t.lagSeconds, _ = m.Float64Gauge("esgen.projection.lag.seconds", metric.WithDescription("Age of the newest event the projection handled."), metric.WithUnit("s"))
	}
	return t
}

// startBatch starts the span of a batch: first and last are its stream
// sequences. It links to the span of each distinct stored traceparent.
func (t *telemetry) startBatch(ctx context.Context, first, last uint64, records []es.Record) (context.Context, trace.Span) {
	if t.tracer == nil {
		return ctx, nil
	}
	var links []trace.Link
	seen := map[string]bool{}
	for _, rec := range records {
		if rec.Traceparent == "" || seen[rec.Traceparent] {
			continue
		}
		seen[rec.Traceparent] = true
		if sc, ok := es.SpanContextFromTraceparent(rec.Traceparent); ok {
			links = append(links, trace.Link{SpanContext: sc})
		}
	}
	return t.tracer.Start(ctx, "esgen.projection.batch", trace.WithLinks(links...), trace.WithAttributes(t.name,
		attribute.Int64("esgen.sequence.first", int64(first)), attribute.Int64("esgen.sequence.last", int64(last)),
		attribute.Int("esgen.records", len(records))))
}

// endBatch ends a batch's span, recording err.
func (t *telemetry) endBatch(span trace.Span, err error) {
	if span == nil {
		return
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// handled records the lag after a batch: pending messages, and the age of
// the newest event handled, stored at newest.
func (t *telemetry) handled(ctx context.Context, pending uint64, newest time.Time) {
	if !t.metered {
		return
	}
	t.lag.Record(ctx, int64(pending), metric.WithAttributes(t.name))
	t.lagSeconds.Record(ctx, max(time.Since(newest), 0).Seconds(), metric.WithAttributes(t.name))
}
