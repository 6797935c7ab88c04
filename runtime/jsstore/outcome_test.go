package jsstore_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/storetest"
)

// TestOutcomeUnknown: a command handled while the server is down times
// out with an *es.OutcomeUnknownError naming the command id Handle made
// up; the client resends the buffered publish when the server is back, so
// the command is stored after the caller got the error; handled again
// with that id, it is recognised as stored, and stored once.
func TestOutcomeUnknown(t *testing.T) {
	dir := t.TempDir()
	start := func(listen string) *natsserver.Server {
		t.Helper()
		srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: dir, Listen: listen})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
		return srv
	}
	srv := start("127.0.0.1:0")
	u, err := url.Parse(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	nc, err := natsserver.Connect(srv.ClientURL(), nil, nats.ReconnectWait(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	s := newStore(t, js)
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	const id = "outage"
	first := mustHandle(t, repo, id, storetest.Add{N: 1})

	if err := srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the client to see the server gone", func() bool { return !nc.IsConnected() })
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	res, err := repo.Handle(ctx, id, storetest.Add{N: 5})
	cancel()
	var oue *es.OutcomeUnknownError
	if !errors.As(err, &oue) || !errors.Is(err, es.ErrOutcomeUnknown) || !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, es.ErrConflict) {
		t.Fatalf("Handle during an outage = %+v, %v; want an *es.OutcomeUnknownError caused by the deadline", res, err)
	}
	if oue.CommandID == "" || oue.Ref != (es.Ref{Type: "Tally", ID: id}) {
		t.Fatalf("outcome unknown of %+v command %q, want Tally %q and the id Handle made up", oue.Ref, oue.CommandID, id)
	}
	if res.Version != 0 {
		t.Errorf("Handle returned %+v with the error, want the zero Result", res)
	}

	start(u.Host) // the same port and data
	waitFor(t, "the client to reconnect", nc.IsConnected)
	stream, err := js.Stream(t.Context(), s.Stream())
	if err != nil {
		t.Fatal(err)
	}
	// The publish the client buffered reaches the server: the command the
	// caller was told nothing certain about is stored now.
	waitFor(t, "the buffered command to be stored", func() bool {
		msg, err := stream.GetLastMsgForSubject(t.Context(), s.Subject(oue.Ref))
		return err == nil && msg.Sequence > first.Sequence
	})

	again, err := repo.Handle(t.Context(), id, storetest.Add{N: 5}, es.WithCommandID(oue.CommandID))
	if err != nil || !again.Duplicate || again.Version != 2 || again.State.Total != 6 {
		t.Fatalf("retry with the command id = %+v, %v; want the stored command, Duplicate, version 2, total 6", again, err)
	}
	recs, _, err := repo.History(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1].EventID != es.EventID(oue.CommandID, 0) {
		t.Errorf("history: %d events, the second %+v; want 2, the second of command %s", len(recs), recs[len(recs)-1].Metadata, oue.CommandID)
	}
	// A fresh repository retrying it gets the same answer.
	again, err = es.NewRepository(s, storetest.TallyDefinition(0)).Handle(t.Context(), id, storetest.Add{N: 5}, es.WithCommandID(oue.CommandID))
	if err != nil || !again.Duplicate || again.Version != 2 {
		t.Errorf("retry from a fresh repository = %+v, %v; want the stored command", again, err)
	}
}

// TestOutageWithoutBuffer: a client that buffers nothing during an
// outage (nats.ReconnectBufSize(-1)) fails a command at once with an
// error that says it was not sent, not an unknown outcome, and nothing is
// stored once the server is back.
func TestOutageWithoutBuffer(t *testing.T) {
	dir := t.TempDir()
	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	u, err := url.Parse(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	nc, err := natsserver.Connect(srv.ClientURL(), nil, nats.ReconnectWait(20*time.Millisecond), nats.ReconnectBufSize(-1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	repo := es.NewRepository(newStore(t, js), storetest.TallyDefinition(0))
	const id = "unbuffered"
	mustHandle(t, repo, id, storetest.Add{N: 1})
	if err := srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the client to see the server gone", func() bool { return !nc.IsConnected() })
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	_, err = repo.Handle(ctx, id, storetest.Add{N: 5})
	cancel()
	if !errors.Is(err, nats.ErrReconnectBufExceeded) || errors.Is(err, es.ErrOutcomeUnknown) {
		t.Fatalf("Handle during an outage without a buffer = %v, want nats.ErrReconnectBufExceeded, not an unknown outcome", err)
	}
	srv, err = natsserver.Start(t.Context(), natsserver.Options{DataDir: dir, Listen: u.Host})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	waitFor(t, "the client to reconnect", nc.IsConnected)
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	recs, _, err := repo.History(t.Context(), id)
	if err != nil || len(recs) != 1 {
		t.Errorf("history after the outage: %d events, %v; want the first command's only", len(recs), err)
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
