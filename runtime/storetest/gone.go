package storetest

import (
	"errors"
	"fmt"

	"github.com/esgen/esgen/runtime/es"
)

// testPositionGone: a read from a position whose sequence is not an
// append the store holds for the aggregate (another aggregate's, between
// two of its appends; one past its newest; any on an aggregate with no
// events) fails with an error matching es.ErrPositionGone and yields no
// record: the store cannot tell what follows a position it does not hold.
// (A JetStream subject purged by an operator is the case met in
// practice.) Reads from the positions it holds work as always.
func testPositionGone(f *fixture) {
	ref := f.ref("Order", "gone")
	other := f.ref("Order", "gone-other")
	r1 := f.add(ref, es.Position{}, "a", 2)
	o1 := f.add(other, es.Position{}, "o", 1)
	r2 := f.add(ref, pos(r1), "b", 1)
	f.diffRecords("from the first append", r2.Records, f.mustRead(ref, pos(r1)))
	for _, tc := range []struct {
		what string
		ref  es.Ref
		from es.Position
	}{
		{"another aggregate's sequence", ref, es.Position{Version: 2, Sequence: o1.Sequence}},
		{"a sequence past its newest append", ref, es.Position{Version: 3, Sequence: r2.Sequence + 1}},
		{"an aggregate with no events", f.ref("Order", "gone-none"), pos(r1)},
	} {
		var recs []es.Record
		var errs []error
		for rec, err := range f.s.Read(f.t.Context(), tc.ref, tc.from) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			recs = append(recs, rec)
		}
		if len(recs) != 0 || len(errs) != 1 || !errors.Is(errs[0], es.ErrPositionGone) {
			f.t.Errorf("Read from %s (%+v) = %d records, errors %v; want no record and one error matching es.ErrPositionGone",
				tc.what, tc.from, len(recs), fmt.Sprint(errs))
		}
	}
}
