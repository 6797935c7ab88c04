package natsconn_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/natsserver"
)

// TestConnect reaches a server by URL, and logs the disconnect when the
// server goes away.
func TestConnect(t *testing.T) {
	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	var buf syncBuffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	nc, err := natsconn.Connect(srv.ClientURL(), log, nats.Name("natsconn-test"), nats.ReconnectWait(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if !nc.IsConnected() || nc.Opts.Name != "natsconn-test" || nc.Opts.MaxReconnect != -1 {
		t.Errorf("connected %v, name %q, max reconnects %d; want connected, natsconn-test, -1",
			nc.IsConnected(), nc.Opts.Name, nc.Opts.MaxReconnect)
	}
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(buf.String(), `level=WARN msg="nats disconnected"`) {
		if time.Now().After(deadline) {
			t.Fatalf("no disconnect logged; log:\n%s", buf.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConnectFailure(t *testing.T) {
	_, err := natsconn.Connect("nats://127.0.0.1:1", nil, nats.Timeout(200*time.Millisecond), nats.MaxReconnects(0))
	if err == nil || !strings.HasPrefix(err.Error(), "natsconn: connect nats://127.0.0.1:1: ") || !errors.Is(err, nats.ErrNoServers) {
		t.Errorf("Connect to a closed port = %v, want a wrapped nats.ErrNoServers", err)
	}
}

// syncBuffer is a log destination safe for the connection's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
