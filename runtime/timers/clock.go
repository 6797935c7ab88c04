package timers

import (
	"container/heap"
	"sync"
	"time"
)

// Clock is the time source of the in-memory timers: SystemClock in a
// program, a ManualClock in a test.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f once, when d has passed, unless stop is called
	// first; stop reports whether it prevented the call.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// SystemClock returns the clock of the operating system.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// ManualClock is a Clock that moves only when a test moves it. Its
// functions (AfterFunc) run in the goroutine of Advance, one at a time,
// in the order of their times (in the order they were registered for the
// same time), and each runs with the clock reading its time. With
// in-memory timers, Advance returns once every timer due by the new time
// has fired and its firing has been handled by the running runners (see
// Memory). Its methods are safe for concurrent use; a function it runs
// must not call Advance.
type ManualClock struct {
	advancing sync.Mutex // one Advance at a time

	mu    sync.Mutex
	now   time.Time
	seq   uint64
	funcs funcHeap
}

// NewManualClock returns a clock reading start.
func NewManualClock(start time.Time) *ManualClock { return &ManualClock{now: start} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc registers f to run when the clock reaches Now()+d; with d <= 0,
// at the next Advance.
func (c *ManualClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	e := &clockFunc{at: c.now.Add(d), seq: c.seq, f: f}
	heap.Push(&c.funcs, e)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if e.index < 0 {
			return false
		}
		heap.Remove(&c.funcs, e.index)
		return true
	}
}

// Advance moves the clock forward by d (not at all when d <= 0), running
// every function due by the new time on its way, each at its own time,
// including functions that those register.
func (c *ManualClock) Advance(d time.Duration) {
	c.advancing.Lock()
	defer c.advancing.Unlock()
	c.mu.Lock()
	target := c.now.Add(max(d, 0))
	c.mu.Unlock()
	for {
		c.mu.Lock()
		if len(c.funcs) == 0 || c.funcs[0].at.After(target) {
			c.now = target
			c.mu.Unlock()
			return
		}
		e := heap.Pop(&c.funcs).(*clockFunc)
		if e.at.After(c.now) {
			c.now = e.at
		}
		c.mu.Unlock()
		e.f()
	}
}

// clockFunc is a function registered with a ManualClock.
type clockFunc struct {
	at    time.Time
	seq   uint64
	f     func()
	index int // in the heap; -1 once popped or removed
}

type funcHeap []*clockFunc

func (h funcHeap) Len() int { return len(h) }
func (h funcHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h funcHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *funcHeap) Push(x any) {
	e := x.(*clockFunc)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *funcHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	e.index = -1
	*h = old[:len(old)-1]
	return e
}
