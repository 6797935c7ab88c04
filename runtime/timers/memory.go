package timers

import (
	"container/heap"
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Memory is the in-memory implementation of Timers, for tests of
// aggregates and process managers and for programs that need no
// durability. It has the JetStream implementation's semantics, checked by
// the same conformance suite, on a Clock the caller chooses: with a
// ManualClock, time moves only when the test calls Advance, and timers
// fire deterministically in the order of their due times (those due at
// the same time in the order they were scheduled), each at its due time
// exactly.
//
// While at least one Run is running, a ManualClock's Advance returns only
// once every firing it caused has been handled (or has failed and waits
// for its retry, which a later point of the same Advance may reach), as
// have the firings of timers the handlers scheduled due by then. So a test
// reads:
//
//	clock := timers.NewManualClock(start)
//	tm := timers.NewMemory(clock)
//	go tm.Run(ctx, handler)
//	clock.Advance(31 * time.Minute) // the 30-minute timer has fired and been handled
//
// A firing whose handler fails is delivered again after the backoff
// (WithRetryBackoff), measured on the clock. Its methods are safe for
// concurrent use.
type Memory struct {
	clock Clock
	o     options

	mu       sync.Mutex
	cond     *sync.Cond // broadcast whenever ready, inflight or runners change
	seq      uint64
	armed    map[Key]*armedTimer
	due      armedHeap   // armed timers by due time, then scheduling order
	retries  retryHeap   // failed deliveries by the time of their next attempt
	ready    []*delivery // deliveries that can be handed out, in order
	inflight int         // deliveries in a handler
	runners  int         // running Runs

	wakeGen  uint64      // generation of the registered clock wake
	wakeAt   time.Time   // when it wakes; zero with none
	stopWake func() bool // stops it; nil with none
}

var _ Timers = (*Memory)(nil)

// NewMemory returns in-memory timers on clock (SystemClock when nil).
// Of the options, WithRetryBackoff and WithLogger apply.
func NewMemory(clock Clock, opts ...Option) (*Memory, error) {
	o := newOptions(opts)
	if err := o.validateBackoff(); err != nil {
		return nil, err
	}
	if clock == nil {
		clock = SystemClock()
	}
	m := &Memory{clock: clock, o: o, armed: make(map[Key]*armedTimer)}
	m.cond = sync.NewCond(&m.mu)
	return m, nil
}

// armedTimer is a scheduled timer that has not fired.
type armedTimer struct {
	t     Timer
	seq   uint64
	index int
}

// delivery is a firing waiting for, or in, a handler.
type delivery struct {
	f         Firing // Delivery unset
	attempts  int    // handed to a handler
	failures  int    // handlers that returned an error
	notBefore time.Time
	seq       uint64
	index     int
}

// Schedule arms t; see Timers.
func (m *Memory) Schedule(ctx context.Context, t Timer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t, err := normalize(t)
	if err != nil {
		return err
	}
	t.Payload = clonePayload(t.Payload)
	m.mu.Lock()
	defer m.mu.Unlock()
	if a, ok := m.armed[t.Key]; ok {
		if same(a.t, t) {
			return nil
		}
		m.disarm(a)
	}
	now := m.clock.Now()
	if !t.Due.After(now) {
		m.fire(t, now)
		m.cond.Broadcast()
		return nil
	}
	m.seq++
	a := &armedTimer{t: t, seq: m.seq}
	heap.Push(&m.due, a)
	m.armed[t.Key] = a
	m.rewake(now)
	return nil
}

// Cancel disarms the timer armed under k; see Timers.
func (m *Memory) Cancel(ctx context.Context, k Key) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := k.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if a, ok := m.armed[k]; ok {
		m.disarm(a)
		m.rewake(m.clock.Now())
	}
	return nil
}

// Armed returns the timer armed under k, if any; see Timers.
func (m *Memory) Armed(ctx context.Context, k Key) (Timer, bool, error) {
	if err := ctx.Err(); err != nil {
		return Timer{}, false, err
	}
	if err := k.Validate(); err != nil {
		return Timer{}, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.armed[k]
	if !ok {
		return Timer{}, false, nil
	}
	t := a.t
	t.Payload = clonePayload(t.Payload)
	return t, true, nil
}

// Run delivers firings to h until ctx ends; see Timers. Several Runs share
// the firings.
func (m *Memory) Run(ctx context.Context, h Handler) error {
	if h == nil {
		return errors.New("timers: Run: nil handler")
	}
	m.mu.Lock()
	m.runners++
	m.mu.Unlock()
	stop := context.AfterFunc(ctx, func() {
		m.mu.Lock()
		m.cond.Broadcast()
		m.mu.Unlock()
	})
	defer stop()
	defer func() {
		m.mu.Lock()
		m.runners--
		m.cond.Broadcast()
		m.mu.Unlock()
	}()
	for {
		m.mu.Lock()
		for len(m.ready) == 0 && ctx.Err() == nil {
			m.cond.Wait()
		}
		if ctx.Err() != nil {
			m.mu.Unlock()
			return nil
		}
		d := m.ready[0]
		m.ready[0] = nil
		m.ready = m.ready[1:]
		d.attempts++
		m.inflight++
		f := d.f
		f.Delivery = d.attempts
		f.Payload = clonePayload(f.Payload) // the handler's to keep
		m.mu.Unlock()

		err := h(ctx, f)

		m.mu.Lock()
		m.inflight--
		switch {
		case err == nil:
		case ctx.Err() != nil:
			// Stopped: the next Run gets it first.
			m.ready = slices.Insert(m.ready, 0, d)
		default:
			d.failures++
			now := m.clock.Now()
			wait := m.o.retryDelay(d.failures)
			d.notBefore = now.Add(wait)
			heap.Push(&m.retries, d)
			m.rewake(now)
			m.o.log.LogAttrs(ctx, slog.LevelError, "timer handler failed",
				slog.String("timer", f.Key.String()), slog.Uint64("version", f.Version),
				slog.Int("delivery", f.Delivery), slog.Duration("retry_in", wait), slog.Any("error", err))
		}
		m.cond.Broadcast()
		m.mu.Unlock()
	}
}

// disarm removes a from the armed timers. m.mu is held.
func (m *Memory) disarm(a *armedTimer) {
	heap.Remove(&m.due, a.index)
	delete(m.armed, a.t.Key)
}

// fire queues the firing of t at now. m.mu is held.
func (m *Memory) fire(t Timer, now time.Time) {
	m.seq++
	m.ready = append(m.ready, &delivery{
		f:   Firing{Key: t.Key, Due: t.Due, Version: t.Version, Payload: t.Payload, Fired: now},
		seq: m.seq,
	})
}

// rewake makes the clock call tick when the earliest armed timer is due or
// the earliest retry may be delivered. m.mu is held.
func (m *Memory) rewake(now time.Time) {
	var next time.Time
	if len(m.due) > 0 {
		next = m.due[0].t.Due
	}
	if len(m.retries) > 0 && (next.IsZero() || m.retries[0].notBefore.Before(next)) {
		next = m.retries[0].notBefore
	}
	if m.stopWake != nil {
		if next.Equal(m.wakeAt) {
			return
		}
		m.stopWake()
		m.stopWake, m.wakeAt = nil, time.Time{}
	}
	if next.IsZero() {
		return
	}
	m.wakeGen++
	gen := m.wakeGen
	m.wakeAt = next
	m.stopWake = m.clock.AfterFunc(next.Sub(now), func() { m.tick(gen) })
}

// tick fires the timers due and readies the retries due, in the order of
// their times, and waits until the running runners have handled them.
func (m *Memory) tick(gen uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if gen == m.wakeGen {
		m.stopWake, m.wakeAt = nil, time.Time{}
	}
	now := m.clock.Now()
	for {
		timerDue := len(m.due) > 0 && !m.due[0].t.Due.After(now)
		retryDue := len(m.retries) > 0 && !m.retries[0].notBefore.After(now)
		switch {
		case retryDue && (!timerDue || !m.due[0].t.Due.Before(m.retries[0].notBefore)):
			m.ready = append(m.ready, heap.Pop(&m.retries).(*delivery))
		case timerDue:
			a := heap.Pop(&m.due).(*armedTimer)
			delete(m.armed, a.t.Key)
			m.fire(a.t, now)
		}
		if !timerDue && !retryDue {
			break
		}
	}
	m.rewake(now)
	m.cond.Broadcast()
	for m.runners > 0 && (len(m.ready) > 0 || m.inflight > 0) {
		m.cond.Wait()
	}
}

func clonePayload(p []byte) []byte {
	if len(p) == 0 {
		return nil
	}
	return slices.Clone(p)
}

type armedHeap []*armedTimer

func (h armedHeap) Len() int { return len(h) }
func (h armedHeap) Less(i, j int) bool {
	if !h[i].t.Due.Equal(h[j].t.Due) {
		return h[i].t.Due.Before(h[j].t.Due)
	}
	return h[i].seq < h[j].seq
}
func (h armedHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *armedHeap) Push(x any) {
	a := x.(*armedTimer)
	a.index = len(*h)
	*h = append(*h, a)
}
func (h *armedHeap) Pop() any {
	old := *h
	a := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return a
}

type retryHeap []*delivery

func (h retryHeap) Len() int { return len(h) }
func (h retryHeap) Less(i, j int) bool {
	if !h[i].notBefore.Equal(h[j].notBefore) {
		return h[i].notBefore.Before(h[j].notBefore)
	}
	return h[i].seq < h[j].seq
}
func (h retryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *retryHeap) Push(x any) {
	d := x.(*delivery)
	d.index = len(*h)
	*h = append(*h, d)
}
func (h *retryHeap) Pop() any {
	old := *h
	d := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return d
}
