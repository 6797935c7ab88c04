package es_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/esgen/esgen/runtime/storetest"
)

// refusingTally is the Tally aggregate refusing to add a negative number:
// a business error of the decision.
func refusingTally() es.Definition[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent] {
	def := storetest.TallyDefinition(0)
	decide := def.Decide
	def.Decide = func(ctx context.Context, s storetest.Tally, cmd storetest.TallyCommand, events []storetest.TallyEvent) ([]storetest.TallyEvent, error) {
		if add, ok := cmd.(storetest.Add); ok && add.N < 0 {
			return nil, errors.New("negative")
		}
		return decide(ctx, s, cmd, events)
	}
	return def
}

// spanLine describes an ended span: name, parent's name and the
// attributes asked for.
func spanLine(s sdktrace.ReadOnlySpan, byID map[trace.SpanID]string, keys ...attribute.Key) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s <- %s", s.Name(), byID[s.Parent().SpanID()])
	for _, k := range keys {
		for _, kv := range s.Attributes() {
			if kv.Key == k {
				fmt.Fprintf(&b, " %s=%s", k, kv.Value.String())
			}
		}
	}
	return b.String()
}

func TestHandleSpans(t *testing.T) {
	ctx := context.Background()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	store := memstore.New()
	repo := es.NewRepository(store, refusingTally(), es.WithTracerProvider(tp), es.WithRetryBackoff(0, 0))
	other := es.NewRepository(store, refusingTally())

	rctx, root := tp.Tracer("test").Start(ctx, "request")
	res, err := repo.Handle(rctx, "t-1", storetest.Add{N: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Handle(ctx, "t-1", storetest.Add{N: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Handle(rctx, "t-1", storetest.Add{N: 3}); err != nil { // conflicts once
		t.Fatal(err)
	}
	if _, err := repo.Handle(rctx, "t-1", storetest.Add{N: -1}); !es.IsRefusal(err) {
		t.Fatalf("Add -1: %v, want a refusal", err)
	}
	root.End()

	spans := rec.Ended()
	byID := map[trace.SpanID]string{}
	for _, s := range spans {
		byID[s.SpanContext().SpanID()] = s.Name()
	}
	var got []string
	for _, s := range spans {
		got = append(got, spanLine(s, byID, "esgen.aggregate.type", "esgen.aggregate.id", "esgen.command", "esgen.outcome", "esgen.events", "esgen.aggregate.version"))
	}
	want := []string{
		"esgen.load <- esgen.Handle Tally esgen.aggregate.type=Tally esgen.aggregate.id=t-1 esgen.aggregate.version=0",
		"esgen.append <- esgen.Handle Tally esgen.aggregate.type=Tally esgen.aggregate.id=t-1 esgen.events=[\"Added@v2\"] esgen.aggregate.version=1",
		"esgen.Handle Tally <- request esgen.aggregate.type=Tally esgen.aggregate.id=t-1 esgen.command=Add esgen.outcome=ok esgen.aggregate.version=1",
		// The second command conflicts with other's append, reloads and
		// appends again.
		"esgen.append <- esgen.Handle Tally esgen.aggregate.type=Tally esgen.aggregate.id=t-1 esgen.events=[\"Added@v2\"]",
		"esgen.load <- esgen.Handle Tally esgen.aggregate.type=Tally esgen.aggregate.id=t-1 esgen.aggregate.version=2",
		"esgen.append <- esgen.Handle Tally esgen.aggregate.type=Tally esgen.aggregate.id=t-1 esgen.events=[\"Added@v2\"] esgen.aggregate.version=3",
		"esgen.Handle Tally <- request esgen.aggregate.type=Tally esgen.aggregate.id=t-1 esgen.command=Add esgen.outcome=ok esgen.aggregate.version=3",
		"esgen.Handle Tally <- request esgen.aggregate.type=Tally esgen.aggregate.id=t-1 esgen.command=Add esgen.outcome=rejected",
		"request <- ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}

	// The events store the trace context of the span that appended them.
	appendSpan := spans[1].SpanContext()
	if tp := res.Records()[0].Traceparent; tp != "00-"+appendSpan.TraceID().String()+"-"+appendSpan.SpanID().String()+"-01" {
		t.Errorf("traceparent %q, want the append span's %v", tp, appendSpan)
	}
	// The conflict retry is an event of the command's span.
	var events []string
	for _, e := range spans[6].Events() {
		events = append(events, e.Name)
	}
	if want := []string{"esgen.decide", "esgen.conflict.retry", "esgen.decide"}; !slices.Equal(events, want) {
		t.Errorf("events of the second command's span: %q, want %q", events, want)
	}
	if !strings.HasSuffix(spans[7].Status().Description, "negative") {
		t.Errorf("refused command's status: %+v", spans[7].Status())
	}
}

func TestTraceparentFromContext(t *testing.T) {
	ctx := context.Background()
	tp := sdktrace.NewTracerProvider()
	sctx, span := tp.Tracer("test").Start(ctx, "request")
	defer span.End()
	sc := span.SpanContext()
	want := "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-01"
	if got := es.TraceparentFromContext(sctx); got != want {
		t.Fatalf("TraceparentFromContext = %q, want %q", got, want)
	}
	if got := es.TraceparentFromContext(ctx); got != "" {
		t.Errorf("without a span: %q, want none", got)
	}
	back, ok := es.SpanContextFromTraceparent(want)
	if !ok || back.TraceID() != sc.TraceID() || back.SpanID() != sc.SpanID() || !back.IsSampled() || !back.IsRemote() {
		t.Errorf("SpanContextFromTraceparent(%q) = %v, %v", want, back, ok)
	}
	for _, bad := range []string{"", "01-" + want[3:], want[:54] + "x", strings.Replace(want, "-", "_", 1)} {
		if _, ok := es.SpanContextFromTraceparent(bad); ok {
			t.Errorf("SpanContextFromTraceparent(%q) accepted", bad)
		}
	}

	// Without a tracer provider, Handle stores ctx's trace context; an
	// explicit WithTraceparent overrides it.
	repo := es.NewRepository(memstore.New(), storetest.TallyDefinition(0))
	res, err := repo.Handle(sctx, "t-1", storetest.Add{N: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Records()[0].Traceparent; got != want {
		t.Errorf("stored traceparent %q, want ctx's %q", got, want)
	}
	given := "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	if res, err = repo.Handle(sctx, "t-1", storetest.Add{N: 1}, es.WithTraceparent(given)); err != nil {
		t.Fatal(err)
	}
	if got := res.Records()[0].Traceparent; got != given {
		t.Errorf("stored traceparent %q, want the option's %q", got, given)
	}

	// A remote span context (as a propagator extracts from a request,
	// without a span of this process) is stored too, by Handle and by a Log.
	remote, _ := es.SpanContextFromTraceparent(given)
	rctx := trace.ContextWithRemoteSpanContext(ctx, remote)
	if res, err = repo.Handle(rctx, "t-1", storetest.Add{N: 1}); err != nil {
		t.Fatal(err)
	}
	if got := res.Records()[0].Traceparent; got != given {
		t.Errorf("stored traceparent %q, want the remote span context's %q", got, given)
	}
	log := es.NewLog(memstore.New(), es.LogDefinition[metric]{Type: "Metrics", Events: metricCodec{}})
	for _, c := range []struct {
		ctx  context.Context
		want string
	}{{sctx, want}, {rctx, given}, {ctx, ""}} {
		recs, err := log.Append(c.ctx, "host-1", []metric{{"cpu", 1}})
		if err != nil {
			t.Fatal(err)
		}
		if got := recs[0].Traceparent; got != c.want {
			t.Errorf("Log stored traceparent %q, want %q", got, c.want)
		}
	}
}

func TestHandleMetrics(t *testing.T) {
	ctx := context.Background()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	store := memstore.New()
	repo := es.NewRepository(store, refusingTally(), es.WithMeterProvider(mp), es.WithRetryBackoff(0, 0))
	once := es.NewRepository(store, refusingTally(), es.WithMeterProvider(mp), es.WithMaxRetries(0))
	other := es.NewRepository(store, refusingTally())

	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(repo.Handle(ctx, "t-1", storetest.Add{N: 1}))  // ok, one load
	must(once.Handle(ctx, "t-1", storetest.Add{N: 1}))  // ok, one load
	must(other.Handle(ctx, "t-1", storetest.Add{N: 1})) // not measured
	must(repo.Handle(ctx, "t-1", storetest.Add{N: 1}))  // conflict, retried: ok, one load
	if _, err := once.Handle(ctx, "t-1", storetest.Add{N: 1}); !errors.Is(err, es.ErrConflict) {
		t.Fatalf("without retries: %v, want a conflict", err)
	}
	if _, err := repo.Handle(ctx, "t-1", storetest.Add{N: -1}); !es.IsRefusal(err) { // rejected
		t.Fatalf("Add -1: %v, want a refusal", err)
	}
	must(repo.Handle(ctx, "t-1", storetest.Close{}))
	if _, err := repo.Handle(ctx, "t-1", storetest.Add{N: 1}); !errors.Is(err, es.ErrInvalidTransition) {
		t.Fatalf("Add after Close: %v, want an invalid transition", err)
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					outcome, _ := p.Attributes.Value("esgen.outcome")
					typ, _ := p.Attributes.Value("esgen.aggregate.type")
					got[m.Name+" "+typ.AsString()+" "+outcome.AsString()] = p.Value
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					typ, _ := p.Attributes.Value("esgen.aggregate.type")
					got[m.Name+" "+typ.AsString()+" count"] = int64(p.Count)
				}
			}
		}
	}
	want := map[string]int64{
		"esgen.commands Tally ok":                 4, // three Adds and Close
		"esgen.commands Tally conflict":           1,
		"esgen.commands Tally rejected":           1,
		"esgen.commands Tally invalid_transition": 1,
		"esgen.command.retries Tally ":            1,
		"esgen.append.duration Tally count":       6, // four Adds, one retried, and Close
		"esgen.load.duration Tally count":         3,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
}

// TestSnapshotSpan: a snapshot save is a span of the command that crossed
// the snapshot interval.
func TestSnapshotSpan(t *testing.T) {
	ctx := context.Background()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	store := memstore.New()
	repo := es.NewRepository(store, storetest.TallyDefinition(2), es.WithSnapshots(store), es.WithTracerProvider(tp))
	for range 2 {
		if _, err := repo.Handle(ctx, "t-1", storetest.Add{N: 1}); err != nil {
			t.Fatal(err)
		}
	}
	spans := rec.Ended()
	byID := map[trace.SpanID]string{}
	for _, s := range spans {
		byID[s.SpanContext().SpanID()] = s.Name()
	}
	var got []string
	for _, s := range spans {
		got = append(got, spanLine(s, byID, "esgen.aggregate.version"))
	}
	want := []string{
		"esgen.load <- esgen.Handle Tally esgen.aggregate.version=0",
		"esgen.append <- esgen.Handle Tally esgen.aggregate.version=1",
		"esgen.Handle Tally <-  esgen.aggregate.version=1",
		"esgen.append <- esgen.Handle Tally esgen.aggregate.version=2",
		"esgen.snapshot.save <- esgen.Handle Tally esgen.aggregate.version=2",
		"esgen.Handle Tally <-  esgen.aggregate.version=2",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
}

// TestHandleAllocsWithoutTelemetry: with no provider, the telemetry adds
// no allocation to a command on a cached aggregate (two: the command and
// its state cached).
func TestHandleAllocsWithoutTelemetry(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	ctx := context.Background()
	repo := es.NewRepository(memstore.New(), storetest.TallyDefinition(0))
	if _, err := repo.Handle(ctx, "t-1", storetest.Add{N: 1}); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := repo.Handle(ctx, "t-1", storetest.Add{N: 1}); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("Handle allocates %v times, want at most 2", allocs)
	}
}

// BenchmarkTraceparentFromContext: what Handle pays to look for a span in
// a ctx that carries none (with telemetry off, its only added work).
func BenchmarkTraceparentFromContext(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		if es.TraceparentFromContext(ctx) != "" {
			b.Fatal("a traceparent without a span")
		}
	}
}
