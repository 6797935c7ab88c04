package jsstore_test

import (
	"errors"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/storetest"
)

// TestPurgedAggregate: an operator purges an aggregate's subject, and
// another process makes the aggregate again. A Repository that cached
// the old state, or starts from a snapshot of it, finds its position gone
// (es.ErrPositionGone) and replays the aggregate from its first event:
// Load and Handle see the new aggregate, not a false es.ErrCorruptEvent.
// Purged and not made again, the aggregate is not found.
func TestPurgedAggregate(t *testing.T) {
	_, js := connect(t, server(t))
	s := newStore(t, js)
	snaps := newSnapshots(t, js)
	stream, err := js.Stream(t.Context(), s.Stream())
	if err != nil {
		t.Fatal(err)
	}
	purge := func(id string) {
		t.Helper()
		if err := stream.Purge(t.Context(), jetstream.WithPurgeSubject(s.Subject(es.Ref{Type: "Tally", ID: id}))); err != nil {
			t.Fatal(err)
		}
	}
	def := storetest.TallyDefinition(2) // a snapshot at version 2 and 4
	cached := es.NewRepository(s, def, es.WithSnapshots(snaps))
	for range 5 {
		mustHandle(t, cached, "p", storetest.Add{N: 1})
	}
	purge("p")
	// Another process, another store: no cache, no snapshots.
	other := es.NewRepository(newStore(t, js), storetest.TallyDefinition(0))
	for range 3 {
		mustHandle(t, other, "p", storetest.Add{N: 10})
	}
	fromSnapshot := es.NewRepository(s, def, es.WithSnapshots(snaps))
	for name, r := range map[string]*es.Repository[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent]{
		"cached state": cached, "snapshot": fromSnapshot,
	} {
		for i := range 2 {
			inst, err := r.Load(t.Context(), "p")
			if err != nil || inst.Version != 3 || inst.State.Total != 30 {
				t.Errorf("%s: Load %d after the purge = %+v, %v; want version 3, total 30", name, i, inst, err)
			}
		}
	}
	res := mustHandle(t, fromSnapshot, "p", storetest.Add{N: 100})
	if res.Version != 4 || res.State.Total != 130 {
		t.Errorf("Handle after the purge: version %d total %d, want 4 130", res.Version, res.State.Total)
	}

	// Purged, and not made again.
	for range 3 {
		mustHandle(t, cached, "q", storetest.Add{N: 1})
	}
	purge("q")
	if inst, err := cached.Load(t.Context(), "q"); !errors.Is(err, es.ErrNotFound) {
		t.Errorf("Load of a purged aggregate = %+v, %v; want es.ErrNotFound", inst, err)
	}
	// Its next command starts it anew, also on a Repository that did not
	// load it since the purge (its cached state conflicts, and its
	// snapshot is gone).
	res = mustHandle(t, cached, "q", storetest.Add{N: 7})
	if res.Version != 1 || res.State.Total != 7 {
		t.Errorf("Handle on a purged aggregate: version %d total %d, want 1 7", res.Version, res.State.Total)
	}
	for range 3 {
		mustHandle(t, cached, "r", storetest.Add{N: 1})
	}
	purge("r")
	res = mustHandle(t, cached, "r", storetest.Add{N: 9})
	if res.Version != 1 || res.State.Total != 9 {
		t.Errorf("Handle on a purged aggregate still cached: version %d total %d, want 1 9", res.Version, res.State.Total)
	}
}
