package graph

import (
	"errors"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/google/go-cmp/cmp"
)

// TestGraphRepositoryOnStore runs a graph's life through GraphRepository on
// the in-memory store: the graph's id reaches NodeAdded, the stored history
// replays to the state Handle returned, an old NodeAdded v1 is upcast, and
// an archived graph refuses changes.
func TestGraphRepositoryOnStore(t *testing.T) {
	ctx := t.Context()
	store := memstore.New(memstore.WithStartSequence(1000))
	contract.CheckStored(t, store)
	graphs := NewGraphRepository(store, Decider{Now: func() time.Time { return clock }}, Evolver{}, es.WithClock(func() time.Time { return clock }))

	for _, c := range []GraphCommand{
		CreateGraph{Name: "citations"},
		AddNode{NodeID: "a", Label: "Paper A", Metadata: map[string]string{"year": "2019"}},
		AddNode{NodeID: "b", Label: "Paper B"},
		ConnectEdge{From: "a", To: "b", Relation: "cites"},
		MapConceptualPoint{NodeID: "b", Concept: "snapshots"},
	} {
		if _, err := graphs.Handle(ctx, "g-1", c); err != nil {
			t.Fatalf("%T: %v", c, err)
		}
	}

	// A node added by an older release, stored as schema version 1.
	at, err := graphs.Load(ctx, "g-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Append(ctx, &es.AppendRequest{
		Ref: es.Ref{Type: "Graph", ID: "g-1"}, ExpectedVersion: at.Version, ExpectedSequence: at.Sequence,
		CommandID: "legacy-1", Time: clock,
		Events: []es.RawEvent{{Type: "NodeAdded", SchemaVersion: 1, Data: []byte(`{"graph_id":"g-1","node_id":"c","label":"Paper C"}`)}},
	}); err != nil {
		t.Fatal(err)
	}
	graphs.Forget("g-1")

	want := Active{
		Name: "citations",
		Nodes: map[string]Node{
			"a": {ID: "a", Label: "Paper A", Metadata: map[string]string{"year": "2019"}},
			"b": {ID: "b", Label: "Paper B"},
			"c": {ID: "c", Label: "Paper C"},
		},
		Edges:  []Edge{{From: "a", To: "b", Relation: "cites"}},
		Points: map[string]string{"b": "snapshots"},
	}
	got, err := graphs.Load(ctx, "g-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(GraphState(want), got.State); diff != "" || got.Version != 6 {
		t.Errorf("Load: version %d, state (-want +got):\n%s", got.Version, diff)
	}

	recs, events, err := graphs.History(ctx, "g-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 6 {
		t.Fatalf("History has %d events, want 6", len(events))
	}
	for i, want := range []GraphEvent{
		nodeA,
		nodeB,
		NodeAdded{GraphID: "g-1", NodeID: "c", Label: "Paper C"},
	} {
		if diff := cmp.Diff(want, events[[]int{1, 2, 5}[i]]); diff != "" {
			t.Errorf("NodeAdded %d (-want +got):\n%s", i, diff)
		}
	}
	if r := recs[5]; r.SchemaVersion != 1 || r.EventType != "NodeAdded" || r.Version != 6 || r.Sequence != 1006 {
		t.Errorf("legacy record metadata = %+v", r.Metadata)
	}

	if _, err := graphs.Handle(ctx, "g-1", ArchiveGraph{}); err != nil {
		t.Fatal(err)
	}
	_, err = graphs.Handle(ctx, "g-1", AddNode{NodeID: "d"})
	var ite *es.InvalidTransitionError
	if !errors.As(err, &ite) || ite.State != "Archived" || ite.Command != "AddNode" {
		t.Errorf("AddNode on an archived graph: %v, want an invalid transition naming Archived and AddNode", err)
	}

	// Each graph's nodes record that graph's id.
	if _, err := graphs.Handle(ctx, "g-2", CreateGraph{Name: "other"}); err != nil {
		t.Fatal(err)
	}
	res, err := graphs.Handle(ctx, "g-2", AddNode{NodeID: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]GraphEvent{NodeAdded{GraphID: "g-2", NodeID: "a"}}, res.Events); diff != "" {
		t.Errorf("AddNode on g-2 (-want +got):\n%s", diff)
	}
}
