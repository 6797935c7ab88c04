package es

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
)

// lanes lets one command at a time write to each aggregate of a process:
// a lane per aggregate id, which a command holds from its decision to its
// append, and a queue of the commands waiting for it, served in order.
// Commands on different aggregates never wait for each other. A lane is
// created when a command first asks for its id and kept while idle, so
// that the next command on the same aggregate costs a map lookup and no
// allocation; once idleLanes lanes are kept, the idle ones are removed
// (and their memory reused), so the table does not grow with the number
// of aggregates ever seen: it holds at most max(idleLanes, 2×busy) lanes,
// busy being those held or waited for.
type lanes struct {
	mu    sync.Mutex
	byID  map[string]*lane
	limit int     // the size at which adding a lane first removes the idle ones
	free  []*lane // removed lanes, for reuse
}

// idleLanes is how many lanes a table keeps before it removes idle ones.
const idleLanes = 1024

// laneChunk is how many lanes are allocated at once.
const laneChunk = 32

// lane is one aggregate's: whether a command holds it, and the commands
// waiting for it, first to last. Its state changes under the table's
// mutex, but for one change: a command releasing a lane nobody waits for
// frees it with a compare-and-swap, without the mutex.
type lane struct {
	state       atomic.Int32 // laneFree, laneHeld or laneQueued
	first, last *laneWaiter  // under the table's mutex
}

// The states of a lane.
const (
	laneFree   = 0
	laneHeld   = 1 // held, nobody waits
	laneQueued = 2 // held, and commands wait
)

// laneWaiter is a command waiting for a lane. ready is closed when the lane
// is handed to it (granted set).
type laneWaiter struct {
	ready      chan struct{}
	granted    bool
	prev, next *laneWaiter
}

// newLanes makes a table with room for idleLanes lanes: a Repository lives
// as long as its process, so the room is made once instead of growing
// with the first commands (as the state cache's).
func newLanes() *lanes {
	return &lanes{byID: make(map[string]*lane, idleLanes), limit: idleLanes}
}

// acquire returns the lane of id once the calling command holds it: at
// once when no command holds it, else when every command that asked for
// it before has released it. If ctx ends first, it returns ctx's error
// and the command holds nothing. The caller releases the lane.
func (t *lanes) acquire(ctx context.Context, id string) (*lane, error) {
	t.mu.Lock()
	l := t.byID[id]
	if l == nil {
		l = t.add(id)
	}
	// Under the mutex only a release without waiters changes the state,
	// from held to free.
	for {
		st := l.state.Load()
		if st == laneFree && l.state.CompareAndSwap(laneFree, laneHeld) {
			t.mu.Unlock()
			return l, nil
		}
		if st == laneQueued || (st == laneHeld && l.state.CompareAndSwap(laneHeld, laneQueued)) {
			break
		}
	}
	w := &laneWaiter{ready: make(chan struct{}), prev: l.last}
	if l.last != nil {
		l.last.next = w
	} else {
		l.first = w
	}
	l.last = w
	t.mu.Unlock()
	select {
	case <-w.ready:
		if err := ctx.Err(); err != nil {
			// Handed the lane as ctx ended: pass it on, do nothing.
			t.release(l)
			return nil, err
		}
		return l, nil
	case <-ctx.Done():
	}
	t.mu.Lock()
	granted := w.granted
	if !granted {
		l.unlink(w)
	}
	t.mu.Unlock()
	if granted {
		t.release(l)
	}
	return nil, ctx.Err()
}

// release lets the next waiting command have l, or frees it.
func (t *lanes) release(l *lane) {
	if l.state.CompareAndSwap(laneHeld, laneFree) {
		return
	}
	t.mu.Lock()
	if w := l.first; w != nil {
		l.unlink(w)
		w.granted = true
		close(w.ready)
	} else {
		// Its last waiter left as this release began.
		l.state.Store(laneFree)
	}
	t.mu.Unlock()
}

// unlink takes w out of l's queue; a lane whose queue empties is held, no
// longer queued.
func (l *lane) unlink(w *laneWaiter) {
	if w.prev != nil {
		w.prev.next = w.next
	} else {
		l.first = w.next
	}
	if w.next != nil {
		w.next.prev = w.prev
	} else {
		l.last = w.prev
	}
	w.prev, w.next = nil, nil
	if l.first == nil {
		l.state.Store(laneHeld)
	}
}

// add makes a lane for id, which has none, first removing the idle lanes
// if the table reached its limit.
func (t *lanes) add(id string) *lane {
	if len(t.byID) >= t.limit {
		t.removeIdle()
	}
	if len(t.free) == 0 {
		chunk := make([]lane, laneChunk)
		for i := range chunk {
			t.free = append(t.free, &chunk[i])
		}
	}
	l := t.free[len(t.free)-1]
	t.free = t.free[:len(t.free)-1]
	// A copy: an id sliced from a larger string (a request's body) would
	// keep it alive while the lane idles.
	t.byID[strings.Clone(id)] = l
	return l
}

// removeIdle removes the lanes no command holds or waits for (a lane
// someone waits for is held), keeping up to idleLanes of them for reuse.
func (t *lanes) removeIdle() {
	// A map does not shrink: after many lanes in use at once, the busy
	// ones move to a new map, so that the table's memory follows what it
	// holds.
	byID := t.byID
	if len(byID) > 2*idleLanes {
		t.byID = make(map[string]*lane, idleLanes)
	}
	for id, l := range byID {
		// A free lane stays free under the mutex: only acquire takes it.
		switch {
		case l.state.Load() != laneFree:
			t.byID[id] = l
		case len(t.free) < idleLanes:
			delete(byID, id)
			t.free = append(t.free, l)
		default:
			delete(byID, id)
		}
	}
	// Lanes in use stay: with many of them, remove less often, so that
	// removing stays proportional to adding.
	t.limit = max(idleLanes, 2*len(t.byID))
}
