package es_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

type parentKey struct{}

// TestRefFromContext: the Ref set by ContextWithRef is found directly and
// through contexts derived from it, is absent elsewhere, and the context
// keeps its parent's values, deadline and cancellation.
func TestRefFromContext(t *testing.T) {
	ref := es.Ref{Type: "Graph", ID: "g-1"}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), parentKey{}, "kept"))
	withRef := es.ContextWithRef(parent, ref)
	derived, stop := context.WithCancel(withRef)
	defer stop()
	inner := es.Ref{Type: "Graph", ID: "g-2"}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want es.Ref
		ok   bool
	}{
		{"set", withRef, ref, true},
		{"derived", derived, ref, true},
		{"derived value", context.WithValue(withRef, parentKey{}, "other"), ref, true},
		{"innermost wins", es.ContextWithRef(withRef, inner), inner, true},
		{"none", parent, es.Ref{}, false},
		{"background", context.Background(), es.Ref{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := es.RefFromContext(tc.ctx)
			if got != tc.want || ok != tc.ok {
				t.Errorf("RefFromContext = %+v, %t; want %+v, %t", got, ok, tc.want, tc.ok)
			}
		})
	}
	if v := withRef.Value(parentKey{}); v != "kept" {
		t.Errorf("parent value through the ref context = %v, want kept", v)
	}
	if want := `context.Background.WithValue(es_test.parentKey, kept).WithCancel.WithRef(Graph, "g-1")`; fmt.Sprint(withRef) != want {
		t.Errorf("String() = %s, want %s", withRef, want)
	}
	cancel()
	<-derived.Done()
	if !errors.Is(withRef.Err(), context.Canceled) || !errors.Is(derived.Err(), context.Canceled) {
		t.Errorf("after the parent is canceled: Err() = %v and %v, want context.Canceled", withRef.Err(), derived.Err())
	}
}

// TestDecisionSeesRef: Handle gives each decision the Ref of the aggregate
// it decides for, on every attempt, in a context that keeps the caller's
// values.
func TestDecisionSeesRef(t *testing.T) {
	def := doorDefinition(0)
	type seen struct {
		ref    es.Ref
		ok     bool
		caller any
	}
	var got []seen
	decide := def.Decide
	def.Decide = func(ctx context.Context, d door, cmd doorCmd, events []doorEvent) ([]doorEvent, error) {
		ref, ok := es.RefFromContext(ctx)
		got = append(got, seen{ref, ok, ctx.Value(parentKey{})})
		return decide(ctx, d, cmd, events)
	}
	spy := &spyStore{Store: memstore.New(), conflicts: 1}
	r := es.NewRepository(spy, def)
	ctx := context.WithValue(t.Context(), parentKey{}, "caller")
	if _, err := r.Handle(ctx, "front-door", openDoor{}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Handle(ctx, "back-door", openDoor{}); err != nil {
		t.Fatal(err)
	}
	front, back := es.Ref{Type: "Door", ID: "front-door"}, es.Ref{Type: "Door", ID: "back-door"}
	want := []seen{{front, true, "caller"}, {front, true, "caller"}, {back, true, "caller"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("decisions saw %+v, want %+v (the first command decided twice: it conflicted once)", got, want)
	}
}
