package process

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// stepRecord is what a runner knows of one stored step of an instance.
type stepRecord struct {
	inputID     string // the step's command id: which input it handled
	eventID     string
	version     uint64
	time        time.Time
	correlation string
	traceparent string
	from, to    string
	sends       []Send
	// settled[i] says that this runner knows send i done: dispatched, or
	// refused and the refusal handled or reported. Not stored: after a
	// restart every send of a step delivered again is checked with
	// Definition.Sent.
	settled []bool
}

// instance is what a runner knows of one process instance.
type instance struct {
	id   string
	lock chan struct{} // held while an input of the instance is handled

	// The fields below are guarded by lock.
	loaded bool // steps hold every step stored, from version 1
	steps  []*stepRecord
	inputs map[string]*stepRecord // by input id

	// Guarded by the cache's mutex.
	refs int
	elem *list.Element // in the cache's idle list, when refs is 0
}

// reset forgets every step known.
func (e *instance) reset() {
	e.loaded, e.steps, e.inputs = false, nil, nil
}

// add records a step stored after those known.
func (e *instance) add(s *stepRecord) {
	if e.inputs == nil {
		e.inputs = make(map[string]*stepRecord)
	}
	e.steps = append(e.steps, s)
	if _, ok := e.inputs[s.inputID]; !ok {
		e.inputs[s.inputID] = s
	}
}

// version is the version of the newest step known.
func (e *instance) version() uint64 { return uint64(len(e.steps)) }

// instances holds the runner's instances: those in use, and up to size
// idle ones, the least recently used dropped first.
type instances struct {
	mu   sync.Mutex
	byID map[string]*instance
	idle *list.List // idle instances, least recently used first
	size int
}

func newInstances(size int) *instances {
	return &instances{byID: make(map[string]*instance), idle: list.New(), size: size}
}

// acquire returns instance id with its lock held, waiting for the input
// being handled, if any; it fails when ctx ends first.
func (c *instances) acquire(ctx context.Context, id string) (*instance, error) {
	c.mu.Lock()
	e := c.byID[id]
	if e == nil {
		e = &instance{id: id, lock: make(chan struct{}, 1)}
		c.byID[id] = e
	} else if e.elem != nil {
		c.idle.Remove(e.elem)
		e.elem = nil
	}
	e.refs++
	c.mu.Unlock()
	select {
	case e.lock <- struct{}{}:
		return e, nil
	case <-ctx.Done():
		c.unref(e)
		return nil, ctx.Err()
	}
}

// release gives back an instance acquire returned.
func (c *instances) release(e *instance) {
	<-e.lock
	c.unref(e)
}

func (c *instances) unref(e *instance) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.refs--; e.refs > 0 {
		return
	}
	e.elem = c.idle.PushBack(e)
	for c.idle.Len() > c.size {
		old := c.idle.Remove(c.idle.Front()).(*instance)
		old.elem = nil
		delete(c.byID, old.id)
	}
}
