package memstore

import (
	"github.com/esgen/esgen/runtime/es"
)

// stream is the history of one aggregate instance: its events as the
// records Append and Read return, in order. recs[i] has version i+1; the
// events of one append are adjacent and share its Sequence. Records are
// only ever added, never changed, so slices of recs handed out stay valid
// (and unchanged) after the lock is released.
//
// The first event of each append names its command: its id is the command
// id followed by "-1" (es.EventID). That is how retries are recognised, with
// no per-append bookkeeping for the short histories most aggregates have.
type stream struct {
	recs    []es.Record
	appends int // number of appends held
	// index finds the newest appends by command id once the stream has
	// more than indexFrom of them; shorter streams are scanned.
	index *dedupeIndex
}

const (
	// dedupeWindow is how many of an aggregate's newest appends are found
	// by command id wherever they are retried (JetStream's dedupe is
	// bounded by time instead). A retry at the sequence it was stored
	// after is found at any age.
	dedupeWindow = 1024
	// indexFrom is the number of appends beyond which a stream indexes
	// its command ids in a map instead of scanning its appends.
	indexFrom = 16
	// initialRecords is the capacity a new stream starts with: most
	// aggregates hold a handful of events, and an append that fits costs
	// no allocation for the stream.
	initialRecords = 4
)

// dedupeIndex maps the command ids of a stream's newest dedupeWindow
// appends to the index of their first record.
type dedupeIndex struct {
	first map[string]int
	// ring holds append number n at n%dedupeWindow, so that the one
	// leaving the window can be dropped from first.
	ring []indexed
}

// indexed is one append in a dedupeIndex's ring.
type indexed struct {
	cmd   string
	first int
}

func newStream(events int) *stream {
	return &stream{recs: make([]es.Record, 0, max(initialRecords, events))}
}

// last returns the position of the newest append: 0, 0 when there is none.
func (st *stream) last() (sequence, version uint64) {
	if n := len(st.recs); n > 0 {
		return st.recs[n-1].Sequence, st.recs[n-1].Version
	}
	return 0, 0
}

// isFirstOf reports whether eventID is the id of the first event of
// command cmd, es.EventID(cmd, 0), without building that id.
func isFirstOf(eventID, cmd string) bool {
	n := len(cmd)
	return len(eventID) == n+2 && eventID[n:] == "-1" && eventID[:n] == cmd
}

// commandOf returns the command id of the append whose first record is rec.
func commandOf(rec *es.Record) string { return rec.EventID[:len(rec.EventID)-2] }

// appendStart returns the index of the first record of the append that
// holds record i.
func (st *stream) appendStart(i int) int {
	seq := st.recs[i].Sequence
	for i > 0 && st.recs[i-1].Sequence == seq {
		i--
	}
	return i
}

// appendEnd returns the index after the last record of the append that
// starts at record i.
func (st *stream) appendEnd(i int) int {
	seq := st.recs[i].Sequence
	for i++; i < len(st.recs) && st.recs[i].Sequence == seq; i++ {
	}
	return i
}

// recent returns the first record of the append of command cmd among the
// newest dedupeWindow appends, or -1.
func (st *stream) recent(cmd string) int {
	if st.index != nil {
		if i, ok := st.index.first[cmd]; ok {
			return i
		}
		return -1
	}
	// At most indexFrom appends, all of them in the window.
	for i := len(st.recs) - 1; i >= 0; i-- {
		i = st.appendStart(i)
		if isFirstOf(st.recs[i].EventID, cmd) {
			return i
		}
	}
	return -1
}

// after returns the first record of the append stored right after
// sequence seq, or -1 when none was.
func (st *stream) after(seq uint64) int {
	lo, hi := 0, len(st.recs)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if st.recs[mid].Sequence <= seq {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == len(st.recs) {
		return -1
	}
	return lo
}

// added records that the append of command cmd starts at record first,
// keeping the dedupe index (built once the stream grows long) to the window.
func (st *stream) added(cmd string, first int) {
	n := st.appends
	st.appends++
	if st.index == nil {
		if st.appends > indexFrom {
			st.buildIndex()
		}
		return
	}
	ix := st.index
	if n < dedupeWindow {
		ix.ring = append(ix.ring, indexed{cmd, first})
	} else {
		// Append n-dedupeWindow leaves the window.
		slot := &ix.ring[n%dedupeWindow]
		if ix.first[slot.cmd] == slot.first {
			delete(ix.first, slot.cmd)
		}
		*slot = indexed{cmd, first}
	}
	ix.first[cmd] = first
}

// buildIndex indexes every append of the stream (there are fewer than
// dedupeWindow of them).
func (st *stream) buildIndex() {
	ix := &dedupeIndex{first: make(map[string]int, 2*indexFrom), ring: make([]indexed, 0, 2*indexFrom)}
	for i := 0; i < len(st.recs); i = st.appendEnd(i) {
		cmd := commandOf(&st.recs[i])
		ix.first[cmd] = i
		ix.ring = append(ix.ring, indexed{cmd, i})
	}
	st.index = ix
}

// result is the AppendResult of the append starting at record i. Its
// records are the stored ones: immutable, see es.AppendResult.
func (st *stream) result(i int, duplicate bool) es.AppendResult {
	end := st.appendEnd(i)
	last := &st.recs[end-1]
	return es.AppendResult{Sequence: last.Sequence, Version: last.Version, Records: st.recs[i:end:end], Duplicate: duplicate}
}
