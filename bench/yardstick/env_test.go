package yardstick

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
)

// jsEnv is one embedded JetStream server with file storage in a temporary
// directory and default sync, one connection, the esgen store on its
// stream ("EVENTS", subjects "events.>") and the raw reference's stream
// ("RAW", subjects "raw.>", configured as the esgen stream is).
type jsEnv struct {
	nc    *nats.Conn
	js    jetstream.JetStream
	store *jsstore.Store
	ids   atomic.Int64 // makes ids unique on the server
}

// rawStream is the stream of the raw reference; rawSubject names its
// subjects.
const rawStream = "RAW"

func rawSubject(id string) string { return "raw.Order." + id }

// newJSEnv starts a server in tb's temporary directory, stopped when tb
// ends.
func newJSEnv(tb testing.TB) *jsEnv {
	tb.Helper()
	ctx := context.Background()
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			tb.Error(err)
		}
	})
	nc, err := srv.Connect()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		tb.Fatal(err)
	}
	store, err := jsstore.New(ctx, js)
	if err != nil {
		tb.Fatal(err)
	}
	cfg := store.StreamConfig()
	cfg.Name, cfg.Subjects, cfg.Description = rawStream, []string{"raw.>"}, "the raw reference of the yardstick"
	if _, err := js.CreateStream(ctx, cfg); err != nil {
		tb.Fatal(err)
	}
	return &jsEnv{nc: nc, js: js, store: store}
}

// newID returns an aggregate id not used before on the server.
func (e *jsEnv) newID(prefix string) string {
	return prefix + "-" + strconv.FormatInt(e.ids.Add(1), 10)
}
