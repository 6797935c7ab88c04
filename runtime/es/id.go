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
