package process_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/esgen/esgen/runtime/process"
)

// TestStepSpans: each step of a process is a span, in which its
// repository's Handle runs; the process's commands are counted.
func TestStepSpans(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	w := newWorld(t, process.WithTracerProvider(tp), process.WithMeterProvider(mp))
	w.submit("o1", 50)
	w.deliver()

	spans := rec.Ended()
	names := map[trace.SpanID]string{}
	for _, s := range spans {
		names[s.SpanContext().SpanID()] = s.Name()
	}
	var got []string
	for _, s := range spans {
		line := s.Name() + " <- " + names[s.Parent().SpanID()]
		for _, kv := range s.Attributes() {
			switch kv.Key {
			case "esgen.process", "esgen.process.id", "esgen.step.input", "esgen.command", "esgen.outcome":
				line += fmt.Sprintf(" %s=%s", kv.Key, kv.Value.String())
			}
		}
		got = append(got, line)
	}
	// The first step creates the instance: decided on the initial state,
	// without a load.
	want := []string{
		"esgen.append <- esgen.Handle Fulfilment",
		"esgen.Handle Fulfilment <- esgen.process.step esgen.command=Submitted esgen.outcome=ok",
		"esgen.process.step <-  esgen.process=Fulfilment esgen.process.id=o1 esgen.step.input=in:Order.o1.submit-o1-1",
		"esgen.append <- esgen.Handle Fulfilment",
		"esgen.Handle Fulfilment <- esgen.process.step esgen.command=Succeeded esgen.outcome=ok",
		"esgen.process.step <-  esgen.process=Fulfilment esgen.process.id=o1 esgen.step.input=in:Payment.o1.Fulfilment.o1.in:Order.o1.submit-o1-1-1.0-1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(w.ctx, &rm); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if sum, ok := m.Data.(metricdata.Sum[int64]); ok {
				for _, dp := range sum.DataPoints {
					typ, _ := dp.Attributes.Value("esgen.aggregate.type")
					outcome, _ := dp.Attributes.Value("esgen.outcome")
					counts[m.Name+" "+typ.AsString()+" "+outcome.AsString()] = dp.Value
				}
			}
		}
	}
	if diff := cmp.Diff(map[string]int64{"esgen.commands Fulfilment ok": 2}, counts); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
}

// TestConsumerSpans: on the embedded server, a runner given a tracer
// provider traces its consumer's batches with it (no projection option
// given): each step's span is a child of the span of the batch that
// delivered its input, in the same trace.
func TestConsumerSpans(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	w := newJSWorld(t, startServer(t, false), worldConfig{Name: "otel", Overdue: time.Hour, Window: time.Hour})
	r, err := w.runner(nil, process.WithTracerProvider(tp))
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.consumer(r)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, p) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	w.submit(t, "o1", 50)
	waitFor(t, 30*time.Second, "the first step", func() bool { return len(w.records(t, "Fulfilment", "o1")) > 0 })
	var step, batch sdktrace.ReadOnlySpan
	waitFor(t, 10*time.Second, "the step's and batch's spans ended", func() bool {
		for _, s := range rec.Ended() {
			switch s.Name() {
			case "esgen.process.step":
				step = s
			case "esgen.projection.batch":
				if step != nil && s.SpanContext().SpanID() == step.Parent().SpanID() {
					batch = s
				}
			}
		}
		return step != nil && batch != nil
	})
	if step.SpanContext().TraceID() != batch.SpanContext().TraceID() {
		t.Errorf("step in trace %s, its batch in %s", step.SpanContext().TraceID(), batch.SpanContext().TraceID())
	}
}
