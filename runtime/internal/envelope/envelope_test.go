package envelope_test

import (
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
)

func TestSnapshotRoundTrip(t *testing.T) {
	for _, snap := range []es.Snapshot{
		{Position: es.Position{Version: 9, Sequence: 1 << 60}, SchemaVersion: "orders/2", Data: []byte("state")},
		{SchemaVersion: "", Data: []byte{}},
	} {
		b := envelope.AppendSnapshot(nil, snap)
		if len(b) > envelope.SnapshotSize(snap) {
			t.Errorf("%d bytes, bound %d", len(b), envelope.SnapshotSize(snap))
		}
		got, err := envelope.DecodeSnapshot(b)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(snap, got); diff != "" {
			t.Errorf("snapshot (-want +got):\n%s", diff)
		}
	}
	for _, bad := range [][]byte{nil, []byte("{}"), {0xE5, 'S', 0x80}} {
		if _, err := envelope.DecodeSnapshot(bad); err == nil {
			t.Errorf("DecodeSnapshot(%q) succeeded", bad)
		}
	}
}

// TestScratch: with scratch, repeated strings are shared and the two
// record buffers alternate, so the records of the previous envelope stay
// valid while the next one is decoded.
func TestScratch(t *testing.T) {
	req := func(cmd, actor string, typ string) []byte {
		return envelope.Append(nil, &es.AppendRequest{
			Ref: es.Ref{Type: "Order", ID: "o-1"}, CommandID: cmd, CorrelationID: "flow", CausationID: cmd,
			Actor: actor, Time: time.Unix(5, 0), Events: []es.RawEvent{{Type: typ, SchemaVersion: 1, Data: []byte("{}")}},
		})
	}
	var sc envelope.Scratch
	first, err := envelope.Decode(req("c1", "alice", "Placed"), &sc)
	if err != nil {
		t.Fatal(err)
	}
	second, err := envelope.Decode(req("c2", "alice", "Placed"), &sc)
	if err != nil {
		t.Fatal(err)
	}
	if first.Records[0].EventID != "c1-1" || second.Records[0].EventID != "c2-1" {
		t.Fatalf("records overwritten: %q %q", first.Records[0].EventID, second.Records[0].EventID)
	}
	a, b := first.Records[0], second.Records[0]
	if !sameString(a.Actor, b.Actor) || !sameString(a.EventType, b.EventType) || !sameString(a.CorrelationID, b.CorrelationID) || !sameString(a.AggregateID, b.AggregateID) {
		t.Error("repeated strings are not shared")
	}
	third, err := envelope.Decode(req("c3", "bob", "Shipped"), &sc)
	if err != nil {
		t.Fatal(err)
	}
	if third.Records[0].Actor != "bob" || third.Records[0].EventType != "Shipped" || second.Records[0].Actor != "alice" {
		t.Errorf("third %+v, second %+v", third.Records[0].Metadata, second.Records[0].Metadata)
	}
}

// sameString reports whether a and b share their bytes.
func sameString(a, b string) bool {
	return a == b && unsafe.StringData(a) == unsafe.StringData(b)
}

// TestSize: Size is exact for requests of every shape.
func TestSize(t *testing.T) {
	big := make([]byte, 300)
	for _, req := range []*es.AppendRequest{
		{Ref: es.Ref{Type: "T", ID: "i"}, CommandID: "c", CorrelationID: "c", CausationID: "c", Events: []es.RawEvent{{Type: "E"}}},
		{Ref: es.Ref{Type: "Order", ID: "o-1"}, CommandID: "c", CorrelationID: "x", CausationID: "y", Actor: "a", Traceparent: "tp",
			ExpectedSequence: 1 << 40, ExpectedVersion: 300, Time: time.Date(1800, 1, 1, 0, 0, 0, 999, time.UTC),
			Events: []es.RawEvent{{Type: "E", SchemaVersion: 200, Data: big}, {Type: "F", SchemaVersion: 1, Data: []byte("{}")}}},
		{Ref: es.Ref{Type: "T", ID: "i"}, CommandID: "c", Time: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), Events: []es.RawEvent{{Type: "E"}}},
	} {
		if got, want := len(envelope.Append(nil, req)), envelope.Size(req); got != want {
			t.Errorf("Append wrote %d bytes, Size says %d", got, want)
		}
	}
}

// TestEventIDs: the records of an append of many events carry es.EventID
// of their command id and number, the metadata the command id where the
// flags say so, and the command id is shared with the events' ids.
func TestEventIDs(t *testing.T) {
	evs := make([]es.RawEvent, 12)
	for i := range evs {
		evs[i] = es.RawEvent{Type: "E", SchemaVersion: 1, Data: []byte(`{}`)}
	}
	for _, req := range []*es.AppendRequest{
		{Ref: es.Ref{Type: "T", ID: "x"}, CommandID: "cmd-7", CorrelationID: "cmd-7", CausationID: "cmd-7", ExpectedVersion: 3, Events: evs},
		{Ref: es.Ref{Type: "T", ID: "x"}, CommandID: "c", CorrelationID: "flow", CausationID: "ev-1", Events: evs[:1]},
	} {
		env, err := envelope.Decode(envelope.Append(nil, req), nil)
		if err != nil {
			t.Fatal(err)
		}
		if env.CommandID != req.CommandID || len(env.Records) != len(req.Events) {
			t.Fatalf("command %q with %d records, want %q with %d", env.CommandID, len(env.Records), req.CommandID, len(req.Events))
		}
		for i, rec := range env.Records {
			if rec.EventID != es.EventID(req.CommandID, i) || rec.Version != req.ExpectedVersion+uint64(i)+1 ||
				rec.CorrelationID != req.CorrelationID || rec.CausationID != req.CausationID {
				t.Errorf("record %d: %+v", i, rec.Metadata)
			}
		}
		if unsafe.StringData(env.CommandID) != unsafe.StringData(env.Records[0].EventID) {
			t.Errorf("the command id is a string of its own")
		}
	}
}
