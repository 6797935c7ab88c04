package es

import (
	"strings"
	"sync"
	"testing"
)

// TestCommandIDs: an id is the prefix and its number in base 32, the same
// whether spelled from a block or alone, at the edges of blocks and of the
// lengths of numbers too, in any order; numbers are handed out once.
func TestCommandIDs(t *testing.T) {
	ids := newCommandIDs()
	if len(ids.prefix) != 17 || !strings.HasSuffix(ids.prefix, "_") {
		t.Fatalf("prefix %q, want 16 characters and an underscore", ids.prefix)
	}
	for _, tc := range []struct {
		number uint64
		want   string
	}{
		{31, "v"}, {32, "10"}, {0, "0"}, {1<<64 - 1, "fvvvvvvvvvvvv"}, {33, "11"}, {1023, "vv"}, {1024, "100"},
	} {
		if got := ids.spell(tc.number); got != ids.prefix+tc.want {
			t.Errorf("spell(%d) = %q, want %q", tc.number, got, ids.prefix+tc.want)
		}
	}
	alone := func(n uint64) string { return ids.prefix + string(appendBase32(nil, n)) }
	numbers := []uint64{1, 2, 31, 32, 33, 0, 1023, 1024, 1025, 32*32*32 - 1, 32 * 32 * 32, 5, 1<<64 - 1, 1<<64 - 32, 31}
	for n := range uint64(200) {
		numbers = append(numbers, n)
	}
	for _, n := range numbers {
		if got, want := ids.spell(n), alone(n); got != want {
			t.Errorf("number %d: %q, want %q", n, got, want)
		}
	}
	if a, b := ids.reserve(), ids.reserve(); a == b {
		t.Errorf("number %d handed out twice", a)
	}
}

// TestCommandIDsConcurrent: ids handed out to concurrent commands are
// unique.
func TestCommandIDsConcurrent(t *testing.T) {
	ids := newCommandIDs()
	const workers, each = 4, 2000
	got := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				got[w] = append(got[w], ids.spell(ids.reserve()))
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
