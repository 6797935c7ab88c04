package es

import (
	"slices"
	"sync"
)

// requestPool recycles append requests: a Store keeps nothing of a request
// once Append returns (see Store.Append), so a Repository or Log needs no
// new one per command.
type requestPool struct{ pool sync.Pool }

// appendBuf is a reusable append request and its events' backing array.
type appendBuf struct {
	req    AppendRequest
	events []RawEvent
}

// get returns an empty request with room for n events in req.Events.
func (p *requestPool) get(n int) *appendBuf {
	b, ok := p.pool.Get().(*appendBuf)
	if !ok {
		b = new(appendBuf)
	}
	b.events = slices.Grow(b.events[:0], n)[:n]
	b.req.Events = b.events
	return b
}

// put clears b, so that the pool holds on to no payload or string, and
// returns it to the pool.
func (p *requestPool) put(b *appendBuf) {
	clear(b.events)
	b.req = AppendRequest{}
	p.pool.Put(b)
}
