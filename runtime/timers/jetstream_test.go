package timers_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/timers"
	"github.com/esgen/esgen/runtime/timers/timerstest"
)

// startServer starts an embedded server on dir (a temporary directory
// when ""), stopped when the test ends.
func startServer(t testing.TB, dir string, listen bool) *natsserver.Server {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	o := natsserver.Options{DataDir: dir}
	if listen {
		o.Listen = "127.0.0.1:0"
	}
	srv, err := natsserver.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopServer(t, srv) })
	return srv
}

func stopServer(t testing.TB, srv *natsserver.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Error(err)
	}
}

// connect opens a connection and a JetStream context, closed when the
// test ends.
func connect(t testing.TB, srv *natsserver.Server) jetstream.JetStream {
	t.Helper()
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// testLogger logs to the test's output when ESGEN_TEST_LOG is set.
func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("ESGEN_TEST_LOG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

var (
	sharedOnce sync.Once
	sharedSrv  *natsserver.Server
	sharedErr  error
	streamSeq  atomic.Int64
)

// sharedServer is one embedded server for the tests that need no server
// of their own; each test uses a stream and prefix of its own on it. It
// lives as long as the test binary.
func sharedServer(t testing.TB) *natsserver.Server {
	t.Helper()
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "esgen-timers-")
		if err != nil {
			sharedErr = err
			return
		}
		sharedSrv, sharedErr = natsserver.Start(context.Background(), natsserver.Options{DataDir: dir})
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedSrv
}

// newJetStream returns timers on a stream and prefix of their own on the
// shared server.
func newJetStream(t testing.TB, opts ...timers.Option) (*timers.JetStream, jetstream.JetStream) {
	t.Helper()
	js := connect(t, sharedServer(t))
	n := streamSeq.Add(1)
	opts = append([]timers.Option{
		timers.WithStream(fmt.Sprintf("TIMERS_%d", n)),
		timers.WithSubjectPrefix(fmt.Sprintf("timers%d", n)),
		timers.WithLogger(testLogger(t)),
	}, opts...)
	tm, err := timers.NewJetStream(context.Background(), js, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return tm, js
}

func TestJetStreamConformance(t *testing.T) {
	timerstest.Run(t, func(t *testing.T) timerstest.Harness {
		tm, _ := newJetStream(t, timers.WithRetryBackoff(slowdown*200*time.Millisecond, slowdown*time.Second))
		return timerstest.Harness{Timers: tm, Now: time.Now, Sleep: time.Sleep,
			Unit: slowdown * 500 * time.Millisecond, Late: slowdown * time.Second, Backoff: slowdown * 200 * time.Millisecond}
	})
}

// TestMain runs up to 16 tests at once (they wait for timers, they do
// not work) and stops the shared server after them.
func TestMain(m *testing.M) {
	timerstest.RaiseParallel(16)
	code := m.Run()
	if sharedSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = sharedSrv.Shutdown(ctx)
		cancel()
	}
	os.Exit(code)
}

var _ = nats.NewMsg
