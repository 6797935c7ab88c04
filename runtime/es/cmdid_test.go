package es

import (
	"slices"
	"strings"
	"testing"
)

// TestCommandIDs: build spells the command id (given, or numbered after
// the prefix in base 36) and its events' ids as EventID does, for any
// number of events.
func TestCommandIDs(t *testing.T) {
	ids := newCommandIDs()
	if len(ids.prefix) != 17 || !strings.HasSuffix(ids.prefix, "_") {
		t.Fatalf("prefix %q, want 16 characters and an underscore", ids.prefix)
	}
	for _, tc := range []struct {
		name   string
		cmd    string
		number uint64
		events int
		wantID string
	}{
		{"numbered, one event", "", 31, 1, ids.prefix + "v"},
		{"numbered, three events", "", 32, 3, ids.prefix + "10"},
		{"numbered, zero", "", 0, 1, ids.prefix + "0"},
		{"numbered, largest", "", 1<<64 - 1, 1, ids.prefix + "fvvvvvvvvvvvv"},
		{"given, one event", "order-7", 0, 1, "order-7"},
		{"given, twelve events", "c", 0, 12, "c"},
		{"given, no events", "c", 0, 0, "c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spelled, idLen := ids.build(tc.cmd, tc.number, tc.events)
			if got := spelled[:idLen]; got != tc.wantID {
				t.Errorf("id %q, want %q", got, tc.wantID)
			}
			got := make([]string, tc.events)
			split(spelled, idLen, got)
			want := make([]string, tc.events)
			for i := range want {
				want[i] = EventID(tc.wantID, i)
			}
			if !slices.Equal(got, want) {
				t.Errorf("event ids %q, want %q", got, want)
			}
		})
	}
	// Numbers are handed out once.
	if a, b := ids.reserve(), ids.reserve(); a == b {
		t.Errorf("number %d handed out twice", a)
	}
}
