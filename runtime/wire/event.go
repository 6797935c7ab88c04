package wire

import (
	"encoding/base64"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/esgen/esgen/runtime/es"
)

// TimeLayout is how Event and CloudEvent write times: RFC 3339 in UTC
// with exactly nine fractional digits, so that the text is the same in
// every language and sorts as the times do.
const TimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// Event is one stored event as a flat JSON object: the form `esgen
// events` prints, one per line, and docs/wire-format.md specifies. Every
// key is always present except that exactly one of payload and
// payload_base64 is: payload when the stored payload is valid JSON in
// UTF-8 (as every payload esgen writes is), payload_base64 (standard base64 with
// padding) otherwise, an empty payload included; and archived is present
// only on events read from an archive.
type Event struct {
	Subject       string          `json:"subject"`
	Sequence      uint64          `json:"sequence"`
	AggregateType string          `json:"aggregate_type"`
	AggregateID   string          `json:"aggregate_id"`
	Version       uint64          `json:"version"`
	EventID       string          `json:"event_id"`
	EventType     string          `json:"event_type"`
	SchemaVersion int             `json:"schema_version"`
	Time          string          `json:"time"`
	CommandID     string          `json:"command_id"`
	CorrelationID string          `json:"correlation_id"`
	CausationID   string          `json:"causation_id"`
	Actor         string          `json:"actor"`
	Traceparent   string          `json:"traceparent"`
	Payload       json.RawMessage `json:"payload,omitempty"`
	PayloadBase64 *string         `json:"payload_base64,omitempty"`
	// Archived is true on an event read from the archive of an archived
	// aggregate (ArchivedEvents), and the key absent otherwise.
	Archived bool `json:"archived,omitempty"`
}

// ArchivedEvents returns the events of an archived aggregate, read with
// ReadArchived, as Event values marked Archived: with the subject,
// sequence and metadata they had in the stream.
func ArchivedEvents(a *Archived, recs []es.Record) []Event {
	out := make([]Event, len(recs))
	for i, r := range recs {
		out[i] = NewEvent(a.Subject, es.CommandIDOf(r.EventID), r)
		out[i].Archived = true
	}
	return out
}

// Events returns the events of m as Event values, in order.
func Events(m Message) []Event {
	out := make([]Event, len(m.Records))
	for i, r := range m.Records {
		out[i] = NewEvent(m.Subject, m.CommandID, r)
	}
	return out
}

// NewEvent returns the Event of record r, stored on subject by the
// command commandID.
func NewEvent(subject, commandID string, r es.Record) Event {
	e := Event{
		Subject:       subject,
		Sequence:      r.Sequence,
		AggregateType: r.AggregateType,
		AggregateID:   r.AggregateID,
		Version:       r.Version,
		EventID:       r.EventID,
		EventType:     r.EventType,
		SchemaVersion: r.SchemaVersion,
		Time:          FormatTime(r.Time),
		CommandID:     commandID,
		CorrelationID: r.CorrelationID,
		CausationID:   r.CausationID,
		Actor:         r.Actor,
		Traceparent:   r.Traceparent,
	}
	e.Payload, e.PayloadBase64 = payload(r.Data)
	return e
}

// payload returns data as JSON when it is valid JSON in UTF-8, else its
// base64.
func payload(data []byte) (json.RawMessage, *string) {
	if len(data) > 0 && utf8.Valid(data) && json.Valid(data) {
		return json.RawMessage(data), nil
	}
	s := base64.StdEncoding.EncodeToString(data)
	return nil, &s
}

// FormatTime writes t with TimeLayout, in UTC.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }
