package es

import (
	"encoding/binary"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxIDLength is the longest aggregate id, in bytes, that stores accept.
const MaxIDLength = 255

// MaxCommandIDLength is the longest command id, in bytes, that stores
// accept. A command's event ids are its id, '-' and the event's number
// (EventID), so they stay within MaxIDLength for any number of events a
// command can hold; on JetStream the id is part of each message's
// Nats-Msg-Id header ("<type>.<id>.<command id>", at most 712 bytes), which
// the server keeps for its duplicate window.
const MaxCommandIDLength = 200

// ValidateID reports whether id can name an aggregate instance. Ids become
// one token of a NATS subject, so they must be non-empty, valid UTF-8, at
// most MaxIDLength bytes, and free of '.', '*', '>', spaces and control
// characters: any of those could address another aggregate's subject.
// The error matches ErrInvalidID.
func ValidateID(id string) error {
	return validateToken("aggregate id", id)
}

// ValidateRef checks both parts of ref: its type and its id obey the rules
// of ValidateID, since each becomes one token of a NATS subject. The error
// matches ErrInvalidID.
func ValidateRef(ref Ref) error {
	if err := validateToken("aggregate type", ref.Type); err != nil {
		return err
	}
	return validateToken("aggregate id", ref.ID)
}

// validateToken applies the rules of ValidateID to s, naming it what.
func validateToken(what, id string) error {
	if id == "" {
		return fmt.Errorf("%w: empty %s", ErrInvalidID, what)
	}
	if len(id) > MaxIDLength {
		return fmt.Errorf("%w: %s of %d bytes, at most %d allowed", ErrInvalidID, what, len(id), MaxIDLength)
	}
	// Fast path: printable ASCII other than space, '.', '*' and '>'.
	ascii := true
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f || c == '.' || c == '*' || c == '>' {
			ascii = false
			break
		}
	}
	if ascii {
		return nil
	}
	if !utf8.ValidString(id) {
		return fmt.Errorf("%w: %s %q is not valid UTF-8", ErrInvalidID, what, id)
	}
	for i, r := range id {
		switch {
		case r == '.' || r == '*' || r == '>':
			return fmt.Errorf("%w: %s %q has %q at byte %d", ErrInvalidID, what, id, r, i)
		case unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsPrint(r):
			return fmt.Errorf("%w: %s %q has a space or control character at byte %d", ErrInvalidID, what, id, i)
		}
	}
	return nil
}

// ValidateCommandID reports whether id can identify a command. Stores and
// Repository.Handle (for WithCommandID) reject any other id with an error
// matching ErrInvalidCommandID, so that two ids a store could not keep
// apart never reach it (a JetStream client trims header values and turns
// CR and LF into spaces). A command id is non-empty, valid UTF-8, at most
// MaxCommandIDLength bytes, has no control characters (tab, CR, LF, NUL,
// DEL, ...) and neither begins nor ends with whitespace. Inner spaces and
// any other characters are allowed ("order 42/submit", "ünï", UUIDs).
func ValidateCommandID(id string) error {
	n := len(id)
	if n == 0 {
		return fmt.Errorf("%w: empty command id", ErrInvalidCommandID)
	}
	if n > MaxCommandIDLength {
		return fmt.Errorf("%w: command id of %d bytes, at most %d allowed", ErrInvalidCommandID, n, MaxCommandIDLength)
	}
	// Fast path: printable ASCII, no space at either end.
	if id[0] != ' ' && id[n-1] != ' ' && printableASCII(id) {
		return nil
	}
	if !utf8.ValidString(id) {
		return fmt.Errorf("%w: command id %q is not valid UTF-8", ErrInvalidCommandID, id)
	}
	for i, r := range id {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: command id %q has control character %U at byte %d", ErrInvalidCommandID, id, r, i)
		}
	}
	if r, _ := utf8.DecodeRuneInString(id); unicode.IsSpace(r) {
		return fmt.Errorf("%w: command id %q begins with whitespace", ErrInvalidCommandID, id)
	}
	if r, _ := utf8.DecodeLastRuneInString(id); unicode.IsSpace(r) {
		return fmt.Errorf("%w: command id %q ends with whitespace", ErrInvalidCommandID, id)
	}
	return nil
}

// printableASCII reports whether every byte of s, which is not empty, is
// printable ASCII (0x20 to 0x7e). It looks at eight bytes at once: every
// command carries an id, checked by its store.
func printableASCII(s string) bool {
	n := len(s)
	if n < 8 {
		for i := 0; i < n; i++ {
			if c := s[i]; c < ' ' || c > '~' {
				return false
			}
		}
		return true
	}
	for i := 0; i+8 <= n; i += 8 {
		if !printable8(binary.LittleEndian.Uint64([]byte(s[i : i+8]))) {
			return false
		}
	}
	return printable8(binary.LittleEndian.Uint64([]byte(s[n-8:])))
}

// printable8 reports whether the eight bytes of w are all printable ASCII:
// none has its high bit set, none is below 0x20 (subtracting 0x20 from it
// borrows), and none is 0x7f (adding 1 to it sets its high bit).
func printable8(w uint64) bool {
	const (
		high = 0x8080808080808080
		ones = 0x0101010101010101
	)
	return (w&high)|((w-0x20*ones)&^w&high)|((w+ones)&high) == 0
}
