package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
)

// eventsServer starts an embedded server listening on loopback, on dir.
func eventsServer(t *testing.T, dir string) (*natsserver.Server, jetstream.JetStream) {
	t.Helper()
	ctx := context.Background()
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return srv, js
}

var eventsT0 = time.Date(2026, 12, 7, 20, 15, 30, 123456789, time.UTC)

// eventsAppends are the commands of the small stream: a first command,
// a command of two events in another flow with a trace context, and
// another aggregate's event with a number JSON parsers round.
var eventsAppends = []es.AppendRequest{
	{Ref: es.Ref{Type: "Order", ID: "o-1"}, CommandID: "c1", CorrelationID: "c1", CausationID: "c1", Actor: "alice", Time: eventsT0,
		Events: []es.RawEvent{{Type: "OrderSubmitted", SchemaVersion: 2, Data: []byte(`{"items":2}`)}}},
	{Ref: es.Ref{Type: "Order", ID: "o-1"}, ExpectedSequence: 1, ExpectedVersion: 1, CommandID: "c2", CorrelationID: "flow-1", CausationID: "c1-1",
		Traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Time: eventsT0.Add(time.Second),
		Events: []es.RawEvent{{Type: "ItemAdded", SchemaVersion: 1, Data: []byte(`{"sku":"A<&>"}`)}, {Type: "NoteAdded", SchemaVersion: 1, Data: []byte(`{"text":"ünï"}`)}}},
	{Ref: es.Ref{Type: "Payment", ID: "p-1"}, CommandID: "c3", CorrelationID: "c3", CausationID: "c3", Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Events: []es.RawEvent{{Type: "PaymentCaptured", SchemaVersion: 1, Data: []byte(`{"amount":12345678901234567890}`)}}},
}

const eventsWant = `{"subject":"events.Order.o-1","sequence":1,"aggregate_type":"Order","aggregate_id":"o-1","version":1,"event_id":"c1-1","event_type":"OrderSubmitted","schema_version":2,"time":"2026-12-07T20:15:30.123456789Z","command_id":"c1","correlation_id":"c1","causation_id":"c1","actor":"alice","traceparent":"","payload":{"items":2}}
{"subject":"events.Order.o-1","sequence":2,"aggregate_type":"Order","aggregate_id":"o-1","version":2,"event_id":"c2-1","event_type":"ItemAdded","schema_version":1,"time":"2026-12-07T20:15:31.123456789Z","command_id":"c2","correlation_id":"flow-1","causation_id":"c1-1","actor":"","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","payload":{"sku":"A<&>"}}
{"subject":"events.Order.o-1","sequence":2,"aggregate_type":"Order","aggregate_id":"o-1","version":3,"event_id":"c2-2","event_type":"NoteAdded","schema_version":1,"time":"2026-12-07T20:15:31.123456789Z","command_id":"c2","correlation_id":"flow-1","causation_id":"c1-1","actor":"","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","payload":{"text":"ünï"}}
{"subject":"events.Payment.p-1","sequence":3,"aggregate_type":"Payment","aggregate_id":"p-1","version":1,"event_id":"c3-1","event_type":"PaymentCaptured","schema_version":1,"time":"2026-01-01T00:00:00.000000000Z","command_id":"c3","correlation_id":"c3","causation_id":"c3","actor":"","traceparent":"","payload":{"amount":12345678901234567890}}
`

// writeEvents stores eventsAppends with the JetStream store.
func writeEvents(t *testing.T, js jetstream.JetStream, reqs []es.AppendRequest) {
	t.Helper()
	ctx := context.Background()
	store, err := jsstore.New(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range reqs {
		if _, err := store.Append(ctx, &req); err != nil {
			t.Fatal(err)
		}
	}
}

func runEvents(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(append([]string{"events"}, args...), env{ctx: ctx, stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
	return code, out.String(), errb.String()
}

// TestEvents: esgen events prints every event of a stream the Go store
// wrote, exactly, read from a server or from its files, whole or
// filtered, as event lines or CloudEvents.
func TestEvents(t *testing.T) {
	dir := t.TempDir()
	srv, js := eventsServer(t, dir)
	writeEvents(t, js, eventsAppends)
	url := srv.ClientURL()

	lines := strings.SplitAfter(eventsWant, "\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"all", []string{"-nats", url}, eventsWant},
		{"long flags", []string{"--nats=" + url, "--stream", "EVENTS", "--format", "json"}, eventsWant},
		{"type filter", []string{"-nats", url, "events.Order.*"}, strings.Join(lines[:3], "")},
		{"instance filter", []string{"-nats", url, "events.Payment.p-1"}, lines[3]},
		{"filter taking nothing", []string{"-nats", url, "events.Shipment.>"}, ""},
		{"cloudevents", []string{"-nats", url, "-format", "cloudevents", "events.Order.o-1"},
			`{"specversion":"1.0","id":"c1-1","source":"/EVENTS/events.Order.o-1","type":"Order.OrderSubmitted","subject":"o-1","time":"2026-12-07T20:15:30.123456789Z","datacontenttype":"application/json","data":{"items":2},"stream":"EVENTS","streamsequence":"1","aggregatetype":"Order","aggregateid":"o-1","aggregateversion":"1","eventtype":"OrderSubmitted","schemaversion":2,"commandid":"c1","correlationid":"c1","causationid":"c1","actor":"alice"}
{"specversion":"1.0","id":"c2-1","source":"/EVENTS/events.Order.o-1","type":"Order.ItemAdded","subject":"o-1","time":"2026-12-07T20:15:31.123456789Z","datacontenttype":"application/json","data":{"sku":"A<&>"},"stream":"EVENTS","streamsequence":"2","aggregatetype":"Order","aggregateid":"o-1","aggregateversion":"2","eventtype":"ItemAdded","schemaversion":1,"commandid":"c2","correlationid":"flow-1","causationid":"c1-1","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
{"specversion":"1.0","id":"c2-2","source":"/EVENTS/events.Order.o-1","type":"Order.NoteAdded","subject":"o-1","time":"2026-12-07T20:15:31.123456789Z","datacontenttype":"application/json","data":{"text":"ünï"},"stream":"EVENTS","streamsequence":"2","aggregatetype":"Order","aggregateid":"o-1","aggregateversion":"3","eventtype":"NoteAdded","schemaversion":1,"commandid":"c2","correlationid":"flow-1","causationid":"c1-1","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runEvents(context.Background(), tt.args...)
			if code != exitOK || errs != "" {
				t.Fatalf("exit %d, stderr %s", code, errs)
			}
			if out != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tt.want)
			}
		})
	}

	// -data reads the same directory once its server has stopped.
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runEvents(context.Background(), "-data", dir)
	if code != exitOK || errs != "" || out != eventsWant {
		t.Errorf("-data: exit %d, stderr %s, stdout:\n%s", code, errs, out)
	}
}

// TestEventsFollow: with -follow, an event stored after the events
// printed is printed too, and an interrupt ends the command with exit 0.
func TestEventsFollow(t *testing.T) {
	srv, js := eventsServer(t, t.TempDir())
	writeEvents(t, js, eventsAppends[:1])
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run([]string{"events", "-nats", srv.ClientURL(), "-follow"}, env{ctx: ctx, stdout: out, stderr: out, stdin: strings.NewReader("")})
	}()
	lines := strings.SplitAfter(eventsWant, "\n")
	waitFor(t, out, lines[0])
	writeEvents(t, js, eventsAppends[2:3]) // another aggregate: no expected sequence to match
	second := strings.Replace(lines[3], `"sequence":3`, `"sequence":2`, 1)
	waitFor(t, out, lines[0]+second)
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d, output %s", code, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("esgen events -follow did not end when interrupted")
	}
	if got := out.String(); got != lines[0]+second {
		t.Errorf("output:\n%s", got)
	}
}

func waitFor(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for out.String() != want {
		if time.Now().After(deadline) {
			t.Fatalf("output:\n%s\nwant:\n%s", out.String(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestEventsErrors: a wrong command line, a missing stream or directory,
// an unreachable server and a message that is no envelope each give a
// clear error and a non-zero exit.
func TestEventsErrors(t *testing.T) {
	srv, js := eventsServer(t, t.TempDir())
	writeEvents(t, js, eventsAppends[:1])
	if _, err := js.Publish(context.Background(), "events.Order.o-2", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	url := srv.ClientURL()
	tests := []struct {
		name string
		args []string
		code int
		err  string // the start of stderr
		out  string
	}{
		{"no source", nil, exitUsage, "esgen: events: give -nats URL (a NATS server) or -data DIR (a JetStream directory)\n", ""},
		{"both sources", []string{"-nats", url, "-data", "x"}, exitUsage, "esgen: --nats and --data can't be used together\n", ""},
		{"bad format", []string{"-nats", url, "-format", "xml"}, exitUsage, `esgen: --format must be one of "json","cloudevents" but got "xml"` + "\n", ""},
		{"creds without nats", []string{"-data", "x", "-creds", "f"}, exitUsage, "esgen: events: -creds is for -nats\n", ""},
		{"two filters", []string{"-nats", url, "a", "b"}, exitUsage, `esgen: unexpected argument b`, ""},
		{"no store in dir", []string{"-data", t.TempDir()}, exitFail, "esgen: events: -data ", ""},
		{"unknown stream", []string{"-nats", url, "-stream", "NOPE"}, exitFail, "esgen: events: stream NOPE not found: the server has EVENTS\n", ""},
		{"unreachable", []string{"-nats", "nats://127.0.0.1:1"}, exitFail, "esgen: events: natsconn: connect nats://127.0.0.1:1: ", ""},
		{"not an envelope", []string{"-nats", url}, exitFail, "esgen: events: jsstore: message 2 on events.Order.o-2: not an esgen event envelope\n",
			strings.SplitAfter(eventsWant, "\n")[0]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runEvents(context.Background(), tt.args...)
			if code != tt.code || !strings.HasPrefix(errs, tt.err) || out != tt.out {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d, stderr starting %q, stdout %q", code, errs, out, tt.code, tt.err, tt.out)
			}
		})
	}
}

// TestDataInUse: events -data and inspect -data on a directory a running
// server holds stop at once and say what to do, without reading or
// writing anything.
func TestDataInUse(t *testing.T) {
	dir := t.TempDir()
	_, js := eventsServer(t, dir)
	writeEvents(t, js, eventsAppends)
	holder := fmt.Sprintf("-data %s: the directory is in use by another process (pid %d): stop it, or use -nats URL", dir, os.Getpid())
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"events", "-data", dir}, "esgen: events: " + holder + "\n"},
		{[]string{"inspect", "-data", dir}, "esgen: inspect: " + holder + "\n"},
	} {
		t.Run(tt.args[0], func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tt.args, env{ctx: t.Context(), stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
			if code != exitFail || out.String() != "" || errb.String() != tt.want {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit %d, stderr:\n%s", code, out.String(), errb.String(), exitFail, tt.want)
			}
		})
	}
}
