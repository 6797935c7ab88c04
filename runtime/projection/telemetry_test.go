package projection_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/projection"
	"github.com/esgen/esgen/runtime/storetest"
)

// TestTraceThroughProjection follows one command through a projection:
// the projection's batch span links to the append span of the command,
// and the handler runs in the batch span.
func TestTraceThroughProjection(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))

	repo := es.NewRepository(e.store, storetest.TallyDefinition(0), es.WithTracerProvider(tp))
	var (
		mu        sync.Mutex
		handledIn trace.SpanContext
	)
	h := projection.HandlerFunc(func(ctx context.Context, recs []es.Record) error {
		mu.Lock()
		defer mu.Unlock()
		handledIn = trace.SpanContextFromContext(ctx)
		return nil
	})
	p, err := projection.New(e.js, "totals", h, projection.WithAggregateTypes("Tally"),
		projection.WithTracerProvider(tp), projection.WithMeterProvider(mp))
	if err != nil {
		t.Fatal(err)
	}

	rctx, root := tp.Tracer("test").Start(ctx, "request")
	if _, err := repo.Handle(rctx, "t-1", storetest.Add{N: 1}); err != nil {
		t.Fatal(err)
	}
	root.End()
	start(t, p)
	caughtUp(t, p)
	// The batch span ends right after the checkpoint moves: wait for it.
	var spans []sdktrace.ReadOnlySpan
	for range 1000 {
		if spans = rec.Ended(); len(spans) == 5 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}

	byID := map[trace.SpanID]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		byID[s.SpanContext().SpanID()] = s
	}
	var got []string
	for _, s := range spans {
		line := s.Name()
		if parent, ok := byID[s.Parent().SpanID()]; ok {
			line += " <- " + parent.Name()
		}
		for _, l := range s.Links() {
			line += " link " + byID[l.SpanContext.SpanID()].Name()
			if l.SpanContext.TraceID() != root.SpanContext().TraceID() {
				line += " (another trace)"
			}
		}
		for _, kv := range s.Attributes() {
			switch kv.Key {
			case "esgen.projection", "esgen.records", "esgen.command", "esgen.events":
				line += fmt.Sprintf(" %s=%s", kv.Key, kv.Value.String())
			}
		}
		got = append(got, line)
	}
	want := []string{
		"esgen.load <- esgen.Handle Tally",
		`esgen.append <- esgen.Handle Tally esgen.events=["Added@v2"]`,
		"esgen.Handle Tally <- request esgen.command=Add",
		"request",
		"esgen.projection.batch link esgen.append esgen.projection=totals esgen.records=1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
	batch := spans[len(spans)-1]
	if batch.Parent().IsValid() {
		t.Errorf("batch span has parent %v, want a root span", batch.Parent())
	}
	mu.Lock()
	if handledIn.SpanID() != batch.SpanContext().SpanID() {
		t.Errorf("handler ran in span %v, want the batch's %v", handledIn.SpanID(), batch.SpanContext().SpanID())
	}
	mu.Unlock()

	// The lag is recorded once the batch is acknowledged, after its span
	// ended: wait for it.
	var lags []string
	for range 1000 {
		lags = nil
		var rm metricdata.ResourceMetrics
		if err := reader.Collect(ctx, &rm); err != nil {
			t.Fatal(err)
		}
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				if g, ok := m.Data.(metricdata.Gauge[int64]); ok {
					for _, dp := range g.DataPoints {
						name, _ := dp.Attributes.Value("esgen.projection")
						lags = append(lags, fmt.Sprintf("%s %s=%d", m.Name, name.AsString(), dp.Value))
					}
				}
				if g, ok := m.Data.(metricdata.Gauge[float64]); ok && (len(g.DataPoints) != 1 || g.DataPoints[0].Value < 0) {
					t.Errorf("%s: %+v, want one non-negative age", m.Name, g.DataPoints)
				}
			}
		}
		if len(lags) > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got, want := strings.Join(lags, "; "), "esgen.projection.lag totals=0"; got != want {
		t.Errorf("lag metrics %q, want %q", got, want)
	}
}
