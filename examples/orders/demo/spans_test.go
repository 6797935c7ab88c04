package main

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/diff"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// countingIDs numbers traces and spans 1, 2, ... so that a test knows them.
type countingIDs struct{ traces, spans byte }

func (g *countingIDs) NewIDs(ctx context.Context) (trace.TraceID, trace.SpanID) {
	g.traces++
	return trace.TraceID{15: g.traces}, g.NewSpanID(ctx, trace.TraceID{})
}

func (g *countingIDs) NewSpanID(context.Context, trace.TraceID) trace.SpanID {
	g.spans++
	return trace.SpanID{7: g.spans}
}

// TestSpanTree exports spans with the stdout exporter and prints them as
// the demo does: a child under its parent (children in the order they
// started), events, a link to an exported span and to one that is not, a
// span whose parent was not exported, an error status.
func TestSpanTree(t *testing.T) {
	var out bytes.Buffer
	exp, err := stdouttrace.New(stdouttrace.WithWriter(&out))
	if err != nil {
		t.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithIDGenerator(&countingIDs{}))
	tr := tp.Tracer("test")
	at := func(ms int) time.Time {
		return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(ms) * time.Millisecond)
	}

	ctx, root := tr.Start(context.Background(), "root", trace.WithTimestamp(at(0)), trace.WithAttributes(attribute.String("k", "v"), attribute.Int("n", 7)))
	root.AddEvent("decided", trace.WithAttributes(attribute.Bool("ok", true)))
	_, second := tr.Start(ctx, "second", trace.WithTimestamp(at(2)))
	_, first := tr.Start(ctx, "first", trace.WithTimestamp(at(1)), trace.WithAttributes(attribute.StringSlice("events", []string{"A@v1", "B@v2"})))
	first.SetStatus(codes.Error, "boom")
	first.RecordError(errors.New("boom"))
	first.End(trace.WithTimestamp(at(3)))
	second.End(trace.WithTimestamp(at(4)))
	root.End(trace.WithTimestamp(at(5)))

	remote := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{0: 0xab}, SpanID: trace.SpanID{0: 0xcd}, TraceFlags: trace.FlagsSampled, Remote: true})
	_, linked := tr.Start(trace.ContextWithRemoteSpanContext(context.Background(), remote), "orphan", trace.WithTimestamp(at(6)),
		trace.WithLinks(trace.Link{SpanContext: first.SpanContext()}, trace.Link{SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: trace.TraceID{0: 0xee}, SpanID: trace.SpanID{0: 0xff}})}))
	linked.End(trace.WithTimestamp(at(6).Add(1500 * time.Microsecond)))
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	spans, err := decodeSpans(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	p := &printer{w: &got}
	p.spanTree(spans)
	if p.err != nil {
		t.Fatal(p.err)
	}
	want := `   trace 00000000000000000000000000000001
     root  span 0000000000000001, 5ms
         k=v n=7
         event decided  ok=true
       first  span 0000000000000003, 2ms
           events=["A@v1","B@v2"]
           event exception  exception.type=*errors.errorString exception.message=boom
           status Error: boom
       second  span 0000000000000002, 2ms
   trace ab000000000000000000000000000000
     (child of span cd00000000000000, not exported here)
     orphan  span 0000000000000004, 1.5ms
         link to first: trace 00000000000000000000000000000001 span 0000000000000003
         link to a span not exported here: trace ee000000000000000000000000000000 span ff00000000000000
`
	if d := diff.Diff("want", []byte(want), "got", got.Bytes()); d != nil {
		t.Errorf("span tree:\n%s", d)
	}
}
