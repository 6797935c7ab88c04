package es

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxIDLength is the longest aggregate id, in bytes, that stores accept.
const MaxIDLength = 255

// ValidateID reports whether id can name an aggregate instance. Ids become
// one token of a NATS subject, so they must be non-empty, valid UTF-8, at
// most MaxIDLength bytes, and free of '.', '*', '>', spaces and control
// characters: any of those could address another aggregate's subject.
// The error matches ErrInvalidID.
func ValidateID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: empty", ErrInvalidID)
	}
	if len(id) > MaxIDLength {
		return fmt.Errorf("%w: %d bytes, at most %d allowed", ErrInvalidID, len(id), MaxIDLength)
	}
	if !utf8.ValidString(id) {
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrInvalidID, id)
	}
	for i, r := range id {
		switch {
		case r == '.' || r == '*' || r == '>':
			return fmt.Errorf("%w: %q has %q at byte %d", ErrInvalidID, id, r, i)
		case unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsPrint(r):
			return fmt.Errorf("%w: %q has a space or control character at byte %d", ErrInvalidID, id, i)
		}
	}
	return nil
}
