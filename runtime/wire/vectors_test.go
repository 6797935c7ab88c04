package wire_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
	"github.com/esgen/esgen/runtime/wire"
)

var update = flag.Bool("update", false, "rewrite the test vectors in testdata/wire")

// vectorDir holds the test vectors of docs/wire-format.md.
const vectorDir = "../../testdata/wire"

// vectorEnvelope is the decoded JSON of an envelope test vector: its
// fields as docs/wire-format.md names them.
type vectorEnvelope struct {
	About         string        `json:"about"`
	Prev          uint64        `json:"prev"`
	CommandID     string        `json:"command_id"`
	Time          string        `json:"time"`
	AggregateType string        `json:"aggregate_type"`
	AggregateID   string        `json:"aggregate_id"`
	CorrelationID string        `json:"correlation_id"`
	CausationID   string        `json:"causation_id"`
	Actor         string        `json:"actor"`
	Traceparent   string        `json:"traceparent"`
	Events        []vectorEvent `json:"events"`
}

type vectorEvent struct {
	EventID       string          `json:"event_id"`
	Version       uint64          `json:"version"`
	EventType     string          `json:"event_type"`
	SchemaVersion int             `json:"schema_version"`
	Payload       json.RawMessage `json:"payload,omitempty"`
	PayloadBase64 *string         `json:"payload_base64,omitempty"`
}

// vectorSnapshot is the decoded JSON of a snapshot test vector.
type vectorSnapshot struct {
	About         string          `json:"about"`
	Version       uint64          `json:"version"`
	Sequence      uint64          `json:"sequence"`
	SchemaVersion string          `json:"schema_version"`
	State         json.RawMessage `json:"state,omitempty"`
	StateBase64   *string         `json:"state_base64,omitempty"`
}

var t0 = time.Date(2026, 12, 7, 20, 15, 30, 123456789, time.UTC)

// base is a one-event request that later cases vary.
func base() es.AppendRequest {
	return es.AppendRequest{
		Ref: es.Ref{Type: "Order", ID: "o-1"}, CommandID: "c1", CorrelationID: "c1", CausationID: "c1",
		Time:   t0,
		Events: []es.RawEvent{{Type: "OrderSubmitted", SchemaVersion: 1, Data: []byte(`{"items":2,"by":"alice"}`)}},
	}
}

func with(f func(*es.AppendRequest)) es.AppendRequest {
	r := base()
	f(&r)
	return r
}

// envelopeVectors are the valid envelopes, each covering one optional
// field or edge of the format.
var envelopeVectors = []struct {
	name, about string
	req         es.AppendRequest
}{
	{"minimal", "the first command of an aggregate: one event, correlation and causation equal to the command id (flags 0x03), no actor, no trace context", base()},
	{"empty-payload", "an event whose payload is empty (zero bytes): payload_base64 is the empty string", with(func(r *es.AppendRequest) {
		r.Events[0].Data = []byte{}
	})},
	{"empty-object", "an event without fields: payload {}", with(func(r *es.AppendRequest) {
		r.Events[0] = es.RawEvent{Type: "OrderOpened", SchemaVersion: 1, Data: []byte(`{}`)}
	})},
	{"correlation-causation", "correlation and causation ids of their own (flags 0x00): both stored", with(func(r *es.AppendRequest) {
		r.ExpectedSequence, r.ExpectedVersion = 41, 3
		r.CorrelationID, r.CausationID = "submit-o-1", "Payment.p-7.capture-1-1"
	})},
	{"correlation-only", "a correlation id of its own, the causation id equal to the command id (flags 0x02): only the correlation id stored", with(func(r *es.AppendRequest) {
		r.CorrelationID = "flow-9"
	})},
	{"causation-only", "a causation id of its own, the correlation id equal to the command id (flags 0x01): only the causation id stored", with(func(r *es.AppendRequest) {
		r.CausationID = "ev-3"
	})},
	{"actor-traceparent", "an actor and a W3C trace context", with(func(r *es.AppendRequest) {
		r.Actor = "alice@example.com"
		r.Traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	})},
	{"several-events", "one command, three events of two types and schema versions: versions 8, 9, 10 and event ids c7-1, c7-2, c7-3", with(func(r *es.AppendRequest) {
		r.CommandID, r.CorrelationID, r.CausationID = "c7", "c7", "c7"
		r.ExpectedSequence, r.ExpectedVersion = 19, 7
		r.Events = []es.RawEvent{
			{Type: "ItemAdded", SchemaVersion: 2, Data: []byte(`{"sku":"A","qty":1}`)},
			{Type: "ItemAdded", SchemaVersion: 2, Data: []byte(`{"sku":"B","qty":3}`)},
			{Type: "NoteAdded", SchemaVersion: 1, Data: []byte(`{"text":"gift"}`)},
		}
	})},
	{"unicode", "non-ASCII text in every string field and in the payload; lengths count bytes, not characters", with(func(r *es.AppendRequest) {
		r.Ref = es.Ref{Type: "Commande", ID: "ünï-😀"}
		r.CommandID, r.CorrelationID, r.CausationID = "commande ünï/1", "flux-é", "cause-日本"
		r.Actor = "Zoë"
		r.Events[0] = es.RawEvent{Type: "CommandePassée", SchemaVersion: 1, Data: []byte(`{"note":"crème brûlée 🍮","quote":"\"a\"\\b","ctl":"\u0001\n"}`)}
	})},
	{"large-numbers", "multi-byte varints: prev 2^40+1, first version 2^53-1 (the largest integer a JavaScript number holds exactly), schema version 300, a 300-byte payload (two-byte length) with numbers JSON parsers may round", with(func(r *es.AppendRequest) {
		r.ExpectedSequence, r.ExpectedVersion = 1<<40+1, 1<<53-2
		r.Events[0] = es.RawEvent{Type: "Measured", SchemaVersion: 300,
			Data: []byte(`{"big":12345678901234567890,"neg":-9223372036854775808,"exp":1e300,"frac":-0.5,"pad":"` + strings.Repeat("x", 221) + `"}`)}
	})},
	{"max-uint64", "prev and first version at the largest 64-bit unsigned value, 18446744073709551615 (ten-byte varints)", with(func(r *es.AppendRequest) {
		r.ExpectedSequence, r.ExpectedVersion = math.MaxUint64, math.MaxUint64-1
	})},
	{"before-1970", "a time before 1970: negative Unix seconds (zigzag varint), 999 nanoseconds", with(func(r *es.AppendRequest) {
		r.Time = time.Date(1800, 1, 1, 0, 0, 0, 999, time.UTC)
	})},
	{"whole-second", "a time on a whole second: nanoseconds 0, still written with nine fractional digits", with(func(r *es.AppendRequest) {
		r.Time = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	})},
	{"binary-payload", "a payload that is not JSON: readers carry it as bytes (payload_base64)", with(func(r *es.AppendRequest) {
		r.Events[0] = es.RawEvent{Type: "BlobStored", SchemaVersion: 1, Data: []byte{0x00, 0xff, 0xe5, 0x01, '{'}}
	})},
	{"process-step", "a process manager's step: an event of the process's own aggregate, its command id derived from the input, the input's correlation id, the input's event id as causation, the process as actor", with(func(r *es.AppendRequest) {
		r.Ref = es.Ref{Type: "Fulfilment", ID: "o-1"}
		r.CommandID = "in:Order.o-1.submit-o-1-1"
		r.CorrelationID, r.CausationID, r.Actor = "submit-o-1", "submit-o-1-1", "Fulfilment"
		r.Events[0] = es.RawEvent{Type: "PaymentRequested", SchemaVersion: 1, Data: []byte(`{"order_id":"o-1","amount":4200}`)}
	})},
}

// invalidVectors are bytes every reader must reject, with the reason the
// Go reader gives.
var invalidVectors = []struct {
	name string
	data []byte
	want string
}{
	{"empty", []byte{}, "not an esgen event envelope"},
	{"json", []byte(`{}`), "not an esgen event envelope"},
	{"format-2", patch(0, 1, []byte{0xE5, 2}), "envelope format version 2, this runtime reads 1"},
	{"snapshot-value", envelope.AppendSnapshot(nil, es.Snapshot{SchemaVersion: "s", Data: []byte("{}")}), "envelope format version 83, this runtime reads 1"},
	{"unknown-flag", setFlags(0x07), "unknown flags 0x7"},
	{"nanos-out-of-range", nanos(1_000_000_000), "nanoseconds 1000000000 out of range"},
	{"version-zero", firstVersion0(), "first event version 0"},
	{"truncated", valid()[:len(valid())-3], "event 1: truncated"},
	{"trailing-bytes", append(valid(), 0), "1 bytes after the last event"},
	{"no-events", noEvents(), "no events"},
	{"empty-event-type", emptyEventType(), "event 1: empty event type"},
	{"empty-command-id", emptyCommandID(), "empty command id"},
}

func valid() []byte { r := base(); return envelope.Append(nil, &r) }

// patch returns the minimal vector with its bytes [i, j) replaced.
func patch(i, j int, b []byte) []byte {
	v := valid()
	return slices.Concat(v[:i], b, v[j:])
}

// The minimal vector's layout: E5 01 | prev 00 | version 01 | seconds
// (5 bytes) | nanos (4 bytes) | flags | ...
const flagsAt = 2 + 1 + 1 + 5 + 4

func setFlags(f byte) []byte { return patch(flagsAt, flagsAt+1, []byte{f}) }

func nanos(n uint64) []byte { return patch(flagsAt-4, flagsAt, binary.AppendUvarint(nil, n)) }

func firstVersion0() []byte { return patch(3, 4, []byte{0}) }

func noEvents() []byte {
	r := base()
	r.Events = nil
	return envelope.Append(nil, &r)
}

func emptyEventType() []byte {
	r := base()
	r.Events[0].Type = ""
	return envelope.Append(nil, &r)
}

func emptyCommandID() []byte {
	r := base()
	r.CommandID = ""
	r.CorrelationID, r.CausationID = "x", "y"
	return envelope.Append(nil, &r)
}

var snapshotVectors = []struct {
	name, about string
	snap        es.Snapshot
}{
	{"state", "the newest state of an aggregate at version 9, stored at stream sequence 12", es.Snapshot{
		Position: es.Position{Version: 9, Sequence: 12}, SchemaVersion: "Order/dfbbaafdb74c",
		Data: []byte(`{"state":"Submitted","items":[{"sku":"A","qty":1}]}`)}},
	{"empty-state", "an empty state and an empty schema", es.Snapshot{Position: es.Position{Version: 1, Sequence: 1}, Data: []byte{}}},
}

// TestVectors writes (with -update) and checks the test vectors of
// docs/wire-format.md: each envelope's bytes are what the store writes,
// and its JSON is what the reader decodes from the bytes on disk.
func TestVectors(t *testing.T) {
	names := map[string]bool{}
	for _, v := range envelopeVectors {
		t.Run("envelope/"+v.name, func(t *testing.T) {
			data := envelope.Append(nil, &v.req)
			base := filepath.Join(vectorDir, "envelopes", v.name)
			names[base+".hex"], names[base+".json"] = true, true
			if *update {
				writeVector(t, base+".hex", hexLines(data))
			}
			onDisk := readHex(t, base+".hex")
			if !bytes.Equal(onDisk, data) {
				t.Fatalf("%s.hex differs from what the store writes (go test -update rewrites it):\n got %x\nwant %x", base, onDisk, data)
			}
			m, err := wire.Decode("events."+v.req.Ref.Type+"."+v.req.Ref.ID, 1, onDisk)
			if err != nil {
				t.Fatal(err)
			}
			got := marshal(t, decodedEnvelope(v.about, m))
			checkJSON(t, base+".json", got)
		})
	}
	for _, v := range invalidVectors {
		t.Run("invalid/"+v.name, func(t *testing.T) {
			base := filepath.Join(vectorDir, "invalid", v.name)
			names[base+".hex"], names[base+".txt"] = true, true
			if *update {
				writeVector(t, base+".hex", hexLines(v.data))
				writeVector(t, base+".txt", []byte(v.want+"\n"))
			}
			onDisk := readHex(t, base+".hex")
			if !bytes.Equal(onDisk, v.data) {
				t.Fatalf("%s.hex is stale (go test -update rewrites it)", base)
			}
			_, err := wire.Decode("events.Order.o-1", 1, onDisk)
			if err == nil || !errors.Is(err, es.ErrCorruptEvent) {
				t.Fatalf("decoded, or another error: %v", err)
			}
			want := "jsstore: message 1 on events.Order.o-1: " + v.want
			if err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
			checkJSON(t, base+".txt", []byte(v.want+"\n"))
		})
	}
	for _, v := range snapshotVectors {
		t.Run("snapshot/"+v.name, func(t *testing.T) {
			data := envelope.AppendSnapshot(nil, v.snap)
			base := filepath.Join(vectorDir, "snapshots", v.name)
			names[base+".hex"], names[base+".json"] = true, true
			if *update {
				writeVector(t, base+".hex", hexLines(data))
			}
			onDisk := readHex(t, base+".hex")
			if !bytes.Equal(onDisk, data) {
				t.Fatalf("%s.hex is stale (go test -update rewrites it)", base)
			}
			snap, err := envelope.DecodeSnapshot(onDisk)
			if err != nil {
				t.Fatal(err)
			}
			d := vectorSnapshot{About: v.about, Version: snap.Version, Sequence: snap.Sequence, SchemaVersion: snap.SchemaVersion}
			d.State, d.StateBase64 = payloadOf(snap.Data)
			checkJSON(t, base+".json", marshal(t, d))
		})
	}
	// No file of a vector that is gone.
	for _, dir := range []string{"envelopes", "invalid", "snapshots"} {
		files, _ := filepath.Glob(filepath.Join(vectorDir, dir, "*"))
		for _, f := range files {
			if names[f] {
				continue
			}
			if *update {
				if err := os.Remove(f); err != nil {
					t.Error(err)
				}
				continue
			}
			t.Errorf("%s is no test vector (go test -update removes it)", f)
		}
	}
}

// decodedEnvelope is the vector JSON of the decoded message m.
func decodedEnvelope(about string, m wire.Message) vectorEnvelope {
	r0 := m.Records[0]
	d := vectorEnvelope{
		About: about, Prev: m.Prev, CommandID: m.CommandID, Time: wire.FormatTime(r0.Time),
		AggregateType: r0.AggregateType, AggregateID: r0.AggregateID,
		CorrelationID: r0.CorrelationID, CausationID: r0.CausationID, Actor: r0.Actor, Traceparent: r0.Traceparent,
	}
	for _, r := range m.Records {
		e := vectorEvent{EventID: r.EventID, Version: r.Version, EventType: r.EventType, SchemaVersion: r.SchemaVersion}
		e.Payload, e.PayloadBase64 = payloadOf(r.Data)
		d.Events = append(d.Events, e)
	}
	return d
}

// payloadOf is how the vectors and Event carry a payload: as JSON when
// it is, else base64.
func payloadOf(data []byte) (json.RawMessage, *string) {
	e := wire.NewEvent("s", "c", es.Record{Data: data})
	return e.Payload, e.PayloadBase64
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hexLines writes data as lower-case hex, 32 bytes a line.
func hexLines(data []byte) []byte {
	var b bytes.Buffer
	for len(data) > 32 {
		b.WriteString(hex.EncodeToString(data[:32]) + "\n")
		data = data[32:]
	}
	b.WriteString(hex.EncodeToString(data) + "\n")
	return b.Bytes()
}

// readHex reads a vector's bytes, ignoring white space.
func readHex(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	data, err := hex.DecodeString(strings.Join(strings.Fields(string(b)), ""))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return data
}

func writeVector(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkJSON compares a file with what it must hold, writing it with
// -update.
func checkJSON(t *testing.T, path string, want []byte) {
	t.Helper()
	if *update {
		writeVector(t, path, want)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale (go test -update rewrites it):\n%s\nwant:\n%s", path, got, want)
	}
}
