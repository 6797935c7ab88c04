package memstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"strconv"
	"time"

	"github.com/esgen/esgen/runtime/es"
)

// stream is the history of one aggregate instance, kept in slices that
// hold no pointers, so that the garbage collector never scans them however
// long the history grows: the log holds the appends one after the other,
// each encoded by appendEntry, and positions says where each one is. Both
// are lists of chunks, so that a long history grows without ever copying
// what it holds. Entries and positions are only ever added, after those
// already there, and a chunk's slice never changes once in its list, so a
// view of the stream taken under the lock stays valid (and unchanged)
// after it is released.
type stream struct {
	history
	used int // bytes written in the last chunk
	// index finds the newest appends by command id once the stream has
	// more than indexFrom of them; shorter streams are scanned. Nil until
	// a command id is looked up in a longer stream.
	index *dedupeIndex
}

// history is what a stream holds: its log and where each append is.
type history struct {
	// first holds the positions of the first appends: most aggregates see
	// a handful of commands, and need no allocation for positions.
	first [initialAppends]appendPos
	more  [][]appendPos // positions of later ones, positionChunk a chunk
	log   []byte        // the log's first chunk, at its full length
	// chunks are the log's later chunks, at their full length; most
	// aggregates have none.
	chunks [][]byte
	n      int // appends
}

// appendPos is one append of a stream: its entry is in chunk (0 for log,
// k for chunks[k-1]) and ends at end; it starts where the previous append's
// ends, or at 0 when that one is in another chunk.
type appendPos struct {
	seq   uint64 // its sequence: the concurrency token
	last  uint64 // the version of its last event
	chunk uint32
	end   uint32
}

const (
	// dedupeWindow is how many of an aggregate's newest appends are found
	// by command id wherever they are retried (JetStream's dedupe is
	// bounded by time instead). A retry at the sequence it was stored
	// after is found at any age.
	dedupeWindow = es.DedupeAppends
	// indexFrom is the number of appends beyond which a stream indexes
	// its command ids in a map instead of scanning its appends.
	indexFrom = 16
	// initialAppends is the room a new stream makes for appends: most
	// aggregates see a handful of commands. Positions of later appends
	// are kept in chunks of positionChunk.
	initialAppends = 4
	positionChunk  = 512
	// initialLog is the least room a new stream makes in its log; it
	// makes twice as much as its first append takes. Each chunk
	// after the first is twice as large as the one before, up to
	// maxChunk, or as large as the entry that needs it.
	initialLog = 128
	maxChunk   = 64 << 10
	// maxEntry bounds the size of one append's entry, so that positions
	// fit in 32 bits.
	maxEntry = 1 << 30
)

// dedupeIndex finds the appends of a stream's newest dedupeWindow by
// command id. It is brought up to date when a command id is looked up
// (catchUp), not at each append: the commands whose id Handle made up are
// never looked up, and cost it nothing. It maps a hash of each id to the
// number of the newest append with that hash, so that it keeps no string
// of its own: a lookup compares the id with the append's in the log, and
// scans the window in the rare case of two ids of one hash.
type dedupeIndex struct {
	seed   maphash.Seed
	byHash map[uint64]int
	// ring holds the hash of append n at n%dedupeWindow, so that the one
	// leaving the window can be dropped from byHash.
	ring []uint64
	upto int // appends indexed: those before upto
}

// newStream returns an empty stream with room for a few appends like the
// first one, of entrySize size.
func newStream(size int) *stream {
	st := &stream{}
	st.log = make([]byte, max(initialLog, 2*size))
	return st
}

// view returns the stream as it is: later appends do not change it. The
// caller holds the store's lock.
func (st *stream) view() history {
	h := st.history
	h.more = h.more[:len(h.more):len(h.more)]
	h.chunks = h.chunks[:len(h.chunks):len(h.chunks)]
	return h
}

// pos returns the position of append i.
func (h *history) pos(i int) *appendPos {
	if i < initialAppends {
		return &h.first[i]
	}
	i -= initialAppends
	return &h.more[i/positionChunk][i%positionChunk]
}

// chunk returns chunk k of the log.
func (h *history) chunk(k uint32) []byte {
	if k == 0 {
		return h.log
	}
	return h.chunks[k-1]
}

// entry returns the bytes of append i's entry.
func (h *history) entry(i int) []byte {
	p := h.pos(i)
	start := uint32(0)
	if i > 0 {
		if q := h.pos(i - 1); q.chunk == p.chunk {
			start = q.end
		}
	}
	return h.chunk(p.chunk)[start:p.end:p.end]
}

// last returns the position of the newest append: 0, 0 when there is none.
func (h *history) last() (sequence, version uint64) {
	if h.n > 0 {
		p := h.pos(h.n - 1)
		return p.seq, p.last
	}
	return 0, 0
}

// The entry of one append in a stream's log:
//
//	string   command id
//	varint   command time, Unix seconds
//	uvarint  command time, nanoseconds within the second
//	byte     flags: bit 0 the correlation id is the command id, bit 1 the
//	         causation id is the command id (neither is then stored again)
//	uvarint  n, the number of events
//	string   correlation id (empty with flag 0), causation id (empty with
//	         flag 1), actor, traceparent
//	n times: string event type, uvarint schema version, string payload
//
// where a string is a uvarint length and that many bytes. The sequence and
// versions are in the stream's appends; aggregate type and id in its key.
// It is the JetStream store's envelope (runtime/internal/envelope) without
// what the in-memory store knows otherwise, and with the command id first,
// where a retry is looked for; nothing outside this file reads it.
const (
	correlationIsCommand = 1 << 0
	causationIsCommand   = 1 << 1
)

// entrySize returns the number of bytes appendEntry writes for req.
func entrySize(req *es.AppendRequest) int {
	n := stringLen(req.CommandID) + varintLen(req.Time.Unix()) + uvarintLen(uint64(req.Time.Nanosecond())) + 1 +
		uvarintLen(uint64(len(req.Events))) + stringLen(req.Actor) + stringLen(req.Traceparent)
	if req.CorrelationID != req.CommandID {
		n += stringLen(req.CorrelationID)
	} else {
		n++
	}
	if req.CausationID != req.CommandID {
		n += stringLen(req.CausationID)
	} else {
		n++
	}
	for i := range req.Events {
		e := &req.Events[i]
		n += stringLen(e.Type) + uvarintLen(uint64(e.SchemaVersion)) + uvarintLen(uint64(len(e.Data))) + len(e.Data)
	}
	return n
}

func stringLen(s string) int { return uvarintLen(uint64(len(s))) + len(s) }

// uvarintLen is the length of v as a uvarint.
func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

// varintLen is the length of v as a varint (zig-zag encoded).
func varintLen(v int64) int { return uvarintLen(uint64(v<<1) ^ uint64(v>>63)) }

// appendEntry encodes req onto log.
func appendEntry(log []byte, req *es.AppendRequest) []byte {
	var flags byte
	corr, caus := req.CorrelationID, req.CausationID
	if corr == req.CommandID {
		flags |= correlationIsCommand
		corr = ""
	}
	if caus == req.CommandID {
		flags |= causationIsCommand
		caus = ""
	}
	log = appendString(log, req.CommandID)
	log = binary.AppendVarint(log, req.Time.Unix())
	log = binary.AppendUvarint(log, uint64(req.Time.Nanosecond()))
	log = append(log, flags)
	log = binary.AppendUvarint(log, uint64(len(req.Events)))
	log = appendString(log, corr)
	log = appendString(log, caus)
	log = appendString(log, req.Actor)
	log = appendString(log, req.Traceparent)
	for i := range req.Events {
		e := &req.Events[i]
		log = appendString(log, e.Type)
		log = binary.AppendUvarint(log, uint64(e.SchemaVersion))
		log = binary.AppendUvarint(log, uint64(len(e.Data)))
		log = append(log, e.Data...)
	}
	return log
}

func appendString(b []byte, s string) []byte {
	if len(s) < 0x80 {
		b = append(b, byte(len(s)))
	} else {
		b = binary.AppendUvarint(b, uint64(len(s)))
	}
	return append(b, s...)
}

// commandID returns the command id of append i, sharing the log's memory.
func (h *history) commandID(i int) []byte {
	b := h.entry(i)
	if n := int(b[0]); n < 0x80 && n < len(b) { // a one-byte length: most ids
		return b[1 : 1+n]
	}
	r := reader{b: b}
	return r.bytes()
}

// recent returns the number of the append of command cmd among the newest
// dedupeWindow appends, or -1.
func (st *stream) recent(cmd string) int {
	if st.n <= indexFrom { // all of them in the window
		return st.scan(cmd, 0)
	}
	st.catchUp()
	ix := st.index
	i, ok := ix.byHash[maphash.String(ix.seed, cmd)]
	if !ok {
		return -1
	}
	if string(st.commandID(i)) == cmd {
		return i
	}
	// Another id of the same hash is newer.
	return st.scan(cmd, max(0, st.n-dedupeWindow))
}

// scan returns the number of the newest append from append from on whose
// command id is cmd, or -1.
func (st *stream) scan(cmd string, from int) int {
	for i := st.n - 1; i >= from; i-- {
		if string(st.commandID(i)) == cmd {
			return i
		}
	}
	return -1
}

// after returns the number of the append stored right after sequence seq,
// or -1 when none was.
func (h *history) after(seq uint64) int {
	lo, hi := 0, h.n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if h.pos(mid).seq <= seq {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == h.n {
		return -1
	}
	return lo
}

// holding returns the number of the first append holding a version after
// version.
func (h *history) holding(version uint64) int {
	lo, hi := 0, h.n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if h.pos(mid).last <= version {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// add appends the entry of req, stored at sequence seq; size is
// entrySize(req).
func (st *stream) add(req *es.AppendRequest, seq uint64, size int) {
	k := uint32(len(st.chunks))
	cur := st.chunk(k)
	if len(cur)-st.used < size {
		cur = make([]byte, max(size, min(2*len(cur), maxChunk)))
		st.chunks = append(st.chunks, cur)
		st.used = 0
		k++
	}
	// size is what appendEntry writes: it writes in place.
	b := appendEntry(cur[st.used:st.used], req)
	if len(b) != size {
		panic("memstore: entrySize is not the size of the entry")
	}
	st.used += len(b)
	if st.n >= initialAppends && (st.n-initialAppends)%positionChunk == 0 {
		st.more = append(st.more, make([]appendPos, positionChunk))
	}
	*st.pos(st.n) = appendPos{seq: seq, last: req.ExpectedVersion + uint64(len(req.Events)), chunk: k, end: uint32(st.used)}
	st.n++
}

// catchUp brings the dedupe index up to the stream's newest append,
// building it on first use.
func (st *stream) catchUp() {
	ix := st.index
	if ix == nil {
		ix = &dedupeIndex{seed: maphash.MakeSeed(), byHash: make(map[uint64]int, 2*indexFrom), ring: make([]uint64, 0, 2*indexFrom)}
		st.index = ix
	}
	if ix.upto < st.n-dedupeWindow { // nothing indexed is in the window
		clear(ix.byHash)
		ix.upto = st.n - dedupeWindow
		if len(ix.ring) < dedupeWindow {
			ix.ring = make([]uint64, dedupeWindow)
		}
	}
	for ; ix.upto < st.n; ix.upto++ {
		n := ix.upto
		h := maphash.Bytes(ix.seed, st.commandID(n))
		slot := n % dedupeWindow
		if slot == len(ix.ring) { // the first dedupeWindow appends
			ix.ring = append(ix.ring, h)
		} else {
			// Append n-dedupeWindow leaves the window.
			if old := ix.ring[slot]; n >= dedupeWindow && ix.byHash[old] == n-dedupeWindow {
				delete(ix.byHash, old)
			}
			ix.ring[slot] = h
		}
		ix.byHash[h] = n
	}
}

// decoder turns the entries of one stream into records. It remembers the
// strings it made, so that a metadata value or event type repeated from
// one record to the next is one string.
type decoder struct {
	ref     es.Ref
	strings []string // recently made, newest last
}

// entry is the decoding of one append: its metadata, then its events one
// by one.
type entry struct {
	r     reader
	m     es.Metadata
	seq   uint64
	n     int    // events
	j     int    // events decoded so far
	first uint64 // version of the first event
	ids   string // the event ids not yet handed out
	cmd   string
}

// open starts decoding append i of h.
func (d *decoder) open(h *history, i int) (entry, error) {
	pos := *h.pos(i)
	e := entry{r: reader{b: h.entry(i)}, seq: pos.seq}
	e.cmd = d.string(e.r.bytes())
	sec := e.r.varint()
	nsec := e.r.uvarint()
	flags := e.r.byte()
	e.n = int(e.r.uvarint())
	e.m = es.Metadata{
		AggregateType: d.ref.Type,
		AggregateID:   d.ref.ID,
		Time:          time.Unix(sec, int64(nsec)).UTC(),
		CorrelationID: d.string(e.r.bytes()),
		CausationID:   d.string(e.r.bytes()),
		Actor:         d.string(e.r.bytes()),
		Traceparent:   d.string(e.r.bytes()),
		Sequence:      pos.seq,
	}
	if flags&correlationIsCommand != 0 {
		e.m.CorrelationID = e.cmd
	}
	if flags&causationIsCommand != 0 {
		e.m.CausationID = e.cmd
	}
	if e.r.err != nil || e.n < 1 || uint64(e.n) > pos.last {
		return e, e.corrupt()
	}
	e.first = pos.last - uint64(e.n) + 1
	e.ids = eventIDs(e.cmd, e.n)
	return e, nil
}

// next returns the entry's next record, its payload sharing the log's
// memory, or false after the last one.
func (d *decoder) next(e *entry) (es.Record, bool, error) {
	if e.j == e.n {
		if len(e.r.b) != 0 {
			return es.Record{}, false, e.corrupt()
		}
		return es.Record{}, false, nil
	}
	m := e.m
	m.EventType = d.string(e.r.bytes())
	m.SchemaVersion = int(e.r.uvarint())
	m.Version = e.first + uint64(e.j)
	n := eventIDLen(e.cmd, e.j)
	m.EventID, e.ids = e.ids[:n], e.ids[n:]
	data := e.r.bytes()
	if e.r.err != nil {
		return es.Record{}, false, e.corrupt()
	}
	e.j++
	return es.Record{Metadata: m, Data: data}, true, nil
}

func (e *entry) corrupt() error {
	return fmt.Errorf("memstore: stored append %d: %w: bad entry", e.seq, es.ErrCorruptEvent)
}

// unchained is the error of an entry of ref read when version next was
// due: its versions repeat those read before it, or skip some.
func (e *entry) unchained(ref es.Ref, next uint64) error {
	last := e.first + uint64(e.n) - 1
	reason := fmt.Sprintf("expected version %d next", next)
	if e.first < next {
		reason = fmt.Sprintf("repeating versions up to %d read before it", next-1)
	}
	return fmt.Errorf("memstore: %s %q: append %d holds versions %d to %d, %s: %w",
		ref.Type, ref.ID, e.seq, e.first, last, reason, es.ErrCorruptEvent)
}

// records decodes every record of append i of h; their payloads share the
// log's memory.
func (d *decoder) records(h *history, i int) ([]es.Record, error) {
	e, err := d.open(h, i)
	if err != nil {
		return nil, err
	}
	recs := make([]es.Record, 0, e.n)
	for {
		rec, ok, err := d.next(&e)
		if err != nil {
			return nil, err
		}
		if !ok {
			return recs, nil
		}
		recs = append(recs, rec)
	}
}

// string returns b as a string, reusing one made recently.
func (d *decoder) string(b []byte) string {
	for k := len(d.strings) - 1; k >= 0; k-- {
		if d.strings[k] == string(b) {
			return d.strings[k]
		}
	}
	s := string(b)
	if len(d.strings) == 8 {
		d.strings = append(d.strings[:0], d.strings[1:]...)
	}
	d.strings = append(d.strings, s)
	return s
}

// errTruncated reports an entry that ends inside a field.
var errTruncated = errors.New("truncated")

// reader reads the fields of one entry; a truncated entry sets err.
type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = errTruncated
		return nil
	}
	b := r.b[:n:n]
	r.b = r.b[n:]
	return b
}

func (r *reader) byte() byte {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errTruncated
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errTruncated
		return 0
	}
	r.b = r.b[n:]
	return v
}

// bytes returns the next string field.
func (r *reader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errTruncated
		return nil
	}
	return r.take(int(n))
}

// eventIDs returns the ids of the n events of command cmd, es.EventID(cmd,
// 0) to es.EventID(cmd, n-1), concatenated into one string: one allocation
// for all of them. Event i's id is eventIDLen(cmd, i) bytes long.
func eventIDs(cmd string, n int) string {
	if n == 1 {
		return es.EventID(cmd, 0)
	}
	var stack [128]byte
	b := stack[:0]
	for i := range n {
		b = append(b, cmd...)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(i+1), 10)
	}
	return string(b)
}

// eventIDLen is the length of es.EventID(cmd, i): the command id, a dash
// and i+1 in decimal.
func eventIDLen(cmd string, i int) int {
	d := 1
	for n := i + 1; n >= 10; n /= 10 {
		d++
	}
	return len(cmd) + 1 + d
}
