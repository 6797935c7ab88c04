package esjson

import (
	"slices"
	"testing"
)

func TestSortedKeysOrderAsEncodingJSON(t *testing.T) {
	if got := SortedKeys(map[string]int{"b": 1, "a": 2, "é": 3, "B": 4}); !slices.Equal(got, []string{"B", "a", "b", "é"}) {
		t.Errorf("SortedKeys = %q", got)
	}
	if got := SortedIntKeys(map[int8]bool{10: true, 9: true, -1: true, -20: true}); !slices.Equal(got, []int8{-1, -20, 10, 9}) {
		t.Errorf("SortedIntKeys = %v, want the order of their decimal texts", got)
	}
	if got := SortedUintKeys(map[uint64]bool{100: true, 20: true, 3: true}); !slices.Equal(got, []uint64{100, 20, 3}) {
		t.Errorf("SortedUintKeys = %v, want the order of their decimal texts", got)
	}
}
