package storetest

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
)

// Existing is storage that exists before a store is opened on it, made
// and configured by another service or an operator: a JetStream stream,
// say. RunExisting checks a store on it. The in-memory store does not run
// it: nothing of it exists outside the process, so there is no storage to
// find already made, nor settings of another service's to keep.
type Existing struct {
	// Make makes storage named name as another service would, with
	// settings the store does not need set otherwise than the store would
	// set them. With lacking, the storage also lacks settings the store
	// needs, and Make returns their names, as the store's error names
	// them (StreamConfigError fields, say).
	Make func(t *testing.T, name string, lacking bool) (needed []string)
	// Settings returns every setting of storage name, by name, with its
	// value in some stable spelling (JSON, say).
	Settings func(t *testing.T, name string) map[string]string
	// Open opens a store on storage name. With update, the store may
	// change the settings it needs (and no other); without, none at all.
	Open func(t *testing.T, name string, update bool) (es.Store, error)
	// ErrLacking is what Open's error matches (errors.Is) on storage that
	// lacks settings the store needs.
	ErrLacking error
}

// RunExisting checks, as subtests of t, that a store opened on storage
// that exists never changes the storage's settings unasked:
//
//   - on storage that has what the store needs, Open succeeds, changes no
//     setting, and the store appends and reads;
//   - on storage that lacks some of it, Open fails with an error matching
//     ex.ErrLacking that names each setting lacking, and changes nothing;
//     asked to update, it changes those settings and no other, and the
//     store works.
func RunExisting(t *testing.T, ex Existing) {
	t.Helper()
	token := newToken()
	t.Run("Fits", func(t *testing.T) {
		name := "FITS_" + token
		if needed := ex.Make(t, name, false); len(needed) != 0 {
			t.Fatalf("Make(lacking false) names settings lacking: %v", needed)
		}
		before := ex.Settings(t, name)
		s, err := ex.Open(t, name, false)
		if err != nil {
			t.Fatalf("Open on storage that has what the store needs: %v", err)
		}
		diffSettings(t, "after Open", before, ex.Settings(t, name), nil)
		useStore(t, s)
		diffSettings(t, "after use", before, ex.Settings(t, name), nil)
	})
	t.Run("Lacking", func(t *testing.T) {
		name := "LACKING_" + token
		needed := ex.Make(t, name, true)
		if len(needed) == 0 {
			t.Fatal("Make(lacking true) names no setting lacking")
		}
		before := ex.Settings(t, name)
		_, err := ex.Open(t, name, false)
		if !errors.Is(err, ex.ErrLacking) {
			t.Fatalf("Open on storage lacking %v = %v, want an error matching %v", needed, err, ex.ErrLacking)
		}
		for _, field := range needed {
			if !strings.Contains(err.Error(), field) {
				t.Errorf("Open's error does not name %s: %v", field, err)
			}
		}
		diffSettings(t, "after a refused Open", before, ex.Settings(t, name), nil)

		s, err := ex.Open(t, name, true)
		if err != nil {
			t.Fatalf("Open asked to update %v: %v", needed, err)
		}
		after := ex.Settings(t, name)
		diffSettings(t, "after an updating Open", before, after, needed)
		for _, field := range needed {
			if before[field] == after[field] {
				t.Errorf("an updating Open left %s at %s", field, before[field])
			}
		}
		useStore(t, s)
		if _, err := ex.Open(t, name, false); err != nil {
			t.Errorf("Open on the updated storage: %v", err)
		}
		diffSettings(t, "after Open on the updated storage", after, ex.Settings(t, name), nil)
	})
}

// diffSettings reports settings that differ between before and after,
// but for those named in changed.
func diffSettings(t *testing.T, what string, before, after map[string]string, changed []string) {
	t.Helper()
	b, a := maps.Clone(before), maps.Clone(after)
	for _, field := range changed {
		delete(b, field)
		delete(a, field)
	}
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("%s: settings other than %v changed (-before +after):\n%s", what, changed, diff)
	}
	if len(before) == 0 {
		t.Errorf("%s: Settings returned none", what)
	}
}

// useStore appends to a store and reads back what it appended.
func useStore(t *testing.T, s es.Store) {
	t.Helper()
	f := &fixture{t: t, s: s, token: newToken()}
	ref := f.ref("Order", "existing")
	r1 := f.add(ref, es.Position{}, "e1", 2)
	r2 := f.add(ref, pos(r1), "e2", 1)
	f.diffRecords("store on existing storage", concat(r1, r2), f.mustRead(ref, es.Position{}))
}
