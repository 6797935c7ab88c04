package es

import (
	"math"
	"sync"
)

// stateCache is a bounded LRU of recent aggregate states, keyed by id. Its
// entries live in one slice, linked by index into a recency list, so that
// a hit costs a map lookup and a few index writes, and a new entry
// allocates nothing once the cache is full.
type stateCache[S any] struct {
	mu    sync.Mutex
	size  int
	byID  map[string]int32
	slots []cacheSlot[S]
	head  int32 // most recently used slot, -1 when empty
	tail  int32 // least recently used slot, -1 when empty
	free  int32 // first free slot (linked by next), -1 when none
}

// cacheSlot is one entry of the recency list (or of the free list).
type cacheSlot[S any] struct {
	inst       Instance[S] // inst.ID is the key; "" in a free slot
	prev, next int32
}

func newStateCache[S any](size int) *stateCache[S] {
	return &stateCache[S]{size: min(size, math.MaxInt32), byID: make(map[string]int32), head: -1, tail: -1, free: -1}
}

// get returns the cached state of id and the slot holding it, and marks it
// most recently used. The slot is a hint for put: it may hold another
// aggregate by then.
func (c *stateCache[S]) get(id string) (Instance[S], int32, bool) {
	c.mu.Lock()
	i, ok := c.byID[id]
	if !ok {
		c.mu.Unlock()
		return Instance[S]{}, -1, false
	}
	c.touch(i)
	inst := c.slots[i].inst
	c.mu.Unlock()
	return inst, i, true
}

// put stores inst unless the cache already holds a newer state of the same
// aggregate (a concurrent command got there first), marks it most recently
// used and returns its slot. A full cache drops its least recently used
// entry. hint is the slot get returned for id, or -1: when it still holds
// id, put needs no lookup.
func (c *stateCache[S]) put(id string, inst Instance[S], hint int32) int32 {
	if c.size <= 0 {
		return -1
	}
	c.mu.Lock()
	i := hint
	if i < 0 || int(i) >= len(c.slots) || c.slots[i].inst.ID != id {
		var ok bool
		if i, ok = c.byID[id]; !ok {
			i = c.insert(id, inst)
			c.mu.Unlock()
			return i
		}
	}
	if s := &c.slots[i]; s.inst.Version <= inst.Version {
		s.inst = inst
		s.inst.ID = id
	}
	c.touch(i)
	c.mu.Unlock()
	return i
}

// insert adds id, which the cache does not hold, as the most recently used
// entry, and returns its slot.
func (c *stateCache[S]) insert(id string, inst Instance[S]) int32 {
	var i int32
	switch {
	case c.free >= 0:
		i = c.free
		c.free = c.slots[i].next
	case len(c.slots) < c.size:
		i = int32(len(c.slots))
		c.slots = append(c.slots, cacheSlot[S]{})
	default:
		// Full: the least recently used entry makes room.
		i = c.tail
		c.unlink(i)
		delete(c.byID, c.slots[i].inst.ID)
	}
	inst.ID = id
	c.slots[i].inst = inst
	c.pushFront(i)
	c.byID[id] = i
	return i
}

// remove drops id from the cache.
func (c *stateCache[S]) remove(id string) {
	c.mu.Lock()
	if i, ok := c.byID[id]; ok {
		delete(c.byID, id)
		c.unlink(i)
		c.slots[i] = cacheSlot[S]{next: c.free} // lets the state be collected
		c.free = i
	}
	c.mu.Unlock()
}

// touch makes slot i the most recently used.
func (c *stateCache[S]) touch(i int32) {
	if c.head != i {
		c.unlink(i)
		c.pushFront(i)
	}
}

// pushFront links slot i in as the most recently used.
func (c *stateCache[S]) pushFront(i int32) {
	s := &c.slots[i]
	s.prev, s.next = -1, c.head
	if c.head >= 0 {
		c.slots[c.head].prev = i
	} else {
		c.tail = i
	}
	c.head = i
}

// unlink takes slot i out of the recency list.
func (c *stateCache[S]) unlink(i int32) {
	s := &c.slots[i]
	if s.prev >= 0 {
		c.slots[s.prev].next = s.next
	} else {
		c.head = s.next
	}
	if s.next >= 0 {
		c.slots[s.next].prev = s.prev
	} else {
		c.tail = s.prev
	}
	s.prev, s.next = -1, -1
}
