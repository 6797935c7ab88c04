package es_test

import (
	"context"
	"errors"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// blindFinder is a store whose FindCommand fails: Handle cannot tell
// whether an earlier attempt of a command stored it.
type blindFinder struct{ *memstore.Store }

var errBlind = errors.New("lookup failed")

func (blindFinder) FindCommand(context.Context, es.Ref, string) (es.AppendResult, bool, error) {
	return es.AppendResult{}, false, errBlind
}

// TestRefusal: the errors a decision returns come back marked as
// refusals, transparent (same message, errors.Is and errors.As find the
// decision's error); the store's errors, an event Evolve rejects, and a
// refusal joined with an unknown earlier attempt are not refusals.
func TestRefusal(t *testing.T) {
	r := es.NewRepository(memstore.New(), doorDefinition(0))
	handle(t, r, "d", openDoor{})
	handle(t, r, "d", lockDoor{Code: 7})

	_, err := r.Handle(t.Context(), "d", unlockDoor{Code: 1})
	var refusal *es.RefusalError
	if !es.IsRefusal(err) || !errors.As(err, &refusal) || !errors.Is(err, errWrongCode) || err.Error() != errWrongCode.Error() {
		t.Fatalf("a business error = %v (%T), want a transparent refusal of errWrongCode", err, err)
	}
	if refusal.Ref != (es.Ref{Type: "Door", ID: "d"}) || refusal.Err != errWrongCode {
		t.Errorf("refusal %+v, want Door d and the decision's error itself", refusal)
	}
	// The same with the caller's id: the store does not hold it either.
	_, err = r.Handle(t.Context(), "d", openDoor{}, es.WithCommandID("open-again"))
	var ite *es.InvalidTransitionError
	if !es.IsRefusal(err) || !errors.As(err, &ite) || !errors.Is(err, es.ErrInvalidTransition) ||
		err.Error() != "Door: command Open is not allowed in state Locked" {
		t.Errorf("an invalid transition = %v, want a transparent refusal", err)
	}

	// Not refusals: a conflict, a store failure, an outcome unknown.
	spy := &spyStore{Store: memstore.New(), conflicts: 10}
	if _, err := es.NewRepository(spy, doorDefinition(0), es.WithMaxRetries(0)).Handle(t.Context(), "c", openDoor{}); !errors.Is(err, es.ErrConflict) || es.IsRefusal(err) {
		t.Errorf("a conflict = %v, refusal %t; want a conflict, not a refusal", err, es.IsRefusal(err))
	}
	boom := errors.New("disk on fire")
	spy = &spyStore{Store: memstore.New(), appendErr: boom}
	if _, err := es.NewRepository(spy, doorDefinition(0)).Handle(t.Context(), "b", openDoor{}); !errors.Is(err, boom) || es.IsRefusal(err) {
		t.Errorf("a store failure = %v, refusal %t; want it, not a refusal", err, es.IsRefusal(err))
	}
	u := &unknownStore{Store: memstore.New(), fail: 1}
	if _, err := es.NewRepository(u, doorDefinition(0)).Handle(t.Context(), "u", openDoor{}); !errors.Is(err, es.ErrOutcomeUnknown) || es.IsRefusal(err) {
		t.Errorf("an outcome unknown = %v, refusal %t; want it, not a refusal", err, es.IsRefusal(err))
	}
	// Nor an event Evolve rejects: the decision accepted the command.
	def := doorDefinition(0)
	def.Decide = func(_ context.Context, _ door, _ doorCmd, events []doorEvent) ([]doorEvent, error) {
		return append(events, closed{}), nil
	}
	if _, err := es.NewRepository(memstore.New(), def).Handle(t.Context(), "e", openDoor{}); !errors.Is(err, es.ErrInvalidEvolution) || es.IsRefusal(err) {
		t.Errorf("an evolution rejected = %v, refusal %t; want it, not a refusal", err, es.IsRefusal(err))
	}

	// A refusal of a command with the caller's id, when the store cannot
	// tell whether an earlier attempt stored it, is not known to be one:
	// the decision's error is still in the chain, unmarked, next to the
	// store's.
	blind := es.NewRepository(blindFinder{memstore.New()}, doorDefinition(0))
	handle(t, blind, "x", openDoor{})
	_, err = blind.Handle(t.Context(), "x", openDoor{}, es.WithCommandID("open-twice"))
	if es.IsRefusal(err) || !errors.Is(err, es.ErrInvalidTransition) || !errors.Is(err, errBlind) {
		t.Errorf("a refusal with an unknown earlier attempt = %v, refusal %t; want both errors, not a refusal", err, es.IsRefusal(err))
	}

	if es.IsRefusal(nil) || es.IsRefusal(errWrongCode) {
		t.Error("IsRefusal holds for nil or an unmarked error")
	}
}
