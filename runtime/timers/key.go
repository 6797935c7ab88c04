package timers

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/esgen/esgen/runtime/es"
)

// Key identifies one timer of one instance: the instance's type and id (an
// aggregate's or a process manager's, as in es.Ref) and the timer's name.
// An instance has at most one armed timer per name.
//
// Each part becomes one token of a NATS subject on JetStream
// ("<prefix>.fire.<type>.<id>.<name>"), so each obeys the rules of
// es.ValidateID, the rules the event store applies to aggregate types and
// ids: non-empty, valid UTF-8, at most es.MaxIDLength bytes, without '.',
// '*', '>', whitespace or control characters. Any valid es.Ref therefore
// makes a valid key with any valid name, and no key can address another
// key's subjects. Keys are never escaped: the subjects an operator sees
// read as the key does.
type Key struct {
	Type string // instance type, e.g. "Order"
	ID   string // instance id, e.g. "o-42"
	Name string // timer name, e.g. "payment_timeout"
}

// String returns "<type>.<id>.<name>", the key as it appears in subjects;
// none of the parts can contain a '.', so the form is unambiguous.
func (k Key) String() string { return k.Type + "." + k.ID + "." + k.Name }

// Validate reports whether k can name a timer. The error matches
// es.ErrInvalidID and ErrInvalidTimer.
func (k Key) Validate() error {
	for _, p := range [...]struct{ what, s string }{{"type", k.Type}, {"id", k.ID}, {"name", k.Name}} {
		if err := validToken(p.s); err != "" {
			return fmt.Errorf("%w: %w: timer key %q: %s %s", ErrInvalidTimer, es.ErrInvalidID, k.String(), p.what, err)
		}
	}
	return nil
}

// validToken applies the rules of es.ValidateID to s and returns what is
// wrong with it, or "".
func validToken(s string) string {
	if s == "" {
		return "is empty"
	}
	if len(s) > es.MaxIDLength {
		return fmt.Sprintf("has %d bytes, at most %d allowed", len(s), es.MaxIDLength)
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '.' || c == '*' || c == '>' {
			ascii = false
			break
		}
	}
	if ascii {
		return ""
	}
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for i, r := range s {
		switch {
		case r == '.' || r == '*' || r == '>':
			return fmt.Sprintf("has %q at byte %d", r, i)
		case unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsPrint(r):
			return fmt.Sprintf("has a space or control character at byte %d", i)
		}
	}
	return ""
}
