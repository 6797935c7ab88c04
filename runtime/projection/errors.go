package projection

import (
	"errors"
	"fmt"
)

var (
	// ErrRunning: Run was called on a projection that is already running.
	ErrRunning = errors.New("projection: already running")
	// ErrInvalidConfig: New was given a name or options it cannot use.
	ErrInvalidConfig = errors.New("projection: invalid configuration")
)

// BatchError reports a batch the projection could not complete: a message
// that did not decode, or a handler that failed. The batch is not
// acknowledged and is delivered again. It is what the projection logs; a
// Handler may also return one of its own.
type BatchError struct {
	Projection string
	// First and Last are the stream sequences of the batch's first and last
	// messages.
	First, Last uint64
	// Sequence is the stream sequence of the message that did not decode;
	// 0 when the handler failed.
	Sequence uint64
	Err      error
}

func (e *BatchError) Error() string {
	if e.Sequence != 0 {
		return fmt.Sprintf("projection %s: message %d (batch %d..%d): decode: %v", e.Projection, e.Sequence, e.First, e.Last, e.Err)
	}
	return fmt.Sprintf("projection %s: batch %d..%d: handler: %v", e.Projection, e.First, e.Last, e.Err)
}

// Unwrap returns the cause.
func (e *BatchError) Unwrap() error { return e.Err }
