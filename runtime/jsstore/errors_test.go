package jsstore_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/storetest"
)

func oneEvent(ref es.Ref, at es.Position, cmd string) *es.AppendRequest {
	return &es.AppendRequest{Ref: ref, ExpectedVersion: at.Version, ExpectedSequence: at.Sequence, CommandID: cmd,
		Events: []es.RawEvent{{Type: "Added", SchemaVersion: 2, Data: []byte(`{"n":1}`)}}}
}

// TestCorruptPayload: a message on an aggregate's subject that is not an
// envelope of that aggregate makes its loads fail with es.ErrCorruptEvent.
func TestCorruptPayload(t *testing.T) {
	_, js := connect(t, server(t))
	s := newStore(t, js)
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	for _, tc := range []struct {
		name, id string
		data     []byte
		reason   string
	}{
		{"json", "json", []byte(`{"n":1}`), "not an esgen event envelope"},
		{"truncated", "trunc", nil, "truncated"},
		{"envelope of another aggregate", "moved", nil, `envelope of Tally "elsewhere" does not belong on this subject`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := repo.Handle(t.Context(), tc.id, storetest.Add{N: 1}); err != nil {
				t.Fatal(err)
			}
			data := tc.data
			switch tc.name {
			case "truncated":
				data = validEnvelope(t, s, js, "Tally", "trunc-src")
				data = data[:len(data)-2]
			case "envelope of another aggregate":
				data = validEnvelope(t, s, js, "Tally", "elsewhere")
			}
			// Written around the store, as a buggy or hostile producer would.
			if _, err := js.Publish(t.Context(), "events.Tally."+tc.id, data); err != nil {
				t.Fatal(err)
			}
			repo.Forget(tc.id)
			_, err := repo.Load(t.Context(), tc.id)
			var cme *jsstore.CorruptMessageError
			if !errors.Is(err, es.ErrCorruptEvent) || !errors.As(err, &cme) {
				t.Fatalf("Load = %v, want a *jsstore.CorruptMessageError", err)
			}
			if !strings.HasSuffix(cme.Reason, tc.reason) || cme.Subject != "events.Tally."+tc.id {
				t.Errorf("error %+v, want reason ending %q on events.Tally.%s", cme, tc.reason, tc.id)
			}
		})
	}
}

// validEnvelope appends one event to (typ, id) and returns the payload
// stored for it.
func validEnvelope(t *testing.T, s *jsstore.Store, js jetstream.JetStream, typ, id string) []byte {
	t.Helper()
	ref := es.Ref{Type: typ, ID: id}
	if _, err := s.Append(t.Context(), oneEvent(ref, es.Position{}, "src")); err != nil {
		t.Fatal(err)
	}
	st, err := js.Stream(t.Context(), s.Stream())
	if err != nil {
		t.Fatal(err)
	}
	msg, err := st.GetLastMsgForSubject(t.Context(), s.Subject(ref))
	if err != nil {
		t.Fatal(err)
	}
	return msg.Data
}

// TestUnknownVersions: stored events a codec does not know (a newer
// schema version, or a type it never heard of) fail loads with the typed
// errors, through the codec.
func TestUnknownVersions(t *testing.T) {
	_, js := connect(t, server(t))
	s := newStore(t, js)
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	for _, tc := range []struct {
		id   string
		ev   es.RawEvent
		want error
	}{
		{"newer", es.RawEvent{Type: "Added", SchemaVersion: 3, Data: []byte(`{"n":1,"why":"x"}`)}, es.ErrUnknownSchemaVersion},
		{"stranger", es.RawEvent{Type: "Multiplied", SchemaVersion: 1, Data: []byte(`{"by":2}`)}, es.ErrUnknownEventType},
		{"garbled", es.RawEvent{Type: "Added", SchemaVersion: 2, Data: []byte(`{"n":"one"}`)}, es.ErrCorruptEvent},
	} {
		ref := es.Ref{Type: "Tally", ID: tc.id}
		if _, err := s.Append(t.Context(), &es.AppendRequest{Ref: ref, CommandID: "c", Events: []es.RawEvent{tc.ev}}); err != nil {
			t.Fatal(err)
		}
		_, err := repo.Load(t.Context(), tc.id)
		var de *es.DecodeError
		if !errors.Is(err, tc.want) || !errors.As(err, &de) || de.EventType != tc.ev.Type || de.SchemaVersion != tc.ev.SchemaVersion {
			t.Errorf("Load of %s = %v, want an *es.DecodeError for %s v%d matching %v", tc.id, err, tc.ev.Type, tc.ev.SchemaVersion, tc.want)
		}
		if _, _, err := repo.History(t.Context(), tc.id); !errors.Is(err, tc.want) {
			t.Errorf("History of %s = %v, want %v", tc.id, err, tc.want)
		}
	}
}

// TestConflictCarriesServerError: a conflict keeps JetStream's error, with
// its code, inside the *es.ConflictError.
func TestConflictCarriesServerError(t *testing.T) {
	_, js := connect(t, server(t))
	s := newStore(t, js)
	ref := es.Ref{Type: "Tally", ID: "t"}
	if _, err := s.Append(t.Context(), oneEvent(ref, es.Position{}, "a")); err != nil {
		t.Fatal(err)
	}
	_, err := s.Append(t.Context(), oneEvent(ref, es.Position{}, "b"))
	var ce *es.ConflictError
	var apiErr *jetstream.APIError
	if !errors.As(err, &ce) || !errors.As(err, &apiErr) || apiErr.ErrorCode != 10071 {
		t.Fatalf("conflict = %v, want an *es.ConflictError wrapping JetStream error 10071", err)
	}
}

// TestLostAck: a command whose message was stored but whose reply was
// lost is recognised when retried, at the old position (the server reports
// a conflict first) and at the new one (the server dedupes).
func TestLostAck(t *testing.T) {
	_, js := connect(t, server(t))
	s := newStore(t, js)
	ref := es.Ref{Type: "Tally", ID: "lost"}
	first, err := s.Append(t.Context(), oneEvent(ref, es.Position{}, "cmd-1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []es.Position{{}, {Version: 1, Sequence: first.Sequence}} {
		res, err := s.Append(t.Context(), oneEvent(ref, at, "cmd-1"))
		if err != nil || !res.Duplicate || res.Sequence != first.Sequence || res.Records[0].EventID != "cmd-1-1" {
			t.Errorf("retry at %+v = %+v, %v; want the stored result, Duplicate", at, res, err)
		}
	}
	n := 0
	for _, err := range s.Read(t.Context(), ref, es.Position{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d events stored, want 1", n)
	}
}

// TestTooLarge: a command whose events do not fit in one message is
// refused with es.ErrTooLarge and nothing is stored.
func TestTooLarge(t *testing.T) {
	nc, js := connect(t, server(t))
	s := newStore(t, js)
	ref := es.Ref{Type: "Tally", ID: "big"}
	chunk := bytes.Repeat([]byte("x"), int(nc.MaxPayload()/4))
	req := &es.AppendRequest{Ref: ref, CommandID: "big", Events: make([]es.RawEvent, 5)}
	for i := range req.Events {
		req.Events[i] = es.RawEvent{Type: "Blob", SchemaVersion: 1, Data: chunk}
	}
	_, err := s.Append(t.Context(), req)
	if !errors.Is(err, es.ErrTooLarge) {
		t.Fatalf("Append of %d bytes = %v, want es.ErrTooLarge", 5*len(chunk), err)
	}
	for _, err := range s.Read(t.Context(), ref, es.Position{}) {
		t.Fatalf("something was stored: %v", err)
	}
	req.Events = req.Events[:3]
	if _, err := s.Append(t.Context(), req); err != nil {
		t.Errorf("Append of 3/4 of the max payload: %v", err)
	}
}

// TestTraceparentHeader: the command's traceparent is on the message's
// headers (for tools) and in its envelope (for consumers of records).
func TestTraceparentHeader(t *testing.T) {
	_, js := connect(t, server(t))
	s := newStore(t, js)
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	if _, err := repo.Handle(t.Context(), "traced", storetest.Add{N: 1}, es.WithTraceparent(tp), es.WithCommandID("c-1")); err != nil {
		t.Fatal(err)
	}
	st, err := js.Stream(t.Context(), s.Stream())
	if err != nil {
		t.Fatal(err)
	}
	msg, err := st.GetLastMsgForSubject(t.Context(), "events.Tally.traced")
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get(jsstore.TraceparentHeader); got != tp {
		t.Errorf("traceparent header = %q, want %q", got, tp)
	}
	if got := msg.Header.Get(nats.MsgIdHdr); got != "Tally.traced.c-1" {
		t.Errorf("message id = %q, want %q", got, "Tally.traced.c-1")
	}
	recs, _, err := repo.History(t.Context(), "traced")
	if err != nil || len(recs) != 1 || recs[0].Traceparent != tp {
		t.Errorf("History = %+v, %v; want the traceparent on the record", recs, err)
	}
}

// TestIDsCannotEscape: against the real server, ids that would be
// wildcards or extra tokens reach no subject, and valid look-alikes stay
// apart.
func TestIDsCannotEscape(t *testing.T) {
	_, js := connect(t, server(t))
	s := newStore(t, js)
	victim := es.Ref{Type: "Tally", ID: "victim"}
	if _, err := s.Append(t.Context(), oneEvent(victim, es.Position{}, "v")); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"*", ">", "victim.x", "x.victim", "vic tim", "victim\r\nPUB x 1"} {
		for rec, err := range s.Read(t.Context(), es.Ref{Type: "Tally", ID: id}, es.Position{}) {
			if !errors.Is(err, es.ErrInvalidID) {
				t.Errorf("Read of id %q yielded %+v, %v; want es.ErrInvalidID", id, rec, err)
			}
		}
		if _, err := s.Append(t.Context(), oneEvent(es.Ref{Type: "Tally", ID: id}, es.Position{Version: 1}, "evil")); !errors.Is(err, es.ErrInvalidID) {
			t.Errorf("Append to id %q = %v, want es.ErrInvalidID", id, err)
		}
		if _, err := s.Append(t.Context(), oneEvent(es.Ref{Type: id, ID: "victim"}, es.Position{}, "evil")); !errors.Is(err, es.ErrInvalidID) {
			t.Errorf("Append to type %q = %v, want es.ErrInvalidID", id, err)
		}
	}
	// Ids with characters that are legal in a token but special elsewhere.
	for _, id := range []string{`quo"te`, `back\slash`, "ünï-cödé", "a/b", "a:b", "=x"} {
		ref := es.Ref{Type: "Tally", ID: id}
		res, err := s.Append(t.Context(), oneEvent(ref, es.Position{}, "ok"))
		if err != nil {
			t.Errorf("Append to id %q: %v", id, err)
			continue
		}
		var got []es.Record
		for rec, err := range s.Read(t.Context(), ref, es.Position{}) {
			if err != nil {
				t.Fatalf("Read of id %q: %v", id, err)
			}
			got = append(got, rec)
		}
		if len(got) != 1 || got[0].Sequence != res.Sequence || got[0].AggregateID != id {
			t.Errorf("Read of id %q = %+v", id, got)
		}
	}
	n := 0
	for _, err := range s.Read(t.Context(), victim, es.Position{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("victim has %d events, want 1", n)
	}
}
