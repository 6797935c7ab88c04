package memstore

import (
	"errors"
	"testing"

	"github.com/esgen/esgen/runtime/es"
)

// TestUnchainedHistory: a history whose appends do not follow one another
// (versions repeated, or skipped), which Append never stores, fails reads
// with es.ErrCorruptEvent naming the aggregate, the versions and the
// sequence, instead of yielding it: a load would otherwise reach a wrong
// version without an error.
func TestUnchainedHistory(t *testing.T) {
	ev := []es.RawEvent{{Type: "E", SchemaVersion: 1, Data: []byte(`{}`)}}
	for _, tc := range []struct {
		name    string
		version uint64 // the expected version of the third append, whose right one is 2
		want    string
	}{
		{"repeated", 1, `memstore: T "x": append 3 holds versions 2 to 2, repeating versions up to 2 read before it: es: corrupt event`},
		{"skipped", 3, `memstore: T "x": append 3 holds versions 4 to 4, expected version 3 next: es: corrupt event`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New()
			ref := es.Ref{Type: "T", ID: "x"}
			var at es.Position
			for _, cmd := range []string{"a", "b"} {
				res, err := s.Append(t.Context(), &es.AppendRequest{Ref: ref, CommandID: cmd,
					ExpectedVersion: at.Version, ExpectedSequence: at.Sequence, Events: ev})
				if err != nil {
					t.Fatal(err)
				}
				at = es.Position{Version: res.Version, Sequence: res.Sequence}
			}
			// Stored around Append's checks, as a bug would.
			bad := &es.AppendRequest{Ref: ref, CommandID: "bad", ExpectedVersion: tc.version, ExpectedSequence: at.Sequence, Events: ev}
			s.seq++
			s.stream(ref).add(bad, s.seq, entrySize(bad))
			for _, from := range []es.Position{{}, at} {
				var errs []error
				n := 0
				for _, err := range s.Read(t.Context(), ref, from) {
					if err != nil {
						errs = append(errs, err)
					} else {
						n++
					}
				}
				if len(errs) != 1 || !errors.Is(errs[0], es.ErrCorruptEvent) || errs[0].Error() != tc.want {
					t.Errorf("Read from %+v yielded %v after %d records, want one error %q", from, errs, n, tc.want)
				}
				if wantN := 2 - int(from.Version); n != wantN {
					t.Errorf("Read from %+v yielded %d records before the error, want %d", from, n, wantN)
				}
			}
		})
	}
}
