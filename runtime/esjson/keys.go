package esjson

import (
	"cmp"
	"slices"
	"strconv"
)

// SortedKeys returns the keys of m in increasing order: the order in which
// encoding/json writes a map with string keys.
func SortedKeys[M ~map[K]V, K ~string, V any](m M) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// SortedIntKeys returns the keys of m ordered as their decimal texts are
// ("10" before "9"): the order in which encoding/json writes a map with
// signed integer keys.
func SortedIntKeys[M ~map[K]V, K ~int | ~int8 | ~int16 | ~int32 | ~int64, V any](m M) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	var a, b [20]byte
	slices.SortFunc(keys, func(x, y K) int {
		return cmp.Compare(string(strconv.AppendInt(a[:0], int64(x), 10)), string(strconv.AppendInt(b[:0], int64(y), 10)))
	})
	return keys
}

// SortedUintKeys returns the keys of m ordered as their decimal texts are:
// the order in which encoding/json writes a map with unsigned integer keys.
func SortedUintKeys[M ~map[K]V, K ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr, V any](m M) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	var a, b [20]byte
	slices.SortFunc(keys, func(x, y K) int {
		return cmp.Compare(string(strconv.AppendUint(a[:0], uint64(x), 10)), string(strconv.AppendUint(b[:0], uint64(y), 10)))
	})
	return keys
}
