package projection_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/projection"
)

// TestServerRestart: the server goes down under a running projection and
// comes back on the same address and data; the projection reconnects and
// goes on from its checkpoint.
func TestServerRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a reconnect")
	}
	ctx := context.Background()
	dir := t.TempDir()
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	nc, err := natsconn.Connect(srv.ClientURL(), nil, nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	store, err := jsstore.New(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, js: js, store: store, logs: &logs{}, pos: map[es.Ref]es.Position{}}
	want := e.commands(3, 1)

	m := &model{}
	p := newProjection(t, e, "orders", m, projection.WithBatch(2))
	r := start(t, p)
	caughtUp(t, p)

	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the projection see the server gone
	srv, err = natsserver.Start(ctx, natsserver.Options{DataDir: dir, Listen: u.Host})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Shutdown(ctx) }()
	eventually(t, "the reconnect", nc.IsConnected)

	want = append(want, e.commands(3, 1)...)
	caughtUp(t, p)
	r.stop(t)
	if diff := cmp.Diff(eventIDs(want), m.ids()); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if m.resets != 1 {
		t.Errorf("%d resets: the checkpoint was lost", m.resets)
	}
}
