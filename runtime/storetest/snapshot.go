package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
)

// RunSnapshots runs the es.SnapshotStore conformance suite as subtests of t.
// Like Run, every subtest uses aggregate ids of its own.
func RunSnapshots(t *testing.T, newStore func(t *testing.T) es.SnapshotStore) {
	t.Helper()
	token := newToken()
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s es.SnapshotStore, ref func(string) es.Ref)
	}{
		{"NotFound", testSnapshotNotFound},
		{"RoundTrip", testSnapshotRoundTrip},
		{"Replace", testSnapshotReplace},
		{"Isolation", testSnapshotIsolation},
		{"InvalidIDs", testSnapshotInvalidIDs},
		{"Copies", testSnapshotCopies},
		{"CanceledContext", testSnapshotCanceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newStore(t), func(id string) es.Ref {
				return es.Ref{Type: "Order", ID: id + "-" + token + "-" + tc.name}
			})
		})
	}
}

func mustSave(t *testing.T, s es.SnapshotStore, ref es.Ref, snap es.Snapshot) {
	t.Helper()
	if err := s.SaveSnapshot(t.Context(), ref, snap); err != nil {
		t.Fatalf("SaveSnapshot(%s %q): %v", ref.Type, ref.ID, err)
	}
}

func mustLoad(t *testing.T, s es.SnapshotStore, ref es.Ref) es.Snapshot {
	t.Helper()
	snap, err := s.LoadSnapshot(t.Context(), ref)
	if err != nil {
		t.Fatalf("LoadSnapshot(%s %q): %v", ref.Type, ref.ID, err)
	}
	return snap
}

func diffSnapshot(t *testing.T, what string, want, got es.Snapshot) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: snapshot differs (-want +got):\n%s", what, diff)
	}
}

func testSnapshotNotFound(t *testing.T, s es.SnapshotStore, ref func(string) es.Ref) {
	_, err := s.LoadSnapshot(t.Context(), ref("none"))
	if !errors.Is(err, es.ErrNotFound) {
		t.Errorf("LoadSnapshot of an aggregate without one = %v, want es.ErrNotFound", err)
	}
}

func testSnapshotRoundTrip(t *testing.T, s es.SnapshotStore, ref func(string) es.Ref) {
	for _, snap := range []es.Snapshot{
		{Position: es.Position{Version: 100, Sequence: 123456}, SchemaVersion: "orders/3", Data: []byte(`{"state":"Submitted","items":[1,2]}`)},
		{Position: es.Position{Version: 1 << 40, Sequence: 1<<63 + 5}, SchemaVersion: "", Data: []byte{}},
		{Position: es.Position{Version: 7, Sequence: 9}, SchemaVersion: "bin", Data: []byte{0, 1, 2, 0xff, '\n'}},
	} {
		r := ref("rt-" + snap.SchemaVersion)
		mustSave(t, s, r, snap)
		diffSnapshot(t, "round trip", snap, mustLoad(t, s, r))
	}
}

func testSnapshotReplace(t *testing.T, s es.SnapshotStore, ref func(string) es.Ref) {
	r := ref("replace")
	mustSave(t, s, r, es.Snapshot{Position: es.Position{Version: 10, Sequence: 20}, SchemaVersion: "v1", Data: []byte("old")})
	newer := es.Snapshot{Position: es.Position{Version: 20, Sequence: 45}, SchemaVersion: "v2", Data: []byte("new")}
	mustSave(t, s, r, newer)
	diffSnapshot(t, "after replace", newer, mustLoad(t, s, r))
}

func testSnapshotIsolation(t *testing.T, s es.SnapshotStore, ref func(string) es.Ref) {
	a, b := ref("a"), ref("a-b")
	c := es.Ref{Type: "Invoice", ID: a.ID}
	snaps := map[es.Ref]es.Snapshot{
		a: {Position: es.Position{Version: 1, Sequence: 1}, SchemaVersion: "s", Data: []byte("a")},
		b: {Position: es.Position{Version: 2, Sequence: 2}, SchemaVersion: "s", Data: []byte("b")},
		c: {Position: es.Position{Version: 3, Sequence: 3}, SchemaVersion: "s", Data: []byte("c")},
	}
	for r, snap := range snaps {
		mustSave(t, s, r, snap)
	}
	for r, snap := range snaps {
		diffSnapshot(t, r.Type+" "+r.ID, snap, mustLoad(t, s, r))
	}
}

func testSnapshotInvalidIDs(t *testing.T, s es.SnapshotStore, ref func(string) es.Ref) {
	for _, tc := range badIDs {
		r := es.Ref{Type: "Order", ID: tc.id}
		if err := s.SaveSnapshot(t.Context(), r, es.Snapshot{Data: []byte("x")}); !errors.Is(err, es.ErrInvalidID) {
			t.Errorf("SaveSnapshot of id %s (%q) = %v, want es.ErrInvalidID", tc.name, tc.id, err)
		}
		if _, err := s.LoadSnapshot(t.Context(), r); !errors.Is(err, es.ErrInvalidID) {
			t.Errorf("LoadSnapshot of id %s (%q) = %v, want es.ErrInvalidID", tc.name, tc.id, err)
		}
	}
	if err := s.SaveSnapshot(t.Context(), es.Ref{Type: "Or.der", ID: "x"}, es.Snapshot{}); !errors.Is(err, es.ErrInvalidID) {
		t.Errorf("SaveSnapshot with aggregate type %q = %v, want es.ErrInvalidID", "Or.der", err)
	}
}

func testSnapshotCopies(t *testing.T, s es.SnapshotStore, ref func(string) es.Ref) {
	r := ref("copies")
	data := []byte("state")
	mustSave(t, s, r, es.Snapshot{Position: es.Position{Version: 1, Sequence: 1}, SchemaVersion: "s", Data: data})
	data[0] = 'X'
	got := mustLoad(t, s, r)
	if string(got.Data) != "state" {
		t.Errorf("stored snapshot changed to %q through the saved slice", got.Data)
	}
	got.Data[0] = 'Y'
	if again := mustLoad(t, s, r); string(again.Data) != "state" {
		t.Errorf("stored snapshot changed to %q through a loaded slice", again.Data)
	}
}

func testSnapshotCanceled(t *testing.T, s es.SnapshotStore, ref func(string) es.Ref) {
	ctx := canceled(t)
	r := ref("canceled")
	if err := s.SaveSnapshot(ctx, r, es.Snapshot{Data: []byte("x")}); !errors.Is(err, context.Canceled) {
		t.Errorf("SaveSnapshot with a canceled context = %v, want context.Canceled", err)
	}
	if _, err := s.LoadSnapshot(t.Context(), r); !errors.Is(err, es.ErrNotFound) {
		t.Errorf("canceled SaveSnapshot stored a snapshot: LoadSnapshot = %v, want es.ErrNotFound", err)
	}
	if _, err := s.LoadSnapshot(ctx, r); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadSnapshot with a canceled context = %v, want context.Canceled", err)
	}
}
