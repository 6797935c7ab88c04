package es

import (
	"container/list"
	"sync"
)

// stateCache is a bounded LRU of recent aggregate states, keyed by id.
type stateCache[S any] struct {
	mu    sync.Mutex
	size  int
	order *list.List // front = most recent; values are *cacheEntry[S]
	byID  map[string]*list.Element
}

type cacheEntry[S any] struct {
	id   string
	inst Instance[S]
}

func newStateCache[S any](size int) *stateCache[S] {
	return &stateCache[S]{size: size, order: list.New(), byID: make(map[string]*list.Element)}
}

func (c *stateCache[S]) get(id string) (Instance[S], bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byID[id]
	if !ok {
		return Instance[S]{}, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry[S]).inst, true
}

// put stores inst unless the cache already holds a newer state of the same
// aggregate (a concurrent command got there first).
func (c *stateCache[S]) put(id string, inst Instance[S]) {
	if c.size <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[id]; ok {
		e := el.Value.(*cacheEntry[S])
		if e.inst.Version <= inst.Version {
			e.inst = inst
		}
		c.order.MoveToFront(el)
		return
	}
	c.byID[id] = c.order.PushFront(&cacheEntry[S]{id: id, inst: inst})
	for c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byID, last.Value.(*cacheEntry[S]).id)
	}
}

func (c *stateCache[S]) remove(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[id]; ok {
		c.order.Remove(el)
		delete(c.byID, id)
	}
}
