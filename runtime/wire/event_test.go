package wire_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/wire"
)

func TestEventJSON(t *testing.T) {
	rec := es.Record{Metadata: es.Metadata{EventID: "c/1-1", AggregateType: "Order", AggregateID: "ünï/1", Version: 1 << 40, Time: t0,
		CorrelationID: "c/1", CausationID: "c/1", EventType: "Blob", SchemaVersion: 3, Sequence: 1 << 33}}
	for _, tt := range []struct {
		name       string
		data       []byte
		event, cev string
	}{
		{"json", []byte(`{"a":[1,2]}`),
			`{"subject":"events.Order.ünï/1","sequence":8589934592,"aggregate_type":"Order","aggregate_id":"ünï/1","version":1099511627776,"event_id":"c/1-1","event_type":"Blob","schema_version":3,"time":"2026-12-07T20:15:30.123456789Z","command_id":"c/1","correlation_id":"c/1","causation_id":"c/1","actor":"","traceparent":"","payload":{"a":[1,2]}}`,
			`{"specversion":"1.0","id":"c/1-1","source":"/EVENTS/events.Order.%C3%BCn%C3%AF%2F1","type":"Order.Blob","subject":"ünï/1","time":"2026-12-07T20:15:30.123456789Z","datacontenttype":"application/json","data":{"a":[1,2]},"stream":"EVENTS","streamsequence":"8589934592","aggregatetype":"Order","aggregateid":"ünï/1","aggregateversion":"1099511627776","eventtype":"Blob","schemaversion":3,"commandid":"c/1","correlationid":"c/1","causationid":"c/1"}`},
		{"binary", []byte{0, 0xff},
			`{"subject":"events.Order.ünï/1","sequence":8589934592,"aggregate_type":"Order","aggregate_id":"ünï/1","version":1099511627776,"event_id":"c/1-1","event_type":"Blob","schema_version":3,"time":"2026-12-07T20:15:30.123456789Z","command_id":"c/1","correlation_id":"c/1","causation_id":"c/1","actor":"","traceparent":"","payload_base64":"AP8="}`,
			`{"specversion":"1.0","id":"c/1-1","source":"/EVENTS/events.Order.%C3%BCn%C3%AF%2F1","type":"Order.Blob","subject":"ünï/1","time":"2026-12-07T20:15:30.123456789Z","datacontenttype":"application/octet-stream","data_base64":"AP8=","stream":"EVENTS","streamsequence":"8589934592","aggregatetype":"Order","aggregateid":"ünï/1","aggregateversion":"1099511627776","eventtype":"Blob","schemaversion":3,"commandid":"c/1","correlationid":"c/1","causationid":"c/1"}`},
		{"empty", []byte{},
			`{"subject":"events.Order.ünï/1","sequence":8589934592,"aggregate_type":"Order","aggregate_id":"ünï/1","version":1099511627776,"event_id":"c/1-1","event_type":"Blob","schema_version":3,"time":"2026-12-07T20:15:30.123456789Z","command_id":"c/1","correlation_id":"c/1","causation_id":"c/1","actor":"","traceparent":"","payload_base64":""}`,
			`{"specversion":"1.0","id":"c/1-1","source":"/EVENTS/events.Order.%C3%BCn%C3%AF%2F1","type":"Order.Blob","subject":"ünï/1","time":"2026-12-07T20:15:30.123456789Z","datacontenttype":"application/octet-stream","data_base64":"","stream":"EVENTS","streamsequence":"8589934592","aggregatetype":"Order","aggregateid":"ünï/1","aggregateversion":"1099511627776","eventtype":"Blob","schemaversion":3,"commandid":"c/1","correlationid":"c/1","causationid":"c/1"}`},
		{"invalid UTF-8", []byte("\"\xff\""),
			`{"subject":"events.Order.ünï/1","sequence":8589934592,"aggregate_type":"Order","aggregate_id":"ünï/1","version":1099511627776,"event_id":"c/1-1","event_type":"Blob","schema_version":3,"time":"2026-12-07T20:15:30.123456789Z","command_id":"c/1","correlation_id":"c/1","causation_id":"c/1","actor":"","traceparent":"","payload_base64":"Iv8i"}`, ""},
	} {
		rec.Data = tt.data
		e := wire.NewEvent("events.Order.ünï/1", "c/1", rec)
		if got := compact(t, e); got != tt.event {
			t.Errorf("%s: event\n%s\nwant\n%s", tt.name, got, tt.event)
		}
		if tt.cev == "" {
			continue
		}
		if got := compact(t, e.CloudEvent("EVENTS")); got != tt.cev {
			t.Errorf("%s: cloud event\n%s\nwant\n%s", tt.name, got, tt.cev)
		}
	}
}

// TestCloudEventNames: every attribute is named as CloudEvents 1.0
// requires (lower-case letters and digits, at most 20 characters), and
// actor and traceparent appear when they are set.
func TestCloudEventNames(t *testing.T) {
	rec := es.Record{Metadata: es.Metadata{EventID: "c-1", AggregateType: "T", AggregateID: "i", Version: 1, Time: t0,
		CorrelationID: "c", CausationID: "c", Actor: "a", Traceparent: "tp", EventType: "E", SchemaVersion: 1, Sequence: 1}, Data: []byte("{}")}
	b, err := json.Marshal(wire.NewEvent("s.T.i", "c", rec).CloudEvent("S"))
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]any
	if err := json.Unmarshal(b, &attrs); err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^[a-z0-9]{1,20}$`)
	for k := range attrs {
		if k != "data_base64" && !name.MatchString(k) {
			t.Errorf("attribute %q is not a CloudEvents name", k)
		}
	}
	if attrs["actor"] != "a" || attrs["traceparent"] != "tp" {
		t.Errorf("actor, traceparent: %v, %v", attrs["actor"], attrs["traceparent"])
	}
}

func compact(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, marshal(t, v)); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}
