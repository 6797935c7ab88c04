package health_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/health"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/projection"
)

func setup(t *testing.T) (jetstream.JetStream, *jsstore.Store) {
	t.Helper()
	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: t.TempDir()})
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
	store, err := jsstore.New(t.Context(), js)
	if err != nil {
		t.Fatal(err)
	}
	return js, store
}

func appendN(t *testing.T, store *jsstore.Store, n int) {
	t.Helper()
	for i := range n {
		id := fmt.Sprintf("o-%d", i)
		_, err := store.Append(t.Context(), &es.AppendRequest{
			Ref: es.Ref{Type: "Order", ID: id}, CommandID: "c-" + id,
			Time:   time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
			Events: []es.RawEvent{{Type: "OrderSubmitted", SchemaVersion: 1, Data: []byte(`{}`)}},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// get serves one request and returns the status and the decoded body.
func get(t *testing.T, h http.Handler) (int, health.Report, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	body, _ := io.ReadAll(rec.Body)
	var rep health.Report
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	return rec.Code, rep, strings.TrimSpace(string(body))
}

// TestReadiness walks one projection from not running, through lagging,
// to caught up, beside a stream that does not exist and then one that does.
func TestReadiness(t *testing.T) {
	js, store := setup(t)
	gate := make(chan struct{})
	p, err := projection.New(js, "orders", projection.HandlerFunc(func(ctx context.Context, _ []es.Record) error {
		select {
		case <-gate:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}), projection.WithBatch(1))
	if err != nil {
		t.Fatal(err)
	}
	r := &health.Readiness{JetStream: js, Streams: []string{jsstore.DefaultStream, "MISSING"},
		Projections: []*projection.Projection{p}, MaxLag: 1}

	code, rep, body := get(t, r)
	if code != http.StatusServiceUnavailable || rep.Ready || len(rep.NotReady) != 2 {
		t.Fatalf("before the projection ran: %d %s", code, body)
	}
	if pr := rep.NotReady[0]; pr.Kind != "stream" || pr.Name != "MISSING" || !strings.Contains(pr.Reason, "stream not found") {
		t.Errorf("stream problem = %+v", pr)
	}
	if pr := rep.NotReady[1]; pr.Kind != "projection" || pr.Name != "orders" || pr.Reason != "no consumer: the projection has not run" || pr.Lag != nil {
		t.Errorf("projection problem = %+v", pr)
	}

	r.Streams = []string{jsstore.DefaultStream}
	appendN(t, store, 4)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	// The handler holds the first record: the lag is 4 (one delivered and
	// unacknowledged, three pending), above MaxLag 1.
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, rep, body = get(t, r)
		if len(rep.NotReady) == 1 && rep.NotReady[0].Lag != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("projection never seen lagging: %d %s", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if want := `{"ready":false,"not_ready":[{"kind":"projection","name":"orders","reason":"lag 4 exceeds 1","lag":4}]}`; code != http.StatusServiceUnavailable || body != want {
		t.Errorf("lagging: %d %s\nwant 503 %s", code, body, want)
	}

	close(gate)
	cctx, ccancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer ccancel()
	if err := p.CaughtUp(cctx); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(5 * time.Second)
	for {
		code, _, body = get(t, r)
		if code == http.StatusOK || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code != http.StatusOK || body != `{"ready":true}` {
		t.Errorf("caught up: %d %s, want 200 {\"ready\":true}", code, body)
	}
}

// TestReadinessTimeout: a check that cannot finish within Timeout reports
// not ready instead of hanging the probe.
func TestReadinessTimeout(t *testing.T) {
	js, _ := setup(t)
	r := &health.Readiness{JetStream: js, Streams: []string{jsstore.DefaultStream}, Timeout: time.Nanosecond}
	code, rep, body := get(t, r)
	if code != http.StatusServiceUnavailable || len(rep.NotReady) != 1 || !strings.Contains(rep.NotReady[0].Reason, "deadline exceeded") {
		t.Errorf("timed out check: %d %s", code, body)
	}
}
