package natsserver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/natsserver"
)

func start(t *testing.T, o natsserver.Options) *natsserver.Server {
	t.Helper()
	srv, err := natsserver.Start(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return srv
}

func TestStartRefusesBadOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    natsserver.Options
		want string
		is   error
	}{
		{"no data dir", natsserver.Options{}, "natsserver: DataDir is required", nil},
		{"public listener", natsserver.Options{DataDir: t.TempDir(), Listen: "0.0.0.0:4222"}, `natsserver: listen address is not loopback: "0.0.0.0:4222"`, natsserver.ErrNotLoopback},
		{"private address", natsserver.Options{DataDir: t.TempDir(), Listen: "10.1.2.3:4222"}, `natsserver: listen address is not loopback: "10.1.2.3:4222"`, natsserver.ErrNotLoopback},
		{"host name", natsserver.Options{DataDir: t.TempDir(), Listen: "example.com:4222"}, `natsserver: listen address is not loopback: "example.com:4222"`, natsserver.ErrNotLoopback},
		{"no port", natsserver.Options{DataDir: t.TempDir(), Listen: "127.0.0.1"}, `natsserver: listen "127.0.0.1": address 127.0.0.1: missing port in address`, nil},
		{"public cluster", natsserver.Options{DataDir: t.TempDir(), Cluster: &natsserver.ClusterOptions{Name: "c", Listen: "0.0.0.0:6222"}},
			`cluster: natsserver: listen address is not loopback: "0.0.0.0:6222"`, natsserver.ErrNotLoopback},
		{"cluster without routes", natsserver.Options{DataDir: t.TempDir(), Cluster: &natsserver.ClusterOptions{Name: "c", Listen: "127.0.0.1:0"}},
			"natsserver: Can't start JetStream: JetStream cluster requires configured routes or solicited leafnode for the system account", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			began := time.Now()
			srv, err := natsserver.Start(t.Context(), tc.o)
			if err == nil {
				_ = srv.Shutdown(context.Background())
				t.Fatalf("Start succeeded, want %q", tc.want)
			}
			if err.Error() != tc.want || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Errorf("Start = %q, want %q", err, tc.want)
			}
			if d := time.Since(began); d > 5*time.Second {
				t.Errorf("Start took %v to fail", d)
			}
		})
	}
}

// TestInProcess: without Listen the server opens no socket; in-process
// connections reach JetStream, and its files survive a restart.
func TestInProcess(t *testing.T) {
	dir := t.TempDir()
	srv := start(t, natsserver.Options{DataDir: dir})
	if addr := srv.NATS().Addr(); addr != nil {
		t.Errorf("server listens on %v, want no listener", addr)
	}
	if url := srv.ClientURL(); url != "" {
		t.Errorf("ClientURL() = %q without a listener, want \"\"", url)
	}
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	js, _ := jetstream.New(nc)
	if _, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: "S", Subjects: []string{"s.>"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(t.Context(), "s.1", []byte("kept")); err != nil {
		t.Fatal(err)
	}
	nc.Close()
	if err := srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	again := start(t, natsserver.Options{DataDir: dir})
	nc, err = again.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ = jetstream.New(nc)
	st, err := js.Stream(t.Context(), "S")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := st.GetMsg(t.Context(), 1)
	if err != nil || string(msg.Data) != "kept" {
		t.Errorf("after restart: %v, %v; want the message kept", msg, err)
	}
}

// TestLoopbackListener: with Listen, clients connect by URL on loopback.
func TestLoopbackListener(t *testing.T) {
	srv := start(t, natsserver.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0", SyncAlways: true})
	if !strings.HasPrefix(srv.ClientURL(), "nats://127.0.0.1:") {
		t.Fatalf("client URL %q, want loopback", srv.ClientURL())
	}
	nc, err := natsconn.Connect(srv.ClientURL(), nil, nats.Name("test"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if !nc.IsConnected() {
		t.Error("not connected")
	}
	if !srv.NATS().JetStreamEnabled() {
		t.Error("JetStream is off")
	}
	if cfg := srv.NATS().JetStreamConfig(); cfg == nil || !cfg.SyncAlways {
		t.Errorf("JetStream config %+v, want SyncAlways", cfg)
	}
}

// TestMonitor: Options.Monitor serves the server's monitoring endpoint on
// loopback; a public address needs MonitorAnyAddress.
func TestMonitor(t *testing.T) {
	srv := start(t, natsserver.Options{DataDir: t.TempDir(), Monitor: "127.0.0.1:0"})
	base := srv.MonitorURL()
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("MonitorURL = %q, want http://127.0.0.1:port", base)
	}
	resp, err := http.Get(base + "/healthz?js-enabled-only=true")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"status":"ok"`) {
		t.Errorf("/healthz = %d %s, want 200 status ok", resp.StatusCode, body)
	}

	if got := start(t, natsserver.Options{DataDir: t.TempDir()}).MonitorURL(); got != "" {
		t.Errorf("MonitorURL without Monitor = %q, want empty", got)
	}
	_, err = natsserver.Start(t.Context(), natsserver.Options{DataDir: t.TempDir(), Monitor: "0.0.0.0:0"})
	if !errors.Is(err, natsserver.ErrNotLoopback) || err.Error() != `monitor: natsserver: listen address is not loopback: "0.0.0.0:0"` {
		t.Errorf("Start with a public monitor = %v, want ErrNotLoopback", err)
	}
	// Opted in, a wildcard address is accepted (and the endpoint answers
	// on loopback too).
	opted := start(t, natsserver.Options{DataDir: t.TempDir(), Monitor: "0.0.0.0:0", MonitorAnyAddress: true})
	a := opted.NATS().MonitorAddr()
	if a == nil || !a.IP.IsUnspecified() {
		t.Fatalf("MonitorAddr = %v, want 0.0.0.0:port", a)
	}
	resp, err = http.Get(fmt.Sprintf("http://127.0.0.1:%d/healthz", a.Port))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz on the opted-in endpoint = %d, want 200", resp.StatusCode)
	}
}
