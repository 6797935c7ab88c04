package es_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/esgen/esgen/runtime/storetest"
)

// swapStore is a store whose history an operator replaced: what it
// forwards to changes when swapped, as a purged and rewritten JetStream
// subject does.
type swapStore struct{ es.Store }

// TestPositionGoneReplays: a Repository whose cached state, or snapshot,
// stands at a position the store no longer holds (es.ErrPositionGone)
// drops it, logs it, and replays the aggregate from its first event,
// once; the next load reads on from there.
func TestPositionGoneReplays(t *testing.T) {
	s := &swapStore{Store: memstore.New()}
	snaps := memstore.New()
	var logs syncBuffer
	def := storetest.TallyDefinition(2)
	r := es.NewRepository(s, def, es.WithSnapshots(snaps), es.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	for range 5 {
		if _, err := r.Handle(t.Context(), "t", storetest.Add{N: 1}); err != nil {
			t.Fatal(err)
		}
	}
	// The history is replaced by another, sequences further on.
	s.Store = memstore.New(memstore.WithStartSequence(1000))
	other := es.NewRepository(s.Store, storetest.TallyDefinition(0))
	for range 3 {
		if _, err := other.Handle(t.Context(), "t", storetest.Add{N: 10}); err != nil {
			t.Fatal(err)
		}
	}
	fresh := es.NewRepository(s, def, es.WithSnapshots(snaps), es.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	for name, r := range map[string]*es.Repository[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent]{"cached": r, "snapshot": fresh} {
		for range 2 {
			inst, err := r.Load(t.Context(), "t")
			if err != nil || inst.Version != 3 || inst.State.Total != 30 || inst.Sequence != 1003 {
				t.Errorf("%s: Load = %+v, %v; want version 3 at sequence 1003, total 30", name, inst, err)
			}
		}
	}
	for _, want := range []string{
		`msg="position gone, replaying" aggregate=Tally id=t from="cached state" version=5`,
		`msg="position gone, replaying" aggregate=Tally id=t from=snapshot version=4`,
	} {
		if n := strings.Count(logs.String(), want); n != 1 {
			t.Errorf("log holds %q %d times, want once:\n%s", want, n, logs.String())
		}
	}
}
