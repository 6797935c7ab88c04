package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/examples/orders/readmodel"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/projection"
)

// The traced part of the demo runs on a stream of its own, so that its
// projection handles the one event traced and nothing else.
const (
	traceStream  = "ESGEN_DEMO_TRACE"
	traceSubject = "esgen-demo-trace"
	serviceName  = "esgen-orders-demo"
)

// trace handles one command with a traced repository and lets a traced
// projection apply its event, both exporting their spans with the
// OpenTelemetry SDK's stdout exporter. It prints the spans the exporter
// wrote as a tree (the command's trace, and the projection's batch span,
// the root of a trace of its own, linked to the span that appended the
// event), preceded by the exporter's JSON itself when asJSON is set.
func (d *demo) trace(ctx context.Context, c *conn, asJSON bool, logger *slog.Logger) error {
	d.p.section(9, "Tracing: one command through its projection (OpenTelemetry SDK, stdout exporter)")
	var exported bytes.Buffer
	exp, err := stdouttrace.New(stdouttrace.WithWriter(&exported), stdouttrace.WithPrettyPrint())
	if err != nil {
		return err
	}
	// A syncer exports each span as it ends, in the order they end: right
	// for a demo; a service exports in batches (sdktrace.WithBatcher).
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", serviceName))))
	shutdown := func() error {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := tp.Shutdown(sctx); err != nil {
			return fmt.Errorf("shut the tracer provider down: %w", err)
		}
		return nil
	}
	if err := d.traceCommand(ctx, c, logger, tp); err != nil {
		return errors.Join(err, shutdown())
	}
	// Shutdown flushes every span to the exporter; the stdout exporter
	// writes nothing after it.
	if err := shutdown(); err != nil {
		return err
	}
	spans, err := decodeSpans(exported.Bytes())
	if err != nil {
		return fmt.Errorf("read the stdout exporter's output: %w", err)
	}
	if asJSON {
		d.p.printf("\n   the stdout exporter wrote %d spans, one JSON object each as it ended (stdouttrace.WithPrettyPrint):\n", len(spans))
		for line := range strings.Lines(exported.String()) {
			d.p.printf("   %s", line)
		}
		d.p.printf("\n   the same spans as a tree (children under their parent, a link names the span it points to):\n")
	} else {
		d.p.printf("\n   the stdout exporter wrote %d spans as JSON (%d lines; -trace-json prints them), as a tree:\n", len(spans), strings.Count(exported.String(), "\n"))
		d.p.printf("   (children under their parent, a link names the span it points to)\n")
	}
	d.p.spanTree(spans)
	return nil
}

// traceCommand submits an order with a repository traced by tp, then runs
// a projection traced by tp until it has applied the order's event.
func (d *demo) traceCommand(ctx context.Context, c *conn, logger *slog.Logger, tp *sdktrace.TracerProvider) error {
	store, err := jsstore.New(ctx, c.js, jsstore.WithStream(traceStream), jsstore.WithSubjectPrefix(traceSubject), jsstore.WithLogger(logger))
	if err != nil {
		return err
	}
	repo := orders.NewOrderRepository(store, orders.Decider{}, es.WithTracerProvider(tp), es.WithLogger(logger))
	d.p.printf("   a repository and the %s projection on stream %s, both given an SDK TracerProvider:\n", readmodel.Name, traceStream)
	d.p.printf("   es.WithTracerProvider(tp), projection.WithTracerProvider(tp); tp exports with stdouttrace\n")
	id := d.id(21)
	submit := orders.Submit{Items: teaAndMug}
	res, err := repo.Handle(ctx, id, submit, es.WithCommandID("submit-"+id), es.WithActor("customer:frank"))
	if err != nil {
		return fmt.Errorf("%s: %s: %w", id, command(submit), err)
	}
	d.p.printf("   %-*s %-38s -> v%d seq %-3d %s\n", d.idWidth(), id, command(submit), res.Version, res.Sequence, state(res.State))
	recs := res.Records()
	if len(recs) != 1 || recs[0].Traceparent == "" {
		return fmt.Errorf("%s: %d records stored, want one with a traceparent", id, len(recs))
	}
	d.p.printf("   its event %s stored the trace context of the append: traceparent %s\n", recs[0].EventType, recs[0].Traceparent)

	model := readmodel.New()
	p, err := readmodel.NewProjection(c.js, model, projection.WithStream(traceStream), projection.WithSubjectPrefix(traceSubject),
		projection.WithLogger(logger), projection.WithTracerProvider(tp))
	if err != nil {
		return err
	}
	if err := catchUp(ctx, p); err != nil { // the batch's span has ended
		return err
	}
	o, ok := model.Order(id)
	if !ok {
		return fmt.Errorf("projection %s caught up without %s", p.Name(), id)
	}
	d.p.printf("   %s caught up: %s %s\n", p.Name(), id, o.Status)
	return nil
}
