package wire

import (
	"encoding/json"
	"net/url"
	"strconv"
)

// CloudEvent is one stored event as a CloudEvents 1.0 event in the JSON
// format (structured mode). The mapping, specified in
// docs/wire-format.md:
//
//   - id: the event id, unique within the source;
//   - source: "/<stream>/<subject>", the subject percent-encoded as one
//     path segment: one source per aggregate instance;
//   - type: "<aggregate type>.<event type>";
//   - subject: the aggregate id;
//   - time, with TimeLayout;
//   - datacontenttype "application/json" and data (the payload), or, for
//     a payload that is not JSON, "application/octet-stream" and
//     data_base64;
//   - the rest as extension attributes (lower-case letters and digits,
//     at most 20 characters): stream, streamsequence and
//     aggregateversion (decimal strings: a CloudEvents integer has 32
//     bits), aggregatetype, aggregateid, eventtype, schemaversion (an
//     integer), commandid, correlationid, causationid, and actor and
//     traceparent (the Distributed Tracing extension) when not empty.
type CloudEvent struct {
	SpecVersion     string          `json:"specversion"`
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	Subject         string          `json:"subject"`
	Time            string          `json:"time"`
	DataContentType string          `json:"datacontenttype"`
	Data            json.RawMessage `json:"data,omitempty"`
	DataBase64      *string         `json:"data_base64,omitempty"`

	Stream           string `json:"stream"`
	StreamSequence   string `json:"streamsequence"`
	AggregateType    string `json:"aggregatetype"`
	AggregateID      string `json:"aggregateid"`
	AggregateVersion string `json:"aggregateversion"`
	EventType        string `json:"eventtype"`
	SchemaVersion    int    `json:"schemaversion"`
	CommandID        string `json:"commandid"`
	CorrelationID    string `json:"correlationid"`
	CausationID      string `json:"causationid"`
	Actor            string `json:"actor,omitempty"`
	Traceparent      string `json:"traceparent,omitempty"`
}

// CloudEvent returns e, stored in stream, as a CloudEvents 1.0 event.
func (e Event) CloudEvent(stream string) CloudEvent {
	ce := CloudEvent{
		SpecVersion:      "1.0",
		ID:               e.EventID,
		Source:           "/" + url.PathEscape(stream) + "/" + url.PathEscape(e.Subject),
		Type:             e.AggregateType + "." + e.EventType,
		Subject:          e.AggregateID,
		Time:             e.Time,
		DataContentType:  "application/json",
		Data:             e.Payload,
		DataBase64:       e.PayloadBase64,
		Stream:           stream,
		StreamSequence:   strconv.FormatUint(e.Sequence, 10),
		AggregateType:    e.AggregateType,
		AggregateID:      e.AggregateID,
		AggregateVersion: strconv.FormatUint(e.Version, 10),
		EventType:        e.EventType,
		SchemaVersion:    e.SchemaVersion,
		CommandID:        e.CommandID,
		CorrelationID:    e.CorrelationID,
		CausationID:      e.CausationID,
		Actor:            e.Actor,
		Traceparent:      e.Traceparent,
	}
	if e.PayloadBase64 != nil {
		ce.DataContentType = "application/octet-stream"
	}
	return ce
}
