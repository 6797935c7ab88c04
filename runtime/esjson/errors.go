package esjson

import "strconv"

// Error reports input that is not valid JSON, or a JSON value that does not
// fit the Go type being read, at a byte offset of the input.
type Error struct {
	// Offset is the byte offset of the input where the problem was found.
	Offset int
	// Msg says what was expected or what is wrong.
	Msg string
	// Err is the underlying cause when there is one (a failed
	// encoding/json fallback, a time that does not parse), else nil.
	Err error
}

// Error returns the offset, the message and the cause, if any.
func (e *Error) Error() string {
	s := "json: offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }
