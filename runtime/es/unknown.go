package es

import (
	"strings"
	"sync"
	"sync/atomic"
)

// maxUnknownOutcomes bounds the commands whose unknown outcome a
// Repository (or Log) remembers.
const maxUnknownOutcomes = 1024

// unknownOutcomes remembers, for the newest maxUnknownOutcomes commands
// whose append had an unknown outcome (ErrOutcomeUnknown), the instance
// each was decided on (for a Log, the position it appended at), keyed by
// aggregate id and command id. A retry of such a command with its id is
// decided on that instance and appended with its expected sequence: the
// store then finds the command right after that sequence if it was
// stored, at any age (see Store), or refuses the append with a conflict
// if another message took its place, after which the command can never be
// stored and is handled as a new one. A retry decided on the newest state
// instead would be recognised only within the store's dedupe window.
//
// The zero value is empty and ready to use; entries are made only when an
// outcome is unknown, so it costs a command nothing otherwise.
type unknownOutcomes[S any] struct {
	n  atomic.Int32 // entries, read without the mutex
	mu sync.Mutex
	m  map[outcomeKey]unknownOutcome[S]
	// ring holds the keys in the order they were remembered; an entry
	// is forgotten when its slot is reused.
	ring []outcomeKey
	next int // the slot to reuse next, once ring is full
}

// outcomeKey names one command of one aggregate.
type outcomeKey struct{ id, commandID string }

type unknownOutcome[S any] struct {
	inst Instance[S]
	slot int // its key's slot in the ring
}

// get returns the instance command commandID of aggregate id was decided
// on, if its outcome is unknown.
func (u *unknownOutcomes[S]) get(id, commandID string) (Instance[S], bool) {
	if u.n.Load() == 0 {
		return Instance[S]{}, false
	}
	u.mu.Lock()
	e, ok := u.m[outcomeKey{id, commandID}]
	u.mu.Unlock()
	return e.inst, ok
}

// put remembers that the outcome of command commandID of aggregate id,
// decided on inst, is unknown, forgetting the oldest entry when full.
// The keys are copies: an id sliced from a larger string (a request's
// body) does not keep it alive.
func (u *unknownOutcomes[S]) put(id, commandID string, inst Instance[S]) {
	u.mu.Lock()
	defer u.mu.Unlock()
	k := outcomeKey{id, commandID}
	if e, ok := u.m[k]; ok {
		e.inst = inst
		u.m[k] = e
		return
	}
	if u.m == nil {
		u.m = make(map[outcomeKey]unknownOutcome[S])
	}
	k = outcomeKey{strings.Clone(id), strings.Clone(commandID)}
	inst.ID = k.id
	slot := len(u.ring)
	if slot < maxUnknownOutcomes {
		u.ring = append(u.ring, k)
	} else {
		slot = u.next
		u.next = (u.next + 1) % maxUnknownOutcomes
		if old := u.ring[slot]; u.m[old].slot == slot {
			// Still remembered from this slot: neither forgotten since
			// (a missing key is a no-op) nor remembered again elsewhere.
			delete(u.m, old)
		}
		u.ring[slot] = k
	}
	u.m[k] = unknownOutcome[S]{inst: inst, slot: slot}
	u.n.Store(int32(len(u.m)))
}

// remove forgets command commandID of aggregate id: its outcome is known.
func (u *unknownOutcomes[S]) remove(id, commandID string) {
	if u.n.Load() == 0 {
		return
	}
	u.mu.Lock()
	delete(u.m, outcomeKey{id, commandID})
	u.n.Store(int32(len(u.m)))
	u.mu.Unlock()
}

// decidedBefore returns the instance a command with the caller's id (o)
// was decided on when its outcome is unknown.
func (r *Repository[S, C, E]) decidedBefore(id string, o *handleOptions) (Instance[S], bool) {
	if o.number != 0 { // an id made up for this call: never attempted before
		return Instance[S]{}, false
	}
	return r.unknown.get(id, o.commandID)
}
