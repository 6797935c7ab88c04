package es_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
)

// TestAppendRequestRecords: the records of an append are the request's
// events with its metadata, event ids es.EventID's, past nine events too.
func TestAppendRequestRecords(t *testing.T) {
	at := time.Date(2026, 11, 28, 12, 30, 0, 5, time.FixedZone("CET", 3600))
	evs := make([]es.RawEvent, 12)
	for i := range evs {
		evs[i] = es.RawEvent{Type: "E" + strconv.Itoa(i), SchemaVersion: i % 3, Data: []byte(strconv.Itoa(i))}
	}
	evs[4].Data = nil
	req := &es.AppendRequest{Ref: es.Ref{Type: "T", ID: "x"}, ExpectedVersion: 7, ExpectedSequence: 40,
		CommandID: "cmd", Time: at, CorrelationID: "corr", CausationID: "cause", Actor: "alice",
		Traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Events: evs}
	want := make([]es.Record, len(evs))
	for i, e := range evs {
		data := e.Data
		if data == nil {
			data = []byte{}
		}
		want[i] = es.Record{Metadata: es.Metadata{EventID: "cmd-" + strconv.Itoa(i+1), AggregateType: "T",
			AggregateID: "x", Version: uint64(8 + i), Time: at.UTC(), CorrelationID: "corr", CausationID: "cause",
			Actor: "alice", Traceparent: req.Traceparent, EventType: e.Type, SchemaVersion: e.SchemaVersion,
			Sequence: 41}, Data: data}
	}
	got := req.Records(41)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Records(41) (-want +got):\n%s", diff)
	}
	if got[4].Data == nil || got[0].Time.Location() != time.UTC {
		t.Errorf("empty payload %#v, time zone %v: want a non-nil empty slice and UTC", got[4].Data, got[0].Time.Location())
	}
}
