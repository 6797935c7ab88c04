package es_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/es"
)

func TestValidateID(t *testing.T) {
	for _, tc := range []struct {
		id, want string
	}{
		{"o-1", ""},
		{"ünï/cödé:1#2", ""},
		{`"quoted"\`, ""},
		{strings.Repeat("x", es.MaxIDLength), ""},
		{"", "es: invalid aggregate id: empty aggregate id"},
		{"a.b", `es: invalid aggregate id: aggregate id "a.b" has '.' at byte 1`},
		{"*", `es: invalid aggregate id: aggregate id "*" has '*' at byte 0`},
		{"a>", `es: invalid aggregate id: aggregate id "a>" has '>' at byte 1`},
		{"a b", `es: invalid aggregate id: aggregate id "a b" has a space or control character at byte 1`},
		{"a\u00a0b", `es: invalid aggregate id: aggregate id "a\u00a0b" has a space or control character at byte 1`},
		{"\x7f", `es: invalid aggregate id: aggregate id "\x7f" has a space or control character at byte 0`},
		{"a\u200bb", `es: invalid aggregate id: aggregate id "a\u200bb" has a space or control character at byte 1`},
		{"a\xffb", `es: invalid aggregate id: aggregate id "a\xffb" is not valid UTF-8`},
		{strings.Repeat("x", es.MaxIDLength+1), "es: invalid aggregate id: aggregate id of 256 bytes, at most 255 allowed"},
	} {
		err := es.ValidateID(tc.id)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("ValidateID(%q) = %v, want nil", tc.id, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want || !errors.Is(err, es.ErrInvalidID)):
			t.Errorf("ValidateID(%q) = %v, want %q matching es.ErrInvalidID", tc.id, err, tc.want)
		}
	}
	if err := es.ValidateRef(es.Ref{Type: "Or der", ID: "x"}); err == nil || err.Error() != `es: invalid aggregate id: aggregate type "Or der" has a space or control character at byte 2` {
		t.Errorf("ValidateRef with a bad type = %v", err)
	}
	if err := es.ValidateRef(es.Ref{Type: "Order", ID: "x"}); err != nil {
		t.Errorf("ValidateRef(Order x) = %v", err)
	}
}

func TestErrorMessages(t *testing.T) {
	cause := errors.New("wrong last sequence")
	for _, tc := range []struct {
		err    error
		want   string
		target error
	}{
		{&es.InvalidTransitionError{Aggregate: "Order", State: "Draft", Command: "Fulfill"}, "Order: command Fulfill is not allowed in state Draft", es.ErrInvalidTransition},
		{&es.InvalidTransitionError{Aggregate: "Order", State: "Draft", Command: "ValidatePayment", Branch: "Validated"},
			"Order: command ValidatePayment in state Draft cannot take the branch to Validated: it does not start in Draft", es.ErrInvalidTransition},
		{&es.InvalidEvolutionError{Aggregate: "Order", State: "Draft", Event: "OrderFulfilled"}, "Order: event OrderFulfilled does not apply to state Draft", es.ErrInvalidEvolution},
		{&es.ConflictError{Ref: es.Ref{Type: "Order", ID: "o-1"}, ExpectedSequence: 7}, `Order "o-1": concurrency conflict: expected last sequence 7`, es.ErrConflict},
		{&es.ConflictError{Ref: es.Ref{Type: "Order", ID: "o-1"}, ExpectedSequence: 7, Err: cause}, `Order "o-1": concurrency conflict: expected last sequence 7: wrong last sequence`, cause},
		{&es.DecodeError{EventType: "OrderSubmitted", SchemaVersion: 3, Err: es.ErrUnknownSchemaVersion}, "decode OrderSubmitted v3: es: unknown schema version", es.ErrUnknownSchemaVersion},
	} {
		if tc.err.Error() != tc.want {
			t.Errorf("message %q, want %q", tc.err, tc.want)
		}
		if !errors.Is(tc.err, tc.target) {
			t.Errorf("%v does not match %v", tc.err, tc.target)
		}
	}
	if errors.Is(&es.ConflictError{}, es.ErrInvalidTransition) || errors.Is(&es.InvalidTransitionError{}, es.ErrConflict) {
		t.Error("typed errors match the wrong sentinels")
	}
}
