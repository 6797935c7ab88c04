package timers_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/timers"
)

// TestServerRestart: timers armed before the server stops fire after it
// restarts on the same data directory, within a second of their due time
// when it is back by then, and at once after the restart (within 2 s)
// when it was down at their due time. The runner rides the restart out: it runs on a
// client that reconnects to the server's loopback listener.
func TestServerRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv, err := natsserver.Start(context.Background(), natsserver.Options{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	nc, err := natsconn.Connect(srv.ClientURL(), testLogger(t), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := timers.NewJetStream(context.Background(), js, timers.WithLogger(testLogger(t)), timers.WithRetryBackoff(50*time.Millisecond, 200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ch := runTimers(t, tm)
	probe := timers.Key{Type: "probe", ID: "runner", Name: "up"}
	if err := tm.Schedule(context.Background(), timers.Timer{Key: probe, Due: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if h := receive(t, ch, 5*time.Second); h.f.Key != probe {
		t.Fatalf("firing of %s, want the probe", h.f.Key)
	}
	now := time.Now()
	back := timers.Timer{Key: timers.Key{Type: "Order", ID: "o-1", Name: "back"}, Due: now.Add(2 * time.Second), Version: 1}
	down := timers.Timer{Key: timers.Key{Type: "Order", ID: "o-2", Name: "down"}, Due: now.Add(700 * time.Millisecond), Version: 2}
	for _, x := range []timers.Timer{back, down} {
		if err := tm.Schedule(context.Background(), x); err != nil {
			t.Fatal(err)
		}
	}
	stopServer(t, srv)
	time.Sleep(time.Until(down.Due.Add(300 * time.Millisecond))) // down at its due time
	restarted := time.Now()
	srv, err = natsserver.Start(context.Background(), natsserver.Options{DataDir: dir, Listen: u.Host})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopServer(t, srv) })
	h := receive(t, ch, 5*time.Second)
	if h.f.Key != down.Key || h.f.Version != 2 {
		t.Fatalf("first firing after the restart: %s version %d, want %s", h.f.Key, h.f.Version, down.Key)
	}
	// The server fires it once it has recovered its streams (within
	// 250 ms); the runner gets it once it has reconnected and attached.
	if d := h.at.Sub(restarted); d > 2*time.Second {
		t.Errorf("the timer due while the server was down was handled %s after the restart, want within 2 s", d)
	}
	t.Logf("the timer due while the server was down was handled %s after the restart", h.at.Sub(restarted))
	h = receive(t, ch, 5*time.Second)
	if h.f.Key != back.Key || h.f.Version != 1 {
		t.Fatalf("second firing: %s version %d, want %s", h.f.Key, h.f.Version, back.Key)
	}
	if late := h.at.Sub(back.Due); late < 0 || late >= time.Second {
		t.Errorf("the timer due after the restart was handled %s after its due time, want within [0, 1 s)", late)
	}
	quiet(t, ch, 500*time.Millisecond)
}
