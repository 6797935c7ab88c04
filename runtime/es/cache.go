package es

import (
	"math"
	"strings"
	"sync"
)

// stateCache keeps the states of recently used aggregates, keyed by id, up
// to a size. When it is full, a new entry replaces one chosen by the CLOCK
// algorithm (second chance): a hand sweeps the entries in a ring, clearing
// the mark each use sets, and replaces the first entry it finds unmarked,
// one not used since the hand last passed. That approximates least
// recently used without reordering anything on a hit, which costs a map
// lookup and one flag; the entries live in one slice, so once the cache is
// full, nothing allocates.
type stateCache[S any] struct {
	mu    sync.Mutex
	size  int
	byID  map[string]int32
	slots []cacheSlot[S]
	hand  int32 // next slot the hand looks at
	free  int32 // first free slot (linked by next), -1 when none
}

// cacheSlot is one entry, or a free slot.
type cacheSlot[S any] struct {
	inst Instance[S] // inst.ID is the key
	live bool        // holds an entry; false on the free list
	used bool        // used since the hand last passed
	next int32       // next free slot, on the free list
}

// presize is how many entries a cache makes room for when it is created:
// its size, up to this bound. A repository lives as long as its process, so
// the room is made once instead of growing with the first commands.
const presize = 4096

func newStateCache[S any](size int) *stateCache[S] {
	size = min(max(size, 0), math.MaxInt32)
	room := min(size, presize)
	return &stateCache[S]{size: size, byID: make(map[string]int32, room), slots: make([]cacheSlot[S], 0, room), free: -1}
}

// get returns the cached state of id and the slot holding it, and marks it
// used. The slot is a hint for put: it may hold another aggregate by then.
func (c *stateCache[S]) get(id string) (Instance[S], int32, bool) {
	c.mu.Lock()
	i, ok := c.byID[id]
	if !ok {
		c.mu.Unlock()
		return Instance[S]{}, -1, false
	}
	s := &c.slots[i]
	s.used = true
	inst := s.inst
	c.mu.Unlock()
	return inst, i, true
}

// has reports whether the cache holds a state of id, without marking it
// used.
func (c *stateCache[S]) has(id string) bool {
	c.mu.Lock()
	_, ok := c.byID[id]
	c.mu.Unlock()
	return ok
}

// put stores inst unless the cache already holds a newer state of the same
// aggregate (a concurrent command got there first), marks it used and
// returns its slot. hint is the slot get returned for id, or -1: when it
// still holds id, put needs no lookup.
func (c *stateCache[S]) put(id string, inst Instance[S], hint int32) int32 {
	if c.size <= 0 {
		return -1
	}
	c.mu.Lock()
	i := hint
	if i < 0 || int(i) >= len(c.slots) || !c.slots[i].live || c.slots[i].inst.ID != id {
		var ok bool
		if i, ok = c.byID[id]; !ok {
			i = c.insert(id, inst)
			c.mu.Unlock()
			return i
		}
	}
	s := &c.slots[i]
	if s.inst.Version <= inst.Version {
		key := s.inst.ID // the cache's copy of id
		s.inst = inst
		s.inst.ID = key
	}
	s.used = true
	c.mu.Unlock()
	return i
}

// insert adds id, which the cache does not hold, and returns its slot.
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
		i = c.evict()
	}
	// Unmarked: replaced first, unless used again before the hand comes.
	// The key is a copy: an id sliced from a larger string (a request's
	// body) would keep it alive while the state is cached.
	id = strings.Clone(id)
	inst.ID = id
	c.slots[i] = cacheSlot[S]{inst: inst, live: true}
	c.byID[id] = i
	return i
}

// evict frees the slot of the entry the hand chooses and returns it. The
// cache is full: every slot holds an entry.
func (c *stateCache[S]) evict() int32 {
	for {
		i := c.hand
		if c.hand++; int(c.hand) == len(c.slots) {
			c.hand = 0
		}
		s := &c.slots[i]
		if s.used {
			s.used = false // a second chance
			continue
		}
		delete(c.byID, s.inst.ID)
		return i
	}
}

// remove drops id from the cache.
func (c *stateCache[S]) remove(id string) {
	c.mu.Lock()
	if i, ok := c.byID[id]; ok {
		delete(c.byID, id)
		c.slots[i] = cacheSlot[S]{next: c.free} // lets the state be collected
		c.free = i
	}
	c.mu.Unlock()
}
