package es

import (
	"slices"
	"strings"
	"sync"
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

// TestCommandIDBlocks: a numbered command of one event gets its ids from a
// block spelled for 32 numbers, the same as spelled alone, at the edges of
// blocks and of the lengths of numbers too, in any order.
func TestCommandIDBlocks(t *testing.T) {
	ids := newCommandIDs()
	alone := func(n uint64) string { return ids.prefix + string(appendBase32(nil, n)) + "-1" }
	numbers := []uint64{1, 2, 31, 32, 33, 0, 1023, 1024, 1025, 32*32*32 - 1, 32 * 32 * 32, 5, 1<<64 - 1, 1<<64 - 32, 31}
	for n := range uint64(200) {
		numbers = append(numbers, n)
	}
	for _, n := range numbers {
		spelled, idLen := ids.build("", n, 1)
		if want := alone(n); spelled != want || idLen != len(want)-2 {
			t.Errorf("number %d: %q, id length %d; want %q, %d", n, spelled, idLen, want, len(want)-2)
		}
	}
}

// TestCommandIDsConcurrent: ids handed out to concurrent commands are
// unique and spelled right.
func TestCommandIDsConcurrent(t *testing.T) {
	ids := newCommandIDs()
	const workers, each = 4, 2000
	got := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				spelled, idLen := ids.build("", ids.reserve(), 1)
				if spelled[idLen:] != "-1" {
					t.Errorf("event id %q does not end the command id with -1", spelled)
				}
				got[w] = append(got[w], spelled)
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, list := range got {
		for _, id := range list {
			if seen[id] {
				t.Fatalf("id %q handed out twice", id)
			}
			seen[id] = true
		}
	}
}
