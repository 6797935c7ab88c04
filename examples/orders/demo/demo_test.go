package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/esgen/esgen/runtime/natsserver"
)

var update = flag.Bool("update", false, "rewrite testdata/demo.golden")

// runDemo runs the demo with o and returns its report.
func runDemo(t *testing.T, o options) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var out, logs bytes.Buffer
	if err := run(ctx, o, &out, &logs); err != nil {
		t.Fatalf("run: %v\nreport so far:\n%s\nlogs:\n%s", err, out.String(), logs.String())
	}
	return out.String()
}

// times matches the recorded times, which change from run to run.
var times = regexp.MustCompile(`20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z`)

// The parts of the trace that change from run to run: ids, the times and
// durations of spans.
var (
	traceIDs     = regexp.MustCompile(`\b[0-9a-f]{32}\b`)
	spanIDs      = regexp.MustCompile(`\b[0-9a-f]{16}\b`)
	spanTimes    = regexp.MustCompile(`"(StartTime|EndTime|Time)": "[^"]*"`)
	spanDuration = regexp.MustCompile(`(?m)(  span \S+), \S+$`)
)

// maskTrace replaces the trace and span ids of the report by trace-1,
// trace-2... and span-1, span-2... in the order they first appear, so that
// the same id gets the same name (a link, a parent, a stored traceparent
// name the span they point to), keeping the zero ids of a root's parent;
// and the spans' times and durations by TIME and DURATION.
func maskTrace(report string) string {
	number := func(re *regexp.Regexp, kind, s string) string {
		names := map[string]string{}
		return re.ReplaceAllStringFunc(s, func(id string) string {
			if strings.Trim(id, "0") == "" {
				return id
			}
			if names[id] == "" {
				names[id] = fmt.Sprintf("%s-%d", kind, len(names)+1)
			}
			return names[id]
		})
	}
	report = number(spanIDs, "span", number(traceIDs, "trace", report))
	report = spanTimes.ReplaceAllString(report, `"$1": "TIME"`)
	return spanDuration.ReplaceAllString(report, "$1, DURATION")
}

// TestDemoEmbedded runs the demo on its default, an embedded server on a
// temporary directory, and compares the report with testdata/demo.golden
// (recorded times, and the trace's ids, times and durations masked); go
// test -update rewrites it. It also checks the key lines one by one, and
// the trace's spans, attributes and link, so that a failure says what is
// missing.
func TestDemoEmbedded(t *testing.T) {
	got := runDemo(t, options{})
	for _, want := range []string{
		// commands, one atomic append each, versions and sequences
		`(?m)^   order-1 Submit 2×tea-earl-grey, 1×mug-blue +-> v1 seq 1 +Submitted`,
		`(?m)^   order-2 ValidatePayment "" +-> v2 seq 5 +Cancelled \(payment refused`,
		// every metadata field, and causation chaining the flow of order-1
		`(?m)^   v1  OrderSubmitted  schema 2  sequence 1  time \S+Z$`,
		`(?m)^       event id submit-order-1-1  aggregate Order/order-1  correlation checkout-order-1  causation submit-order-1  actor customer:alice$`,
		`(?m)^       event id pay-order-1-1  aggregate Order/order-1  correlation checkout-order-1  causation submit-order-1-1  actor service:payments$`,
		`(?m)^       data \{"items":\[\{"sku":"tea-earl-grey","qty":2,"price_cents":450\}.*"channel":"web"\}$`,
		// an invalid transition
		`(?m)^   order-2 Fulfill "1Z0000": Order: command Fulfill is not allowed in state Cancelled$`,
		`errors.Is\(err, es.ErrInvalidTransition\) = true; the error names state Cancelled and command Fulfill`,
		`order-4 Submit 0×mug-blue: line 1 \(sku "mug-blue"\): orders: quantities must be positive`,
		// the conflict and the retry
		`writer B Cancel "customer called", decided on version 1: Order "order-4": concurrency conflict`,
		`errors.Is\(err, es.ErrConflict\) = true`,
		`writer B retries the same command id; Handle reloads and decides on v2: -> v3 seq 10 Cancelled \(customer called\)`,
		// the upcast
		`stored:  OrderSubmitted schema 1 \{"items":\[\{"sku":"tea-sencha","qty":3,"price_cents":650\}\],"submitted_at":"2024-11-05T16:20:00Z"\}`,
		`decoded: OrderSubmitted\{Items: 3×tea-sencha, SubmittedAt: 2024-11-05T16:20:00Z, Channel: "web"\}`,
		// time travel
		`LoadAt version 1: +v1 Submitted`,
		`LoadAt version 2: +v2 Validated \(payment pay-5521\)`,
		`LoadAsOf 1 ns before v2: +v1 Submitted`,
		`LoadAsOf 1 s before v1: +es.ErrNotFound`,
		// the projection
		`orders-by-status caught up: checkpoint at stream sequence 11, 5 orders`,
		`(?m)^   Submitted  1  order-5$`,
		`(?m)^   Fulfilled  1  order-1$`,
		`(?m)^   Cancelled  3  order-2 order-3 order-4$`,
		// the process manager: a happy path, a timeout, a refund
		`(?m)^     the process asked for the payment: Payment order-11 Pending \{"order_id":"order-11","amount_cents":2100\}$`,
		`(?m)^     Order order-11: Fulfilled \(tracking 1Z999AA10123456785\)\n     Fulfilment order-11: Done$`,
		`(?m)^     Payment order-12: Voided\n     Order order-12: Cancelled \(payment overdue\)\n     Fulfilment order-12: Abandoned$`,
		`(?m)^     Payment order-13: Refunded \{"order_id":"order-13","amount_cents":2100,"reason":"order cancelled before its payment was recorded"\}$`,
		// the trail, each record caused by the one before
		`(?m)^     #1  Order      OrderSubmitted      by customer:dana      caused by command submit-order-11$`,
		`(?m)^     #3  Payment    PaymentRequested    by Fulfilment         caused by #2$`,
		`(?m)^     #11 Order      OrderFulfilled      by Fulfilment         caused by #10$`,
		// the traced command and its projection, the last part
		`(?m)^   order-21 Submit 2×tea-earl-grey, 1×mug-blue +-> v1 seq 1 +Submitted`,
		`(?m)^   orders-by-status caught up: order-21 Submitted$`,
		`(?m)^   the stdout exporter wrote 3 spans as JSON \(\d+ lines; -trace-json prints them\), as a tree:$`,
		`(?m)^         link to esgen.append: trace [0-9a-f]{32} span [0-9a-f]{16}\n\ndone\n\z`,
	} {
		if !regexp.MustCompile(want).MatchString(got) {
			t.Errorf("report lacks %s", want)
		}
	}

	masked := maskTrace(times.ReplaceAllString(got, "TIME"))
	// The trace, ids numbered by first appearance: the command's trace is
	// trace-1, the append span (whose context the event stores) span-1,
	// the Handle span span-2; the projection's batch is a root, trace-2,
	// linked to the append span.
	if tree := `
   trace trace-1
     esgen.Handle Order  span span-2, DURATION
         esgen.aggregate.type=Order esgen.aggregate.id=order-21 esgen.command=Submit esgen.outcome=ok esgen.duplicate=false esgen.aggregate.version=1
         event esgen.decide  esgen.aggregate.version=0 esgen.events.count=1
       esgen.append  span span-1, DURATION
           esgen.aggregate.type=Order esgen.aggregate.id=order-21 esgen.command.id=submit-order-21 esgen.expected_version=0 esgen.events=["OrderSubmitted@v2"] esgen.aggregate.version=1 esgen.sequence=1 esgen.duplicate=false
   trace trace-2
     esgen.projection.batch  span span-3, DURATION
         esgen.projection=orders-by-status esgen.sequence.first=1 esgen.sequence.last=1 esgen.records=1
         link to esgen.append: trace trace-1 span span-1
`; !strings.Contains(masked, tree) {
		t.Errorf("report lacks the span tree%s", tree)
	}
	if want := "traceparent 00-trace-1-span-1-01\n"; !strings.Contains(masked, want) {
		t.Errorf("report lacks the stored %s", want)
	}
	golden := filepath.Join("testdata", "demo.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(masked), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff.Diff(golden, want, "report", []byte(masked)); d != nil {
		t.Errorf("report differs from %s (go test -update rewrites it):\n%s", golden, d)
	}
}

// TestDemoKeptData runs the demo twice on one -data directory: the second
// run finds the first one's orders, takes new ids, and its projection,
// rebuilt from the start of the stream, counts both runs.
func TestDemoKeptData(t *testing.T) {
	dir := t.TempDir()
	first := runDemo(t, options{DataDir: dir})
	if !strings.Contains(first, "embedded JetStream in "+dir) {
		t.Errorf("first run does not name %s:\n%s", dir, first)
	}
	second := runDemo(t, options{DataDir: dir, TraceJSON: true})
	for _, want := range []string{
		`(?m)^   run2-order-1 Submit .* -> v1 seq 12 +Submitted`,
		`caught up: checkpoint at stream sequence 22, 10 orders`,
		`(?m)^   Fulfilled  2  order-1 run2-order-1$`,
		`(?m)^     Fulfilment run2-order-11: Done$`,
		`(?m)^     Fulfilment run2-order-12: Abandoned$`,
		`(?m)^     #11 Order      OrderFulfilled      by Fulfilment         caused by #10$`,
		// the traced projection resumes at its checkpoint: one batch, the new event
		`(?m)^   run2-order-21 Submit .* -> v1 seq 2 +Submitted`,
		`(?m)^     esgen.projection.batch  span .*\n.* esgen.sequence.first=2 esgen.sequence.last=2 esgen.records=1\n +link to esgen.append: `,
		// -trace-json: the exporter's own output before the tree
		`(?m)^   the stdout exporter wrote 3 spans, one JSON object each as it ended \(stdouttrace.WithPrettyPrint\):\n   \{\n   \t"Name": "esgen.append",$`,
		`(?m)^   \t"Name": "esgen.Handle Order",$`,
		`(?m)^   \t"Name": "esgen.projection.batch",$`,
		`(?m)^   \t"Links": \[$`,
		`(?m)^   the same spans as a tree \(children under their parent, a link names the span it points to\):$`,
	} {
		if !regexp.MustCompile(want).MatchString(second) {
			t.Errorf("second run lacks %s:\n%s", want, second)
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) == 0 {
		t.Errorf("data directory %s is empty after the runs (%v)", dir, err)
	}
}

// TestDemoExternalServer runs the demo with -nats against a server that
// listens on loopback, as a real deployment would be reached.
func TestDemoExternalServer(t *testing.T) {
	ctx := t.Context()
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	})
	got := runDemo(t, options{NATSURL: srv.ClientURL()})
	if !strings.HasPrefix(got, "esgen orders demo on NATS server nats://127.0.0.1:") || !strings.HasSuffix(got, "\ndone\n") {
		t.Errorf("report:\n%s", got)
	}
	if !strings.Contains(got, "orders-by-status caught up: checkpoint at stream sequence 11, 5 orders") {
		t.Errorf("projection did not catch up on the external server:\n%s", got)
	}
}

// TestCommandLine checks the flags' exit codes and messages.
func TestCommandLine(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"-h"}, 0, "usage: demo [-data DIR | -nats URL [-creds FILE]] [-payment-timeout D] [-trace-json] [-v]"},
		{[]string{"-payment-timeout", "0s"}, 2, "demo: -payment-timeout 0s: a timeout must be positive\n"},
		{[]string{"-data", "d", "-nats", "nats://localhost:4222"}, 2, "demo: -data is for the embedded server; it cannot be used with -nats\n"},
		{[]string{"-creds", "app.creds"}, 2, "demo: -creds needs -nats\n"},
		{[]string{"extra"}, 2, "demo: unexpected argument \"extra\"\n"},
		{[]string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"-nats", "nats://127.0.0.1:1"}, 1, "demo: connect to nats://127.0.0.1:1: "},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runMain(tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d, stderr containing %q", code, stderr.String(), tt.code, tt.stderr)
			}
			if tt.code != 0 && stdout.Len() > 0 {
				t.Errorf("stdout %q on failure", stdout.String())
			}
		})
	}
}
