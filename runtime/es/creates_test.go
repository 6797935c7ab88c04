package es_test

import (
	"context"
	"errors"
	"iter"
	"sync/atomic"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// countingStore counts the reads and appends that reach a store.
type countingStore struct {
	es.Store
	reads, appends, conflicts atomic.Int32
}

func (s *countingStore) Read(ctx context.Context, ref es.Ref, from es.Position) iter.Seq2[es.Record, error] {
	s.reads.Add(1)
	return s.Store.Read(ctx, ref, from)
}

func (s *countingStore) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	s.appends.Add(1)
	ar, err := s.Store.Append(ctx, req)
	if errors.Is(err, es.ErrConflict) {
		s.conflicts.Add(1)
	}
	return ar, err
}

// creatingDoor is the door whose opening is the command that starts it:
// the definition says only the initial state accepts openDoor, and counts
// the decisions.
func creatingDoor(decisions *atomic.Int32) es.Definition[door, doorCmd, doorEvent] {
	def := doorDefinition(0)
	decide := def.Decide
	def.Decide = func(ctx context.Context, d door, cmd doorCmd, events []doorEvent) ([]doorEvent, error) {
		decisions.Add(1)
		return decide(ctx, d, cmd, events)
	}
	def.Creates = func(cmd doorCmd) bool { _, ok := cmd.(openDoor); return ok }
	return def
}

// TestCreatesWithoutRead checks Definition.Creates: a command that only
// the initial state accepts, on an aggregate the Repository has not
// cached, costs one append and no read when the aggregate is new; when it
// is not, the append conflicts and the command is decided again on the
// stored state, with the result reading it first would have given, and
// without using up a retry.
func TestCreatesWithoutRead(t *testing.T) {
	ctx := context.Background()
	t.Run("new aggregate", func(t *testing.T) {
		store := &countingStore{Store: memstore.New()}
		var decisions atomic.Int32
		r := es.NewRepository(store, creatingDoor(&decisions))
		res, err := r.Handle(ctx, "d1", openDoor{})
		if err != nil || res.Version != 1 || !res.State.Open {
			t.Fatalf("Handle = %+v, %v", res.Instance, err)
		}
		if n, a := store.reads.Load(), store.appends.Load(); n != 0 || a != 1 || decisions.Load() != 1 {
			t.Errorf("%d reads, %d appends, %d decisions; want 0, 1, 1", n, a, decisions.Load())
		}
		// The state is cached: the next command reads nothing either.
		if _, err := r.Handle(ctx, "d1", closeDoor{}); err != nil {
			t.Fatal(err)
		}
		if n := store.reads.Load(); n != 0 {
			t.Errorf("%d reads after a second command, want 0", n)
		}
	})
	t.Run("existing aggregate", func(t *testing.T) {
		mem := memstore.New()
		var other atomic.Int32
		w := es.NewRepository(mem, creatingDoor(&other))
		if _, err := w.Handle(ctx, "d2", openDoor{}); err != nil {
			t.Fatal(err)
		}
		store := &countingStore{Store: mem}
		var decisions atomic.Int32
		// No retries: finding the aggregate is not a retry.
		r := es.NewRepository(store, creatingDoor(&decisions), es.WithMaxRetries(0))
		_, err := r.Handle(ctx, "d2", openDoor{})
		var ite *es.InvalidTransitionError
		if !errors.As(err, &ite) || ite.State != "Open" {
			t.Fatalf("Handle = %v, want an invalid transition in state Open", err)
		}
		if n, a, c := store.reads.Load(), store.appends.Load(), store.conflicts.Load(); n != 1 || a != 1 || c != 1 {
			t.Errorf("%d reads, %d appends, %d conflicts; want 1, 1, 1", n, a, c)
		}
		if d := decisions.Load(); d != 2 {
			t.Errorf("%d decisions, want 2: on the initial state, then on the stored one", d)
		}
		// The door is closed, and opened again by the creating command
		// through a Repository that has not cached it: decided on its
		// stored state.
		if _, err := w.Handle(ctx, "d2", closeDoor{}); err != nil {
			t.Fatal(err)
		}
		res, err := es.NewRepository(store, creatingDoor(&decisions), es.WithMaxRetries(0)).Handle(ctx, "d2", openDoor{})
		if err != nil || res.Version != 3 || !res.State.Open {
			t.Fatalf("Handle = %+v, %v; want version 3, open", res.Instance, err)
		}
	})
	t.Run("retry of the stored command", func(t *testing.T) {
		mem := memstore.New()
		var decisions atomic.Int32
		if _, err := es.NewRepository(mem, creatingDoor(&decisions)).Handle(ctx, "d3", openDoor{}, es.WithCommandID("open-d3")); err != nil {
			t.Fatal(err)
		}
		r := es.NewRepository(mem, creatingDoor(&decisions))
		res, err := r.Handle(ctx, "d3", openDoor{}, es.WithCommandID("open-d3"))
		if err != nil || !res.Duplicate || res.Version != 1 || !res.State.Open {
			t.Fatalf("Handle = %+v duplicate=%t, %v; want the stored command", res.Instance, res.Duplicate, err)
		}
	})
	t.Run("other commands read first", func(t *testing.T) {
		store := &countingStore{Store: memstore.New()}
		var decisions atomic.Int32
		r := es.NewRepository(store, creatingDoor(&decisions))
		if _, err := r.Handle(ctx, "d4", lockDoor{Code: 1}); err != nil {
			t.Fatal(err)
		}
		if n := store.reads.Load(); n != 1 {
			t.Errorf("%d reads for a command the initial state is not alone in accepting, want 1", n)
		}
	})
}
