package es

import (
	"slices"
	"sync"
)

// requestPool recycles append requests: a Store keeps nothing of a request
// once Append returns (see Store.Append), so a Repository or Log needs no
// new one per command.
type requestPool struct{ pool sync.Pool }

// appendBuf is a reusable append request and the backing arrays of its
// events and their ids.
type appendBuf struct {
	req    AppendRequest
	events []RawEvent
	ids    []string
}

// get returns a request with room for n events in req.Events and n ids in
// req.EventIDs. Its fields hold what the previous command set: the caller
// sets every one.
func (p *requestPool) get(n int) *appendBuf {
	b, ok := p.pool.Get().(*appendBuf)
	if !ok {
		b = new(appendBuf)
	}
	b.events = slices.Grow(b.events[:0], n)[:n]
	b.ids = slices.Grow(b.ids[:0], n)[:n]
	b.req.Events = b.events
	b.req.EventIDs = b.ids
	return b
}

// put returns b to the pool. It is not cleared: what it still refers to
// (the last command's ids and payloads) stays reachable only until the
// request is reused, or until the pool drops it at a garbage collection.
func (p *requestPool) put(b *appendBuf) { p.pool.Put(b) }
