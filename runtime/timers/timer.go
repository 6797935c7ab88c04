package timers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"
)

// MaxPayload is the largest payload, in bytes, a timer may carry. A timer
// says what to do when it fires (a command's name, an input); the data it
// works on belongs in the instance's state.
const MaxPayload = 64 << 10

// ErrInvalidTimer: a timer that cannot be scheduled (an invalid key, no due
// time, a payload over MaxPayload). Nothing was scheduled.
var ErrInvalidTimer = errors.New("timers: invalid timer")

// Timer is one timer to arm.
type Timer struct {
	Key Key
	// Due is when the timer fires; a time already past fires at once.
	// It is kept to the nanosecond, in UTC.
	Due time.Time
	// Version is the version of the instance's state the timer was armed
	// in. It comes back with the firing, so that the handler can tell a
	// firing for a state the instance has since left (a stale firing) and
	// ignore it.
	Version uint64
	// Payload is handed back with the firing, as given (at most
	// MaxPayload bytes).
	Payload []byte
}

// Firing is a timer that fired, as a Handler receives it.
type Firing struct {
	Key     Key
	Due     time.Time // the timer's due time, in UTC
	Version uint64    // the timer's Version
	Payload []byte    // the timer's Payload; nil when it had none
	// Fired is when the timer fired: at or after Due.
	Fired time.Time
	// Delivery counts the deliveries of this firing, from 1: more than 1
	// after a handler failed or a runner stopped before it acknowledged.
	Delivery int
}

// Handler handles one firing. A nil return acknowledges it: it is never
// delivered again. An error has it delivered again after a backoff, until
// the handler returns nil. Deliveries are at least once: a process that
// stops between the handler's return and the acknowledgement has the
// firing delivered again, so handlers must be idempotent, which the
// firing's Version makes easy.
type Handler func(ctx context.Context, f Firing) error

// Timers arms, replaces and cancels durable timers and delivers their
// firings. *JetStream and *Memory implement it with the same semantics;
// the conformance suite in runtime/timers/timerstest pins them.
type Timers interface {
	// Schedule arms t. A timer armed under the same key is replaced: only
	// t fires. Scheduling a timer identical to the armed one (same key,
	// due time, version and payload) changes nothing: it fires once. A
	// timer that has fired is no longer armed: scheduling it again arms it
	// again. An error that is not ErrInvalidTimer leaves it unknown
	// whether t is armed; Schedule can always be called again.
	Schedule(ctx context.Context, t Timer) error
	// Cancel disarms the timer armed under k, if any. It does not take
	// back a firing already made: one being delivered, or waiting for a
	// handler, is still delivered (its Version tells it is stale).
	Cancel(ctx context.Context, k Key) error
	// Armed returns the timer armed under k, if any: from its Schedule
	// until it fires, or is replaced or cancelled.
	Armed(ctx context.Context, k Key) (Timer, bool, error)
	// Run delivers firings to h, one at a time, in the order the timers
	// fired, until ctx ends; then it returns nil. Firings made while no
	// runner runs wait for the next one.
	Run(ctx context.Context, h Handler) error
}

// normalize checks t and returns it with Due in UTC without a monotonic
// reading, as both implementations keep it.
func normalize(t Timer) (Timer, error) {
	if err := t.Key.Validate(); err != nil {
		return t, err
	}
	if t.Due.IsZero() {
		return t, fmt.Errorf("%w: timer %s has no due time", ErrInvalidTimer, t.Key)
	}
	t.Due = t.Due.Round(0).UTC()
	if y := t.Due.Year(); y < 1 || y > 9999 {
		return t, fmt.Errorf("%w: timer %s is due in year %d", ErrInvalidTimer, t.Key, y)
	}
	if len(t.Payload) > MaxPayload {
		return t, fmt.Errorf("%w: timer %s has a payload of %d bytes, at most %d allowed", ErrInvalidTimer, t.Key, len(t.Payload), MaxPayload)
	}
	return t, nil
}

// same reports whether a and b are the same timer.
func same(a, b Timer) bool {
	return a.Key == b.Key && a.Due.Equal(b.Due) && a.Version == b.Version && bytes.Equal(a.Payload, b.Payload)
}
