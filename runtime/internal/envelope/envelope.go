// Package envelope is the binary format esgen stores commands in: every
// event of one command with their metadata, in one compact value. The
// JetStream store publishes one envelope per command as a message payload;
// the in-memory store keeps the same bytes. The format is documented in
// docs/wire-format.md; this package is the only code that reads or writes it.
package envelope

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/esgen/esgen/runtime/es"
)

// The format, version 1: after two leading bytes (envelopeMagic,
// envelopeVersion), uvarint-framed fields:
//
//	uvarint prev      stream sequence of the aggregate's previous message (0: none)
//	uvarint version   aggregate version of the first event
//	varint  seconds   command time, Unix seconds
//	uvarint nanos     command time, nanoseconds within the second
//	byte    flags     bit 0: the correlation id is the command id (not stored)
//	                  bit 1: the causation id is the command id (not stored)
//	string  command id, aggregate type, aggregate id,
//	        correlation id (unless flag 0), causation id (unless flag 1),
//	        actor, traceparent
//	uvarint n         number of events, at least 1
//	n times:
//	  string  event type
//	  uvarint schema version
//	  bytes   payload (the event's JSON)
//
// A string or bytes field is a uvarint length followed by that many bytes.
// Event ids are not stored: event i (0-based) of a command has id
// es.EventID(command id, i). The message's own stream sequence is not in
// it either (it is not known before the append); a reader gets it from the
// message, or, reading payloads only, from the next message's prev field.
const (
	envelopeMagic   = 0xE5
	envelopeVersion = 1

	flagCorrelationIsCommand = 1 << 0
	flagCausationIsCommand   = 1 << 1
	knownFlags               = flagCorrelationIsCommand | flagCausationIsCommand
)

// errShort reports an envelope that ends inside a field.
var errShort = errors.New("truncated")

// Append encodes req as an envelope onto b.
func Append(b []byte, req *es.AppendRequest) []byte {
	b = append(b, envelopeMagic, envelopeVersion)
	b = binary.AppendUvarint(b, req.ExpectedSequence)
	b = binary.AppendUvarint(b, req.ExpectedVersion+1)
	b = binary.AppendVarint(b, req.Time.Unix())
	b = binary.AppendUvarint(b, uint64(req.Time.Nanosecond()))
	// Commands start their own flow by default: correlation and causation
	// are the command id, stored once.
	var flags byte
	if req.CorrelationID == req.CommandID {
		flags |= flagCorrelationIsCommand
	}
	if req.CausationID == req.CommandID {
		flags |= flagCausationIsCommand
	}
	b = append(b, flags)
	b = appendString(b, req.CommandID)
	b = appendString(b, req.Ref.Type)
	b = appendString(b, req.Ref.ID)
	if flags&flagCorrelationIsCommand == 0 {
		b = appendString(b, req.CorrelationID)
	}
	if flags&flagCausationIsCommand == 0 {
		b = appendString(b, req.CausationID)
	}
	b = appendString(b, req.Actor)
	b = appendString(b, req.Traceparent)
	b = binary.AppendUvarint(b, uint64(len(req.Events)))
	for _, e := range req.Events {
		b = appendString(b, e.Type)
		b = binary.AppendUvarint(b, uint64(e.SchemaVersion))
		b = binary.AppendUvarint(b, uint64(len(e.Data)))
		b = append(b, e.Data...)
	}
	return b
}

// Size returns the encoded size of req (Append writes exactly as many
// bytes), so that callers allocate once and keep no slack.
func Size(req *es.AppendRequest) int {
	n := 3 + uvarintLen(req.ExpectedSequence) + uvarintLen(req.ExpectedVersion+1) +
		uvarintLen(zigzag(req.Time.Unix())) + uvarintLen(uint64(req.Time.Nanosecond())) +
		stringLen(req.CommandID) + stringLen(req.Ref.Type) + stringLen(req.Ref.ID) +
		stringLen(req.Actor) + stringLen(req.Traceparent) + uvarintLen(uint64(len(req.Events)))
	if req.CorrelationID != req.CommandID {
		n += stringLen(req.CorrelationID)
	}
	if req.CausationID != req.CommandID {
		n += stringLen(req.CausationID)
	}
	for _, e := range req.Events {
		n += stringLen(e.Type) + uvarintLen(uint64(e.SchemaVersion)) + stringLen(string(e.Data))
	}
	return n
}

// uvarintLen is the length of v as a uvarint.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// zigzag maps a varint to the uvarint binary.AppendVarint writes.
func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

func stringLen(s string) int { return uvarintLen(uint64(len(s))) + len(s) }

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Envelope is a decoded envelope. Its records lack their Sequence, which
// the caller fills in.
type Envelope struct {
	Prev      uint64 // sequence of the aggregate's previous append, 0 for none
	CommandID string
	Records   []es.Record
}

// decoder reads the fields of one envelope.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.err = errShort
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bytes returns the next length-framed field, sharing memory with the input.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = errShort
		return nil
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) string() string { return string(d.bytes()) }

// reuse returns the next string field, as the string known when it has the
// same bytes (no allocation), else as a new string that becomes known.
func (d *decoder) reuse(known *string) string {
	b := d.bytes()
	if string(b) != *known {
		*known = string(b)
	}
	return *known
}

// Scratch is what a reader of many envelopes of one aggregate keeps from
// one to the next, so that decoding allocates little: the strings seen
// last (ids, actor, trace context, event types) and two record buffers
// used in turn (a reader holds one envelope while it decodes the next).
// The zero value is ready to use.
type Scratch struct {
	typ, id, corr, cause, actor, tp string
	types                           []string // event types seen, a few
	bufs                            [2][]es.Record
	turn                            int
}

// eventType returns the event type field, reusing a string seen before.
func (d *decoder) eventType(sc *Scratch) string {
	if sc == nil {
		return d.string()
	}
	b := d.bytes()
	for _, t := range sc.types {
		if string(b) == t {
			return t
		}
	}
	t := string(b)
	if len(sc.types) < 32 {
		sc.types = append(sc.types, t)
	}
	return t
}

// records returns a record slice of length n: a new one without scratch,
// else the scratch buffer whose turn it is.
func (sc *Scratch) records(n int) []es.Record {
	if sc == nil {
		return make([]es.Record, n)
	}
	sc.turn ^= 1
	buf := sc.bufs[sc.turn]
	if cap(buf) < n {
		buf = make([]es.Record, n)
	}
	sc.bufs[sc.turn] = buf[:n]
	return buf[:n]
}

// Decode decodes data. Payloads of the records share memory with
// data. Errors describe what is wrong; callers wrap them. With scratch,
// strings repeated from the envelope decoded before are shared and the
// records live in a scratch buffer, valid until the envelope after next is
// decoded.
func Decode(data []byte, sc *Scratch) (Envelope, error) {
	if len(data) < 2 || data[0] != envelopeMagic {
		return Envelope{}, errors.New("not an esgen event envelope")
	}
	if data[1] != envelopeVersion {
		return Envelope{}, fmt.Errorf("envelope format version %d, this runtime reads %d", data[1], envelopeVersion)
	}
	d := decoder{b: data[2:]}
	prev := d.uvarint()
	first := d.uvarint()
	sec := d.varint()
	nsec := d.uvarint()
	flags := d.byte()
	var m es.Metadata
	cmdBytes := d.bytes()
	local := sc
	if local == nil {
		local = new(Scratch)
	}
	m.AggregateType = d.reuse(&local.typ)
	m.AggregateID = d.reuse(&local.id)
	var corr, cause string
	if flags&flagCorrelationIsCommand == 0 {
		corr = d.reuse(&local.corr)
	}
	if flags&flagCausationIsCommand == 0 {
		cause = d.reuse(&local.cause)
	}
	m.Actor = d.reuse(&local.actor)
	m.Traceparent = d.reuse(&local.tp)
	n := d.uvarint()
	if d.err != nil {
		return Envelope{}, d.err
	}
	switch {
	case flags&^knownFlags != 0:
		return Envelope{}, fmt.Errorf("unknown flags %#x", flags)
	case nsec >= uint64(time.Second):
		return Envelope{}, fmt.Errorf("nanoseconds %d out of range", nsec)
	case first == 0:
		return Envelope{}, errors.New("first event version 0")
	case len(cmdBytes) == 0:
		return Envelope{}, errors.New("empty command id")
	case n == 0:
		return Envelope{}, errors.New("no events")
	case n > uint64(len(d.b)):
		// Each event takes at least three bytes: a bound before allocating.
		return Envelope{}, fmt.Errorf("%d events cannot fit in %d bytes", n, len(d.b))
	}
	// The command id is the start of its events' ids: one string for all.
	ids := eventIDs(cmdBytes, int(n))
	cmd := ids[:len(cmdBytes)]
	m.CorrelationID, m.CausationID = cmd, cmd
	if flags&flagCorrelationIsCommand == 0 {
		m.CorrelationID = corr
	}
	if flags&flagCausationIsCommand == 0 {
		m.CausationID = cause
	}
	m.Time = time.Unix(sec, int64(nsec)).UTC()
	recs := sc.records(int(n))
	for i := range recs {
		m.EventID, ids = ids[:eventIDLen(len(cmd), i)], ids[eventIDLen(len(cmd), i):]
		m.Version = first + uint64(i)
		m.EventType = d.eventType(sc)
		sv := d.uvarint()
		data := d.bytes()
		if d.err != nil {
			return Envelope{}, fmt.Errorf("event %d: %w", i+1, d.err)
		}
		if m.EventType == "" {
			return Envelope{}, fmt.Errorf("event %d: empty event type", i+1)
		}
		if sv > 1<<31 {
			return Envelope{}, fmt.Errorf("event %d: schema version %d out of range", i+1, sv)
		}
		m.SchemaVersion = int(sv)
		recs[i] = es.Record{Metadata: m, Data: data}
	}
	if len(d.b) != 0 {
		return Envelope{}, fmt.Errorf("%d bytes after the last event", len(d.b))
	}
	return Envelope{Prev: prev, CommandID: cmd, Records: recs}, nil
}

// eventIDs returns the ids of the n events of command cmd, es.EventID(cmd,
// 0) to es.EventID(cmd, n-1), concatenated into one string: one allocation
// for all of them and the command id, their common start. Event i's id is
// eventIDLen(len(cmd), i) bytes long.
func eventIDs(cmd []byte, n int) string {
	var stack [128]byte
	b := stack[:0]
	for i := range n {
		b = append(b, cmd...)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(i+1), 10)
	}
	return string(b)
}

// eventIDLen is the length of es.EventID(cmd, i) for a command id of
// length cmd: the command id, a dash and i+1 in decimal.
func eventIDLen(cmd, i int) int {
	d := 1
	for n := i + 1; n >= 10; n /= 10 {
		d++
	}
	return cmd + 1 + d
}

// The snapshot value format, version 1: the two bytes snapshotMagic,
// snapshotVersion, then uvarint aggregate version, uvarint stream
// sequence, uvarint-framed state schema, and the encoded state to the end.
const (
	snapshotMagic   = 0xE5
	snapshotVersion = 'S'
)

// AppendSnapshot encodes snap onto b.
func AppendSnapshot(b []byte, snap es.Snapshot) []byte {
	b = append(b, snapshotMagic, snapshotVersion)
	b = binary.AppendUvarint(b, snap.Version)
	b = binary.AppendUvarint(b, snap.Sequence)
	b = appendString(b, snap.SchemaVersion)
	return append(b, snap.Data...)
}

// SnapshotSize returns an upper bound of the encoded size of snap.
func SnapshotSize(snap es.Snapshot) int {
	return 2 + 3*binary.MaxVarintLen64 + len(snap.SchemaVersion) + len(snap.Data)
}

// DecodeSnapshot decodes what AppendSnapshot encoded. The state shares
// memory with v.
func DecodeSnapshot(v []byte) (es.Snapshot, error) {
	if len(v) < 2 || v[0] != snapshotMagic || v[1] != snapshotVersion {
		return es.Snapshot{}, errors.New("not an esgen snapshot value")
	}
	d := decoder{b: v[2:]}
	var snap es.Snapshot
	snap.Version = d.uvarint()
	snap.Sequence = d.uvarint()
	snap.SchemaVersion = d.string()
	if d.err != nil {
		return es.Snapshot{}, d.err
	}
	snap.Data = d.b[:len(d.b):len(d.b)]
	return snap, nil
}
