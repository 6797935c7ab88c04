package jsstore_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/storetest"
)

// outage is an embedded server that a test stops and starts again on
// the same port and data, and a client connection to it that
// reconnects at once.
type outage struct {
	t    *testing.T
	dir  string
	host string // the server's host:port
	srv  *natsserver.Server
	nc   *nats.Conn
	js   jetstream.JetStream
}

// newOutage starts the server and connects to it.
func newOutage(t *testing.T) *outage {
	t.Helper()
	o := &outage{t: t, dir: t.TempDir()}
	o.start("127.0.0.1:0")
	u, err := url.Parse(o.srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	o.host = u.Host
	if o.nc, err = natsconn.Connect(o.srv.ClientURL(), nil, nats.ReconnectWait(20*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.nc.Close)
	if o.js, err = jetstream.New(o.nc); err != nil {
		t.Fatal(err)
	}
	return o
}

func (o *outage) start(listen string) {
	o.t.Helper()
	srv, err := natsserver.Start(o.t.Context(), natsserver.Options{DataDir: o.dir, Listen: listen})
	if err != nil {
		o.t.Fatal(err)
	}
	o.t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	o.srv = srv
}

// stop stops the server and waits until the client sees it gone.
func (o *outage) stop() {
	o.t.Helper()
	if err := o.srv.Shutdown(o.t.Context()); err != nil {
		o.t.Fatal(err)
	}
	waitFor(o.t, "the client to see the server gone", func() bool { return !o.nc.IsConnected() })
}

// restart starts the server again and waits until the client is back.
func (o *outage) restart() {
	o.t.Helper()
	o.start(o.host)
	waitFor(o.t, "the client to reconnect", o.nc.IsConnected)
}

// unknownOutcome handles cmd on aggregate id of repo while the server is
// down, expects an *es.OutcomeUnknownError caused by the deadline, starts
// the server again and waits until the publish the client buffered is
// stored after sequence after. It returns the error.
func (o *outage) unknownOutcome(s *jsstore.Store, repo *es.Repository[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent],
	id string, cmd storetest.TallyCommand, after uint64) *es.OutcomeUnknownError {
	t := o.t
	t.Helper()
	o.stop()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	res, err := repo.Handle(ctx, id, cmd)
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
	o.restart()
	stream, err := o.js.Stream(t.Context(), s.Stream())
	if err != nil {
		t.Fatal(err)
	}
	// The publish the client buffered reaches the server: the command the
	// caller was told nothing certain about is stored now.
	waitFor(t, "the buffered command to be stored", func() bool {
		msg, err := stream.GetLastMsgForSubject(t.Context(), s.Subject(oue.Ref))
		return err == nil && msg.Sequence > after
	})
	return oue
}

// TestOutcomeUnknown: a command handled while the server is down times
// out with an *es.OutcomeUnknownError naming the command id Handle made
// up; the client resends the buffered publish when the server is back, so
// the command is stored after the caller got the error; handled again
// with that id, it is recognised as stored, and stored once.
func TestOutcomeUnknown(t *testing.T) {
	o := newOutage(t)
	s := newStore(t, o.js)
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	const id = "outage"
	first := mustHandle(t, repo, id, storetest.Add{N: 1})
	oue := o.unknownOutcome(s, repo, id, storetest.Add{N: 5}, first.Sequence)

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
	// A fresh repository retrying it, another process say, gets the same
	// answer within the duplicate window.
	again, err = es.NewRepository(s, storetest.TallyDefinition(0)).Handle(t.Context(), id, storetest.Add{N: 5}, es.WithCommandID(oue.CommandID))
	if err != nil || !again.Duplicate || again.Version != 2 {
		t.Errorf("retry from a fresh repository = %+v, %v; want the stored command", again, err)
	}
}

// TestOutcomeUnknownRetryPastWindow: the Repository that got the unknown
// outcome recognises the command retried with its id past the duplicate
// window, after another writer appended behind it: it decides the retry
// on the state it decided the command on, so the store finds the stored
// command right after that state's sequence. Nothing is stored twice.
func TestOutcomeUnknownRetryPastWindow(t *testing.T) {
	o := newOutage(t)
	const window = time.Second
	s := newStore(t, o.js, jsstore.WithDuplicateWindow(window))
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	const id = "outage-past-window"
	first := mustHandle(t, repo, id, storetest.Add{N: 1})
	oue := o.unknownOutcome(s, repo, id, storetest.Add{N: 5}, first.Sequence)
	// Another process appends after the stored command.
	other := mustHandle(t, es.NewRepository(s, storetest.TallyDefinition(0)), id, storetest.Add{N: 100})
	if other.Version != 3 || other.State.Total != 106 {
		t.Fatalf("another writer's command: version %d total %d, want 3 106", other.Version, other.State.Total)
	}
	// Past the window: the server no longer knows the message id (it
	// forgets them on a timer shortly after the window).
	time.Sleep(2*window + window/2)

	again, err := repo.Handle(t.Context(), id, storetest.Add{N: 5}, es.WithCommandID(oue.CommandID))
	if err != nil || !again.Duplicate || again.Version != 2 || again.State.Total != 6 ||
		len(again.Events) != 1 || again.Events[0] != (storetest.Added{N: 5}) {
		t.Fatalf("retry past the window = %+v, %v; want the stored command: Duplicate, version 2, total 6, Added 5", again, err)
	}
	recs, _, err := repo.History(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{first.Records()[0].EventID, es.EventID(oue.CommandID, 0), other.Records()[0].EventID}
	var got []string
	for _, rec := range recs {
		got = append(got, rec.EventID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("stored event ids %q, want %q: each command once", got, want)
	}
	// The repository goes on from the newest state.
	next := mustHandle(t, repo, id, storetest.Add{N: 1000})
	if next.Version != 4 || next.State.Total != 1106 {
		t.Errorf("next command: version %d total %d, want 4 1106", next.Version, next.State.Total)
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
	nc, err := natsconn.Connect(srv.ClientURL(), nil, nats.ReconnectWait(20*time.Millisecond), nats.ReconnectBufSize(-1))
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

// endsAfter is a context that ends once it has been asked for its error n
// times: so that it ends after the store's Append checked it and before
// the store sends the append, as a deadline may.
type endsAfter struct {
	context.Context
	n     int32
	looks atomic.Int32
	done  chan struct{} // never closed: the end shows in Err only
}

func (c *endsAfter) Err() error {
	if c.looks.Add(1) > c.n {
		return context.Canceled
	}
	return nil
}

func (c *endsAfter) Deadline() (time.Time, bool) { return time.Now().Add(time.Minute), true }
func (c *endsAfter) Done() <-chan struct{}       { return c.done }

// TestUnsentNotUnknown: an append nats.go returns without sending is
// not an unknown outcome: one whose context ended just before the send,
// and one on a closed connection. Both fail with their cause, and nothing
// is stored.
func TestUnsentNotUnknown(t *testing.T) {
	srv := server(t)
	_, js := connect(t, srv)
	s := newStore(t, js)
	ref := es.Ref{Type: "Tally", ID: "unsent"}
	req := func(cmd string) *es.AppendRequest {
		return &es.AppendRequest{Ref: ref, CommandID: cmd, Events: []es.RawEvent{{Type: "Added", SchemaVersion: 2, Data: []byte(`{"n":1}`)}}}
	}
	ctx := &endsAfter{Context: t.Context(), n: 1, done: make(chan struct{})}
	_, err := s.Append(ctx, req("ended"))
	if !errors.Is(err, context.Canceled) || errors.Is(err, es.ErrOutcomeUnknown) {
		t.Errorf("Append with a context ended before the send = %v, want context.Canceled, not an unknown outcome", err)
	}

	nc2, js2 := connect(t, srv)
	closed := newStore(t, js2)
	nc2.Close()
	_, err = closed.Append(t.Context(), req("closed"))
	if !errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, es.ErrOutcomeUnknown) {
		t.Errorf("Append on a closed connection = %v, want nats.ErrConnectionClosed, not an unknown outcome", err)
	}
	for rec, err := range s.Read(t.Context(), ref, es.Position{}) {
		t.Errorf("read %+v, %v: want nothing stored", rec.Metadata, err)
	}
}
