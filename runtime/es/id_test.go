package es_test

import (
	"errors"
	"strconv"
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

func TestValidateCommandID(t *testing.T) {
	const pre = "es: invalid command id: "
	for _, tc := range []struct {
		id, want string
	}{
		{"c-1", ""},
		{"order 42/submit", ""},
		{"ünï cödé", ""},
		{"a\u200bb", ""},
		{"q3v9Xk0B-7mZcT2a_1f", ""},
		{"8a1c2b3d-0000-4000-8000-0123456789ab", ""},
		{strings.Repeat("x", es.MaxCommandIDLength), ""},
		{"", pre + "empty command id"},
		{strings.Repeat("x", es.MaxCommandIDLength+1), pre + "command id of 201 bytes, at most 200 allowed"},
		{strings.Repeat("x", 100<<10), pre + "command id of 102400 bytes, at most 200 allowed"},
		{"c1 ", pre + `command id "c1 " ends with whitespace`},
		{" c1", pre + `command id " c1" begins with whitespace`},
		{"c1\u00a0", pre + `command id "c1\u00a0" ends with whitespace`},
		{"\u2003c1", pre + `command id "\u2003c1" begins with whitespace`},
		{"c1\r", pre + `command id "c1\r" has control character U+000D at byte 2`},
		{"c1\n", pre + `command id "c1\n" has control character U+000A at byte 2`},
		{"c\t1", pre + `command id "c\t1" has control character U+0009 at byte 1`},
		{"\x00", pre + `command id "\x00" has control character U+0000 at byte 0`},
		{"c\x7f", pre + `command id "c\x7f" has control character U+007F at byte 1`},
		{"c\u0085", pre + `command id "c\u0085" has control character U+0085 at byte 1`},
		{"c\xff1", pre + `command id "c\xff1" is not valid UTF-8`},
	} {
		err := es.ValidateCommandID(tc.id)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("ValidateCommandID(%q) = %v, want nil", tc.id, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want || !errors.Is(err, es.ErrInvalidCommandID)):
			t.Errorf("ValidateCommandID(%.40q) = %v, want %q matching es.ErrInvalidCommandID", tc.id, err, tc.want)
		}
	}
}

// TestValidateCommandIDBytes: every byte value at every position of ids
// of 1 to 20 bytes is accepted exactly when it is printable ASCII (but a
// space at either end), or part of a valid non-control character: the
// fast path that checks eight bytes at once agrees with the rules.
func TestValidateCommandIDBytes(t *testing.T) {
	for n := 1; n <= 20; n++ {
		for pos := range n {
			for c := range 256 {
				b := []byte(strings.Repeat("a", n))
				b[pos] = byte(c)
				printable := c >= ' ' && c < 0x7f && !(c == ' ' && (pos == 0 || pos == n-1))
				if err := es.ValidateCommandID(string(b)); (err == nil) != printable {
					t.Fatalf("ValidateCommandID(%q) = %v, want ok %t", b, err, printable)
				}
			}
		}
	}
}

func BenchmarkValidateCommandID(b *testing.B) {
	for _, id := range []string{"IguO5IQwWgtoAvZE_1f", "8a1c2b3d-0000-4000-8000-0123456789ab", "c-1"} {
		b.Run(strconv.Itoa(len(id)), func(b *testing.B) {
			for b.Loop() {
				if es.ValidateCommandID(id) != nil {
					b.Fatal(id)
				}
			}
		})
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

func TestCommandIDOf(t *testing.T) {
	for _, id := range []string{"submit-order-21", "c", "Lending.l-2.in:Loan.l-2.x-1-1.1"} {
		for i := range 3 {
			if got := es.CommandIDOf(es.EventID(id, i)); got != id {
				t.Errorf("CommandIDOf(EventID(%q, %d)) = %q", id, i, got)
			}
		}
	}
}
