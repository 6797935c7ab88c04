package jsstore

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
)

func sampleRequest() *es.AppendRequest {
	return &es.AppendRequest{
		Ref:              es.Ref{Type: "Order", ID: "o-42"},
		ExpectedVersion:  7,
		ExpectedSequence: 1234,
		CommandID:        "cmd-9",
		Time:             time.Date(2026, 11, 28, 9, 30, 1, 999999999, time.UTC),
		CorrelationID:    "corr",
		CausationID:      "cause",
		Actor:            "alice",
		Traceparent:      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		Events: []es.RawEvent{
			{Type: "OrderSubmitted", SchemaVersion: 2, Data: []byte(`{"items":[]}`)},
			{Type: "PaymentValidated", SchemaVersion: 1, Data: []byte{}},
		},
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*es.AppendRequest)
	}{
		{"full", func(*es.AppendRequest) {}},
		{"bare", func(r *es.AppendRequest) {
			r.CorrelationID, r.CausationID, r.Actor, r.Traceparent = "", "", "", ""
			r.ExpectedSequence, r.ExpectedVersion = 0, 0
		}},
		{"default flow", func(r *es.AppendRequest) { r.CorrelationID, r.CausationID = r.CommandID, r.CommandID }},
		{"caused by the command", func(r *es.AppendRequest) { r.CausationID = r.CommandID }},
		{"before 1970", func(r *es.AppendRequest) { r.Time = time.Date(1901, 2, 3, 4, 5, 6, 7, time.UTC) }},
		{"zero time", func(r *es.AppendRequest) { r.Time = time.Time{} }},
		{"large numbers", func(r *es.AppendRequest) {
			r.ExpectedSequence, r.ExpectedVersion = 1<<63, 1<<62
			r.Events[0].SchemaVersion = 1 << 30
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := sampleRequest()
			tc.edit(req)
			data := envelope.Append(nil, req)
			if len(data) > envelope.Size(req) {
				t.Errorf("envelope of %d bytes exceeds the bound %d", len(data), envelope.Size(req))
			}
			got, err := Decode("events.Order.o-42", 99, data)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]es.Record, len(req.Events))
			for i, e := range req.Events {
				want[i] = es.Record{Metadata: es.Metadata{
					EventID: es.EventID(req.CommandID, i), AggregateType: "Order", AggregateID: "o-42",
					Version: req.ExpectedVersion + uint64(i) + 1, Time: req.Time.UTC(), CorrelationID: req.CorrelationID,
					CausationID: req.CausationID, Actor: req.Actor, Traceparent: req.Traceparent,
					EventType: e.Type, SchemaVersion: e.SchemaVersion, Sequence: 99,
				}, Data: e.Data}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("decoded records (-want +got):\n%s", diff)
			}
			env, err := envelope.Decode(data, nil)
			if err != nil || env.Prev != req.ExpectedSequence || env.CommandID != req.CommandID {
				t.Errorf("envelope prev %d command %q (%v), want %d %q", env.Prev, env.CommandID, err, req.ExpectedSequence, req.CommandID)
			}
		})
	}
}

// TestDecodeCorrupt: every malformed payload is a *CorruptMessageError
// matching es.ErrCorruptEvent with a reason, never a panic.
func TestDecodeCorrupt(t *testing.T) {
	good := envelope.Append(nil, sampleRequest())
	withVersion := func(v byte) []byte {
		b := append([]byte(nil), good...)
		b[1] = v
		return b
	}
	oneEvent := sampleRequest()
	oneEvent.Events = oneEvent.Events[:1]
	emptyType := sampleRequest()
	emptyType.Events[1].Type = ""
	for _, tc := range []struct {
		name, subject string
		data          []byte
		reason        string
	}{
		{"empty", "events.Order.o-42", nil, "not an esgen event envelope"},
		{"json", "events.Order.o-42", []byte(`{"type":"OrderSubmitted"}`), "not an esgen event envelope"},
		{"future format", "events.Order.o-42", withVersion(2), "envelope format version 2, this runtime reads 1"},
		{"truncated", "events.Order.o-42", good[:len(good)-3], "event 2: truncated"},
		{"truncated header", "events.Order.o-42", good[:9], "truncated"},
		{"unknown flags", "events.Order.o-42", withFlags(good, 0x84), "unknown flags 0x84"},
		{"trailing bytes", "events.Order.o-42", append(append([]byte(nil), good...), 0), "1 bytes after the last event"},
		{"other aggregate", "events.Order.o-4", good, `envelope of Order "o-42" does not belong on this subject`},
		{"other type", "events.Invoice.o-42", good, `envelope of Order "o-42" does not belong on this subject`},
		{"subject without prefix", ".Order.o-42", good, `envelope of Order "o-42" does not belong on this subject`},
		{"empty event type", "events.Order.o-42", envelope.Append(nil, emptyType), "event 2: empty event type"},
		{"one event short", "events.Order.o-42", envelope.Append(nil, oneEvent)[:len(envelope.Append(nil, oneEvent))-1], "event 1: truncated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.subject, 5, tc.data)
			var cme *CorruptMessageError
			if !errors.As(err, &cme) || !errors.Is(err, es.ErrCorruptEvent) {
				t.Fatalf("Decode = %v, want a *CorruptMessageError matching es.ErrCorruptEvent", err)
			}
			if cme.Reason != tc.reason || cme.Sequence != 5 || cme.Subject != tc.subject {
				t.Errorf("error = %+v, want reason %q at sequence 5 on %s", cme, tc.reason, tc.subject)
			}
			if want := "jsstore: message 5 on " + tc.subject + ": " + tc.reason; err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
		})
	}
}

// withFlags returns a copy of an envelope with its flags byte replaced.
func withFlags(env []byte, flags byte) []byte {
	b := append([]byte(nil), env...)
	at := 2
	for range 2 { // prev, version
		_, n := binary.Uvarint(b[at:])
		at += n
	}
	_, n := binary.Varint(b[at:]) // seconds
	at += n
	_, n = binary.Uvarint(b[at:]) // nanoseconds
	b[at+n] = flags
	return b
}

func FuzzDecode(f *testing.F) {
	f.Add(envelope.Append(nil, sampleRequest()))
	f.Add([]byte{0xE5, 1, 0, 1, 0, 0, 3, 1, 'c', 1, 'T', 1, 'i', 0, 0, 1, 1, 'E', 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := Decode("events.T.i", 1, data)
		if err != nil {
			if !errors.Is(err, es.ErrCorruptEvent) || !strings.HasPrefix(err.Error(), "jsstore: message 1 on events.T.i: ") {
				t.Fatalf("error %v is not a positioned corrupt-event error", err)
			}
			return
		}
		if len(recs) == 0 {
			t.Fatal("no records and no error")
		}
		for i, r := range recs {
			if r.Version != recs[0].Version+uint64(i) || r.EventType == "" || r.Sequence != 1 {
				t.Fatalf("record %d inconsistent: %+v", i, r.Metadata)
			}
		}
	})
}

func TestParsePubAck(t *testing.T) {
	for _, tc := range []struct {
		data string
		want pubAck
		err  string
	}{
		{`{"stream":"EVENTS","seq":42}`, pubAck{Sequence: 42}, ""},
		{`{"stream":"EVENTS","seq":42,"duplicate":true}`, pubAck{Sequence: 42, Duplicate: true}, ""},
		{`{"stream":"EVENTS","seq":42,"duplicate": true}`, pubAck{Sequence: 42, Duplicate: true}, ""},
		{`{"stream":"EVENTS","seq":42,"duplicate":false}`, pubAck{Sequence: 42}, ""},
		{`{"stream":"EVENTS", "domain":"hub", "seq": 7}`, pubAck{Sequence: 7}, ""},
		{`{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 3"},"stream":"EVENTS","seq":0}`, pubAck{}, "nats: API error: code=400 err_code=10071 description=wrong last sequence: 3"},
		{`{"stream":"EVENTS"}`, pubAck{}, `nats: invalid jetstream publish response: "{\"stream\":\"EVENTS\"}"`},
		{`garbage`, pubAck{}, `nats: invalid jetstream publish response: "garbage"`},
	} {
		got, err := parsePubAck([]byte(tc.data))
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
			t.Errorf("parsePubAck(%s) = %+v, %v; want %+v, %q", tc.data, got, err, tc.want, tc.err)
		}
	}
}
