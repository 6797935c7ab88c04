package es

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// InstrumentationName is the OpenTelemetry instrumentation scope of the
// runtime's spans and metrics.
const InstrumentationName = "github.com/esgen/esgen/runtime"

// Command outcomes, the values of the outcome attribute of the
// esgen.commands metric.
const (
	OutcomeOK                = "ok"
	OutcomeInvalidTransition = "invalid_transition"
	OutcomeRejected          = "rejected" // a business error from the decision
	OutcomeConflict          = "conflict"
	OutcomeUnknown           = "outcome_unknown"
	OutcomeError             = "error" // any other failure
)

// WithTracerProvider traces Handle (with its decision, append, conflict
// retries), loads and snapshot saves with tp's tracer. Without it (the
// default) nothing is traced and tracing costs nothing.
func WithTracerProvider(tp trace.TracerProvider) RepositoryOption {
	return func(o *repositoryOptions) { o.tracerProvider = tp }
}

// WithMeterProvider records the repository's metrics with mp's meter:
// commands by outcome, conflict retries, append and load latency. Without
// it (the default) nothing is measured and metrics cost nothing.
func WithMeterProvider(mp metric.MeterProvider) RepositoryOption {
	return func(o *repositoryOptions) { o.meterProvider = mp }
}

// telemetry holds a Repository's tracer and instruments; a Repository
// with neither provider has none (a nil *telemetry), so its hot path only
// tests a pointer.
type telemetry struct {
	tracer    trace.Tracer // nil: no spans
	commands  metric.Int64Counter
	retries   metric.Int64Counter
	appendDur metric.Float64Histogram
	loadDur   metric.Float64Histogram
	aggregate attribute.KeyValue
	metered   bool
}

// newTelemetry returns the telemetry of aggregate typ, or nil when no
// provider is configured.
func newTelemetry(typ string, o *repositoryOptions) *telemetry {
	if o.tracerProvider == nil && o.meterProvider == nil {
		return nil
	}
	t := &telemetry{aggregate: attribute.String("esgen.aggregate.type", typ)}
	if o.tracerProvider != nil {
		t.tracer = o.tracerProvider.Tracer(InstrumentationName)
	}
	if o.meterProvider != nil {
		m := o.meterProvider.Meter(InstrumentationName)
		t.metered = true
		// The API's constructors return a no-op instrument with their
		// error, which is only ever a misnamed instrument: fixed here.
		t.commands, _ = m.Int64Counter("esgen.commands", metric.WithDescription("Commands handled, by outcome."), metric.WithUnit("{command}"))
		t.retries, _ = m.Int64Counter("esgen.command.retries", metric.WithDescription("Decisions retried after a concurrency conflict."), metric.WithUnit("{retry}"))
		t.appendDur, _ = m.Float64Histogram("esgen.append.duration", metric.WithDescription("Time to append a command's events."), metric.WithUnit("s"))
		t.loadDur, _ = m.Float64Histogram("esgen.load.duration", metric.WithDescription("Time to read an aggregate's state from the store."), metric.WithUnit("s"))
	}
	return t
}

// start starts a span named name when tracing, else returns ctx and a
// no-op span.
func (t *telemetry) start(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	if t.tracer == nil {
		return ctx, trace.SpanFromContext(ctx)
	}
	return t.tracer.Start(ctx, name, trace.WithAttributes(attrs...))
}

// end ends a span started by start, recording err.
func (t *telemetry) end(span trace.Span, err error) {
	if t.tracer == nil {
		return
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// Outcome classifies the error Handle returned (nil: OutcomeOK) as the
// outcome attribute of the esgen.commands metric names it.
func Outcome(err error) string {
	switch {
	case err == nil:
		return OutcomeOK
	case errors.Is(err, ErrInvalidTransition):
		return OutcomeInvalidTransition
	case IsRefusal(err):
		return OutcomeRejected
	case errors.Is(err, ErrOutcomeUnknown):
		return OutcomeUnknown
	case errors.Is(err, ErrConflict):
		return OutcomeConflict
	}
	return OutcomeError
}

// commandName names cmd by its Go type, as esgen names a command's type
// after the .esm.
func commandName(cmd any) string {
	t := reflect.TypeOf(cmd)
	if t == nil {
		return ""
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// handleObserved is Handle with a span around the command and its
// outcome counted.
func (r *Repository[S, C, E]) handleObserved(ctx context.Context, id string, cmd C, opts []HandleOption) (Result[S, E], error) {
	t := r.tel
	ctx, span := t.start(ctx, "esgen.Handle "+r.def.Type, t.aggregate,
		attribute.String("esgen.aggregate.id", id), attribute.String("esgen.command", commandName(cmd)))
	res, err := r.handle(ctx, id, cmd, opts)
	outcome := Outcome(err)
	if t.tracer != nil {
		span.SetAttributes(attribute.String("esgen.outcome", outcome))
		if err == nil {
			span.SetAttributes(attribute.Bool("esgen.duplicate", res.Duplicate), attribute.Int64("esgen.aggregate.version", int64(res.Version)))
		}
	}
	t.end(span, err)
	if t.metered {
		t.commands.Add(ctx, 1, metric.WithAttributes(t.aggregate, attribute.String("esgen.outcome", outcome)))
	}
	return res, err
}

// startAppend starts the span of an append of req.
func (t *telemetry) startAppend(ctx context.Context, req *AppendRequest) (context.Context, trace.Span, time.Time) {
	var span trace.Span
	if t.tracer != nil {
		names := make([]string, len(req.Events))
		for i, e := range req.Events {
			names[i] = e.Type + "@v" + strconv.Itoa(e.SchemaVersion)
		}
		ctx, span = t.start(ctx, "esgen.append", t.aggregate,
			attribute.String("esgen.aggregate.id", req.Ref.ID), attribute.String("esgen.command.id", req.CommandID),
			attribute.Int64("esgen.expected_version", int64(req.ExpectedVersion)), attribute.StringSlice("esgen.events", names))
	}
	return ctx, span, time.Now()
}

// endAppend ends an append's span and measures it.
func (t *telemetry) endAppend(ctx context.Context, span trace.Span, start time.Time, ar AppendResult, err error) {
	if t.metered {
		t.appendDur.Record(ctx, time.Since(start).Seconds(), metric.WithAttributes(t.aggregate))
	}
	if t.tracer != nil {
		if err == nil {
			span.SetAttributes(attribute.Int64("esgen.aggregate.version", int64(ar.Version)),
				attribute.Int64("esgen.sequence", int64(ar.Sequence)), attribute.Bool("esgen.duplicate", ar.Duplicate))
		}
		t.end(span, err)
	}
}

// retried records a conflict retry on the command's span and counts it.
func (t *telemetry) retried(ctx context.Context, attempt int, err error) {
	if t.tracer != nil {
		trace.SpanFromContext(ctx).AddEvent("esgen.conflict.retry", trace.WithAttributes(
			attribute.Int("esgen.attempt", attempt+1), attribute.String("error", err.Error())))
	}
	if t.metered {
		t.retries.Add(ctx, 1, metric.WithAttributes(t.aggregate))
	}
}

// decided records a decision on the command's span.
func (t *telemetry) decided(ctx context.Context, version uint64, events int, err error) {
	if t.tracer == nil {
		return
	}
	attrs := []attribute.KeyValue{attribute.Int64("esgen.aggregate.version", int64(version)), attribute.Int("esgen.events.count", events)}
	if err != nil {
		attrs = append(attrs, attribute.String("error", err.Error()))
	}
	trace.SpanFromContext(ctx).AddEvent("esgen.decide", trace.WithAttributes(attrs...))
}

// TraceparentFromContext returns the W3C traceparent of the span ctx
// carries, or "" when it carries none. Handle stores it in the events'
// metadata unless WithTraceparent (or CausedBy) gives one.
func TraceparentFromContext(ctx context.Context) string {
	return traceparentOf(trace.SpanContextFromContext(ctx))
}

// spanLookup finds the traceparent of the span a context carries, for a
// Repository or a Log that stores it in every append. It holds the no-op
// span trace.SpanFromContext returns for a context without one, so that
// this case, the usual one without tracing, costs a context look-up and a
// comparison (docs/benchmarks.md, "OpenTelemetry off").
type spanLookup struct{ none trace.Span }

func newSpanLookup() spanLookup {
	return spanLookup{none: trace.SpanFromContext(context.Background())}
}

// traceparent is TraceparentFromContext.
func (l spanLookup) traceparent(ctx context.Context) string {
	span := trace.SpanFromContext(ctx)
	if span == l.none { // the no-op span is comparable: never a panic
		return ""
	}
	return traceparentOf(span.SpanContext())
}

// traceparentOf spells sc as a W3C traceparent, "" when sc is not valid.
func traceparentOf(sc trace.SpanContext) string {
	if !sc.IsValid() {
		return ""
	}
	const hexdigits = "0123456789abcdef"
	var b [55]byte
	copy(b[:], "00-")
	tid, sid := sc.TraceID(), sc.SpanID()
	for i, x := range tid {
		b[3+2*i], b[4+2*i] = hexdigits[x>>4], hexdigits[x&15]
	}
	b[35] = '-'
	for i, x := range sid {
		b[36+2*i], b[37+2*i] = hexdigits[x>>4], hexdigits[x&15]
	}
	b[52] = '-'
	f := byte(sc.TraceFlags())
	b[53], b[54] = hexdigits[f>>4], hexdigits[f&15]
	return string(b[:])
}

// SpanContextFromTraceparent parses a W3C traceparent (version 00) into
// a remote span context; ok is false when tp is not one. A projection's
// span links to the span that appended its events with it.
func SpanContextFromTraceparent(tp string) (sc trace.SpanContext, ok bool) {
	if len(tp) != 55 || tp[:3] != "00-" || tp[35] != '-' || tp[52] != '-' {
		return trace.SpanContext{}, false
	}
	tid, err := trace.TraceIDFromHex(tp[3:35])
	if err != nil {
		return trace.SpanContext{}, false
	}
	sid, err := trace.SpanIDFromHex(tp[36:52])
	if err != nil {
		return trace.SpanContext{}, false
	}
	f, err := strconv.ParseUint(tp[53:], 16, 8)
	if err != nil {
		return trace.SpanContext{}, false
	}
	sc = trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.TraceFlags(f), Remote: true})
	return sc, sc.IsValid()
}

// observedAppend appends req in a span, whose trace context the events
// store unless the caller gave one (fromSpan false), and measures it.
func (r *Repository[S, C, E]) observedAppend(ctx context.Context, req *AppendRequest, fromSpan bool) (AppendResult, error) {
	actx, span, start := r.tel.startAppend(ctx, req)
	if fromSpan && r.tel.tracer != nil {
		req.Traceparent = TraceparentFromContext(actx)
	}
	ar, err := r.store.Append(actx, req)
	r.tel.endAppend(ctx, span, start, ar, err)
	return ar, err
}

// observedCurrent is read in a span, measured.
func (r *Repository[S, C, E]) observedCurrent(ctx context.Context, ref Ref, inst Instance[S], slot int32, cached bool) (Instance[S], int32, error) {
	t := r.tel
	ctx, span := t.start(ctx, "esgen.load", t.aggregate, attribute.String("esgen.aggregate.id", ref.ID),
		attribute.Bool("esgen.cached", cached), attribute.Int64("esgen.from_version", int64(inst.Version)))
	start := time.Now()
	inst, slot, err := r.read(ctx, ref, inst, slot, cached)
	if t.metered {
		t.loadDur.Record(ctx, time.Since(start).Seconds(), metric.WithAttributes(t.aggregate))
	}
	if t.tracer != nil && err == nil {
		span.SetAttributes(attribute.Int64("esgen.aggregate.version", int64(inst.Version)))
	}
	t.end(span, err)
	return inst, slot, err
}

// observedSaveSnapshot saves snap in a span.
func (r *Repository[S, C, E]) observedSaveSnapshot(ctx context.Context, ref Ref, snap Snapshot) error {
	t := r.tel
	ctx, span := t.start(ctx, "esgen.snapshot.save", t.aggregate, attribute.String("esgen.aggregate.id", ref.ID),
		attribute.Int64("esgen.aggregate.version", int64(snap.Version)))
	err := r.opts.snapshots.SaveSnapshot(ctx, ref, snap)
	t.end(span, err)
	return err
}
