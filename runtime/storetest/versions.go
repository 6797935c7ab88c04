package storetest

import (
	"fmt"

	"github.com/esgen/esgen/runtime/es"
)

// testRepeatedVersion: an append whose expected version is not the
// version at its expected sequence, that sequence being the aggregate's
// last (or 0), is refused with an *es.ConflictError that says so,
// whatever its command id, and stores nothing: its events would repeat
// versions already stored (or skip some), and the aggregate could no
// longer be loaded. The right version is then accepted.
func testRepeatedVersion(f *fixture) {
	ref := f.ref("Order", "versions")
	ahead := request(ref, es.Position{Version: 2}, "ahead", events("ahead", 1))
	_, err := f.s.Append(f.t.Context(), ahead)
	f.wantVersionConflict(ahead, err, 0)
	if got := f.mustRead(ref, es.Position{}); len(got) != 0 {
		f.t.Fatalf("a refused first append stored %d events", len(got))
	}

	r1 := f.add(ref, es.Position{}, "v1", 1)
	r2 := f.add(ref, pos(r1), "v2-3", 2)
	for _, tc := range []struct {
		version uint64
		cmd     string
	}{
		{1, "stale"}, // would store version 2 again
		{0, "zero"},
		{2, "inside"},
		{7, "ahead"},
		{1, "v2-3"}, // the id of the append at that sequence
		{1, "v1"},   // the id of an older append
	} {
		req := request(ref, es.Position{Version: tc.version, Sequence: r2.Sequence}, tc.cmd, events(tc.cmd, 1))
		_, err := f.s.Append(f.t.Context(), req)
		f.wantVersionConflict(req, err, 3)
	}
	// Sequence 0 is version 0 whatever the aggregate holds.
	zero := request(ref, es.Position{Version: 1}, "v1", events("v1", 1))
	_, err = f.s.Append(f.t.Context(), zero)
	f.wantVersionConflict(zero, err, 0)
	f.diffRecords("after refused appends", concat(r1, r2), f.mustRead(ref, es.Position{}))

	r3 := f.add(ref, pos(r2), "v4", 1)
	if r3.Version != 4 {
		f.t.Errorf("append at the right version: version %d, want 4", r3.Version)
	}
	f.diffRecords("after the right append", concat(r1, r2, r3), f.mustRead(ref, es.Position{}))
}

// wantVersionConflict fails the test unless err is the *es.ConflictError
// of req refused because the aggregate is at version have at req's
// expected sequence.
func (f *fixture) wantVersionConflict(req *es.AppendRequest, err error, have uint64) {
	f.t.Helper()
	f.wantConflict(req, err)
	want := fmt.Sprintf("%s %q: concurrency conflict: expected last sequence %d: expected version %d, the aggregate is at version %d there",
		req.Ref.Type, req.Ref.ID, req.ExpectedSequence, req.ExpectedVersion, have)
	if err.Error() != want {
		f.t.Errorf("Append(expected version %d at sequence %d, command %q) = %q, want %q",
			req.ExpectedVersion, req.ExpectedSequence, req.CommandID, err, want)
	}
}
