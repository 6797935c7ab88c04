package inspect_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/inspect"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
)

// startJetStream starts an embedded server for the test.
func startJetStream(t testing.TB) jetstream.JetStream {
	t.Helper()
	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		nc.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// newStore makes the event store of the test's stream.
func newStore(t testing.TB, js jetstream.JetStream) *jsstore.Store {
	t.Helper()
	s, err := jsstore.New(t.Context(), js)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// serve starts an Inspector of the default stream on an HTTP test server
// and waits until it has read the stream.
func serve(t testing.TB, js jetstream.JetStream, types ...inspect.Type) (*inspect.Inspector, *httptest.Server) {
	t.Helper()
	ins, err := inspect.New(t.Context(), js, inspect.Config{Types: types})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ins)
	t.Cleanup(func() {
		ins.Close()
		srv.Close()
	})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := ins.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	return ins, srv
}

// getJSON decodes the answer to GET url into v.
func getJSON(ctx context.Context, t testing.TB, url string, v any) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s: %s", url, resp.Status, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
