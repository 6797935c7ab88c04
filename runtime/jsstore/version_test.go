package jsstore_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/storetest"
)

// sent returns how many messages nc sent while f ran: requests and
// publishes.
func sent(nc *nats.Conn, f func()) uint64 {
	before := nc.Stats().OutMsgs
	f()
	return nc.Stats().OutMsgs - before
}

// TestVersionCheckRequests: Append checks the expected version without a
// request when the store appended or read the message at the expected
// sequence (a cached aggregate's next command), and with one direct get
// when it did not (another store instance wrote it); a stale version is
// refused either way, before anything is published.
func TestVersionCheckRequests(t *testing.T) {
	nc, js := connect(t, server(t))
	s := newStore(t, js)
	ref := es.Ref{Type: "Tally", ID: "v"}
	var r1, r2 es.AppendResult
	var err error
	if n := sent(nc, func() { r1, err = s.Append(t.Context(), oneEvent(ref, es.Position{}, "a")) }); err != nil || n != 1 {
		t.Fatalf("first append: %v, %d messages sent, want 1", err, n)
	}
	if n := sent(nc, func() {
		r2, err = s.Append(t.Context(), oneEvent(ref, es.Position{Version: 1, Sequence: r1.Sequence}, "b"))
	}); err != nil || n != 1 {
		t.Fatalf("append after the store's own: %v, %d messages sent, want 1", err, n)
	}

	other := newStore(t, js) // knows nothing of the aggregate
	stale := oneEvent(ref, es.Position{Version: 1, Sequence: r2.Sequence}, "stale")
	want := fmt.Sprintf(`Tally "v": concurrency conflict: expected last sequence %d: expected version 1, the aggregate is at version 2 there`, r2.Sequence)
	if n := sent(nc, func() { _, err = other.Append(t.Context(), stale) }); !errors.Is(err, es.ErrConflict) || err.Error() != want || n != 1 {
		t.Errorf("stale version on a store that did not see the aggregate = %v, %d messages sent; want %q after one direct get", err, n, want)
	}
	// The direct get taught it the aggregate's newest message.
	if n := sent(nc, func() {
		_, err = other.Append(t.Context(), oneEvent(ref, es.Position{Version: 2, Sequence: r2.Sequence}, "c"))
	}); err != nil || n != 1 {
		t.Errorf("append after the refused one: %v, %d messages sent, want 1", err, n)
	}
	third := newStore(t, js)
	if n := sent(nc, func() {
		_, err = third.Append(t.Context(), oneEvent(ref, es.Position{Version: 3, Sequence: r2.Sequence + 1}, "d"))
	}); err != nil || n != 2 {
		t.Errorf("append on a store that did not see the aggregate: %v, %d messages sent, want 2 (a direct get, the publish)", err, n)
	}
	// A read teaches a store the aggregate's newest message too.
	fourth := newStore(t, js)
	at, err := lastPos(t, fourth, ref)
	if err != nil || at.Version != 4 {
		t.Fatalf("read: %+v, %v", at, err)
	}
	if n := sent(nc, func() { _, err = fourth.Append(t.Context(), oneEvent(ref, at, "e")) }); err != nil || n != 1 {
		t.Errorf("append after a read: %v, %d messages sent, want 1", err, n)
	}
}

// lastPos reads ref to its end.
func lastPos(t *testing.T, s es.Store, ref es.Ref) (es.Position, error) {
	t.Helper()
	var at es.Position
	for rec, err := range s.Read(t.Context(), ref, es.Position{}) {
		if err != nil {
			return at, err
		}
		at = es.Position{Version: rec.Version, Sequence: rec.Sequence}
	}
	return at, nil
}

// TestRepeatedVersionStored: a message whose versions repeat those before
// it, as an append with a stale expected version stored before the store
// checked it (or a writer around the store stores today), fails reads with
// a *jsstore.CorruptMessageError naming the aggregate's subject, the
// sequence and the versions; loads and commands fail with
// es.ErrCorruptEvent instead of loading the old version and conflicting
// forever.
func TestRepeatedVersionStored(t *testing.T) {
	_, js := connect(t, server(t))
	s := newStore(t, js)
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	const id = "repeated"
	ref := es.Ref{Type: "Tally", ID: id}
	mustHandle(t, repo, id, storetest.Add{N: 1})
	r2 := mustHandle(t, repo, id, storetest.Add{N: 2})

	added, err := storetest.TallyEventCodec{}.Encode(nil, storetest.Added{N: 3})
	if err != nil {
		t.Fatal(err)
	}
	data := envelope.Append(nil, &es.AppendRequest{Ref: ref, ExpectedVersion: 1, ExpectedSequence: r2.Sequence,
		CommandID: "stale", Time: time.Now(), Events: []es.RawEvent{added}})
	ack, err := js.PublishMsg(t.Context(), &nats.Msg{Subject: s.Subject(ref), Data: data},
		jetstream.WithExpectLastSequencePerSubject(r2.Sequence))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("jsstore: message %d on events.Tally.repeated: holds versions 2 to 2, repeating versions up to 2 read before it", ack.Sequence)
	wantCorrupt := func(what string, err error) {
		t.Helper()
		var cme *jsstore.CorruptMessageError
		if !errors.Is(err, es.ErrCorruptEvent) || !errors.As(err, &cme) || cme.Error() != want {
			t.Errorf("%s = %v, want %q", what, err, want)
		}
	}
	for _, from := range []es.Position{{}, {Version: 1, Sequence: r2.Sequence - 1}, r2.Position} {
		var errs []error
		n := 0
		for _, err := range s.Read(t.Context(), ref, from) {
			if err != nil {
				errs = append(errs, err)
			} else {
				n++
			}
		}
		if len(errs) != 1 || n != 2-int(from.Version) {
			t.Errorf("Read from %+v: %d records, errors %v; want %d records and one error", from, n, errs, 2-from.Version)
			continue
		}
		wantCorrupt(fmt.Sprintf("Read from %+v", from), errs[0])
	}
	_, err = es.NewRepository(s, storetest.TallyDefinition(0)).Load(t.Context(), id)
	wantCorrupt("Load", err)
	// The repository that cached version 2 conflicts, reloads, and fails.
	_, err = repo.Handle(t.Context(), id, storetest.Add{N: 4})
	wantCorrupt("Handle on the cached aggregate", err)
}

func mustHandle(t *testing.T, r *es.Repository[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent], id string,
	cmd storetest.TallyCommand, opts ...es.HandleOption) es.Result[storetest.Tally, storetest.TallyEvent] {
	t.Helper()
	res, err := r.Handle(t.Context(), id, cmd, opts...)
	if err != nil {
		t.Fatalf("Handle(%q, %#v): %v", id, cmd, err)
	}
	return res
}
