package es_test

import (
	"context"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/esgen/esgen/runtime/storetest"
)

// TestPanicReleasesLane: a Decide or an Evolve that panics while Handle
// holds the aggregate's lane releases it as the panic unwinds: the next
// command on the same aggregate through the same Repository is handled,
// not left waiting for a lane nobody holds. Nothing is stored for the
// command that panicked.
func TestPanicReleasesLane(t *testing.T) {
	def := storetest.TallyDefinition(0)
	decide, evolve := def.Decide, def.Evolve
	def.Decide = func(ctx context.Context, s storetest.Tally, cmd storetest.TallyCommand, events []storetest.TallyEvent) ([]storetest.TallyEvent, error) {
		if cmd == (storetest.Add{N: -1}) {
			panic("decide")
		}
		return decide(ctx, s, cmd, events)
	}
	def.Evolve = func(s storetest.Tally, e storetest.TallyEvent) (storetest.Tally, error) {
		if e == (storetest.Added{N: -2}) {
			panic("evolve")
		}
		return evolve(s, e)
	}
	r := es.NewRepository(memstore.New(), def)
	if _, err := r.Handle(t.Context(), "t", storetest.Add{N: 1}); err != nil {
		t.Fatal(err)
	}
	// Every call is bounded: a lane left held fails the next one.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	for _, tc := range []struct {
		what string
		cmd  storetest.TallyCommand
	}{{"decide", storetest.Add{N: -1}}, {"evolve", storetest.Add{N: -2}}} {
		func() {
			defer func() {
				if p := recover(); p != tc.what {
					t.Errorf("Handle(%#v) panicked with %v, want %q", tc.cmd, p, tc.what)
				}
			}()
			_, err := r.Handle(ctx, "t", tc.cmd)
			t.Errorf("Handle(%#v) returned %v, want a panic", tc.cmd, err)
		}()
		res, err := r.Handle(ctx, "t", storetest.Add{N: 10})
		if err != nil {
			t.Fatalf("after a panic in %s: the next command on the aggregate = %v, want it handled", tc.what, err)
		}
		if res.State.Total != 11 && res.State.Total != 21 {
			t.Errorf("after a panic in %s: total %d, want the panicking command stored nothing", tc.what, res.State.Total)
		}
	}
	inst, err := r.Load(t.Context(), "t")
	if err != nil || inst.Version != 3 || inst.State.Total != 21 {
		t.Errorf("Load = %+v, %v; want version 3, total 21", inst, err)
	}
}
