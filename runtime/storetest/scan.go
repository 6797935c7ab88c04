package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/es"
)

// RunScan runs the es.Scanner conformance suite as subtests of t: a store
// read whole, from any sequence on, yields every record of every
// aggregate in the order stored, with the metadata and payloads Read
// yields, as copies, and stops when the loop breaks. The store may hold
// records of others (a shared store): the suite looks at its own.
func RunScan(t *testing.T, newStore func(t *testing.T) es.Store) {
	t.Helper()
	token := newToken()
	t.Run("Scan", func(t *testing.T) {
		f := &fixture{t: t, s: newStore(t), token: token + "-Scan"}
		sc, ok := f.s.(es.Scanner)
		if !ok {
			t.Fatalf("%T is not an es.Scanner", f.s)
		}
		a, b, c := f.ref("Order", "a"), f.ref("Order", "b"), f.ref("Invoice", "a")
		// Appends interleaved across aggregates and types; the second
		// holds three events.
		a1 := f.add(a, es.Position{}, "a1", 1)
		b1 := f.add(b, es.Position{}, "b1", 3)
		c1 := f.add(c, es.Position{}, "c1", 1)
		a2 := f.add(a, pos(a1), "a2", 2)
		b2 := f.add(b, pos(b1), "b2", 1)
		all := concat(a1, b1, c1, a2, b2)

		ours := func(after uint64, limit int) []es.Record {
			t.Helper()
			var got []es.Record
			for rec, err := range sc.Scan(t.Context(), after) {
				if err != nil {
					t.Fatalf("Scan(after %d): %v", after, err)
				}
				if rec.Sequence <= after {
					t.Fatalf("Scan(after %d) yielded sequence %d", after, rec.Sequence)
				}
				if strings.HasSuffix(rec.AggregateID, f.token) {
					got = append(got, rec)
					if len(got) == limit {
						break
					}
				}
			}
			return got
		}
		f.diffRecords("Scan from the start", all, ours(0, 0))
		f.diffRecords("Scan after the first append", concat(b1, c1, a2, b2), ours(a1.Sequence, 0))
		f.diffRecords("Scan after the third append", concat(a2, b2), ours(c1.Sequence, 0))
		f.diffRecords("Scan after the last append", nil, ours(b2.Sequence, 0))
		f.diffRecords("Scan broken off after two records", all[:2], ours(0, 2))

		// Records are the caller's: changing one changes nothing stored.
		got := ours(a1.Sequence-1, 1)
		if len(got) != 1 {
			t.Fatalf("Scan from the first append: %d records of ours, want 1", len(got))
		}
		copy(got[0].Data, "XXXX")
		f.diffRecords("Scan after a caller changed a payload", all[:1], ours(a1.Sequence-1, 1))

		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		var errs []error
		for rec, err := range sc.Scan(ctx, 0) {
			if err == nil {
				t.Fatalf("Scan with a canceled context yielded %s %q", rec.AggregateType, rec.AggregateID)
			}
			errs = append(errs, err)
		}
		if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
			t.Errorf("Scan with a canceled context yielded %v, want one context.Canceled", errs)
		}
	})
}
