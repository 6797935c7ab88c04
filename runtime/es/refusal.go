package es

import "errors"

// RefusalError marks an error that an aggregate's decision returned: the
// aggregate refused the command (an *InvalidTransitionError, or the
// decider's own business error), and nothing was stored for it.
// Repository.Handle returns a decision's error wrapped in one, so that a
// caller that sends commands on behalf of others (a process manager) can
// tell a refusal, which handling the same command again on the same state
// would repeat, from a failure of the store, which a retry may cure (see
// IsRefusal).
//
// It is transparent: its message is the decision's error's, and it
// unwraps to it, so errors.Is and errors.As find the decision's error
// (errors.Is(err, ErrInvalidTransition), errors.As(err, &business)) as
// they would without it.
type RefusalError struct {
	Ref Ref   // the aggregate that refused the command
	Err error // the decision's error
}

// Error returns the decision's error's message, unchanged.
func (e *RefusalError) Error() string { return e.Err.Error() }

// Unwrap returns the decision's error.
func (e *RefusalError) Unwrap() error { return e.Err }

// IsRefusal reports whether err says that an aggregate refused a command:
// whether a *RefusalError is in its chain. An error of Handle that joins
// a refusal with a failure to tell whether an earlier attempt of the
// command was stored is not a refusal: Handle then returns the decision's
// error without the mark, next to the store's.
func IsRefusal(err error) bool {
	var r *RefusalError
	return errors.As(err, &r)
}
