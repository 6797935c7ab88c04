package readmodel

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/examples/graph"
	"github.com/esgen/esgen/runtime/es"
)

var clock = time.Date(2026, time.April, 7, 14, 5, 0, 0, time.UTC)

// history records events as graph id's events 1, 2, ...
func history(id string, events ...graph.GraphEvent) []es.Record {
	recs := make([]es.Record, len(events))
	for i := range events {
		recs[i] = es.Record{Metadata: es.Metadata{
			EventID: es.EventID(fmt.Sprintf("cmd-%s-%d", id, i), 0), AggregateType: "Graph",
			AggregateID: id, Version: uint64(i + 1), Time: clock,
		}}
	}
	return recs
}

func apply(t *testing.T, v *View, recs []es.Record, events []graph.GraphEvent) {
	t.Helper()
	for i := range recs {
		if err := v.Apply(context.Background(), recs[i], events[i]); err != nil {
			t.Fatal(err)
		}
	}
}

// TestViewApply builds a graph's view from its events, checks every query,
// replays the events as redeliveries, and resets.
func TestViewApply(t *testing.T) {
	events := []graph.GraphEvent{
		graph.GraphCreated{Name: "citations", CreatedAt: clock},
		graph.NodeAdded{GraphID: "g-1", NodeID: "b", Label: "Paper B"},
		graph.NodeAdded{GraphID: "g-1", NodeID: "a", Label: "Paper A", Metadata: map[string]string{"year": "2019"}},
		graph.NodeAdded{GraphID: "g-1", NodeID: "c", Label: "Paper C"},
		graph.EdgeConnected{From: "a", To: "b", Relation: "cites"},
		graph.EdgeConnected{From: "c", To: "a", Relation: "cites"},
		graph.ConceptualPointMapped{NodeID: "a", Concept: "snapshots"},
		graph.ConceptualPointMapped{NodeID: "c", Concept: "snapshots"},
		graph.ConceptualPointMapped{NodeID: "c", Concept: "projections"}, // c moves
		graph.GraphArchived{ArchivedAt: clock.Add(time.Hour)},
	}
	recs := history("g-1", events...)
	v := New()
	apply(t, v, recs, events)
	apply(t, v, recs, events) // every event delivered again

	want := Graph{
		ID: "g-1", Name: "citations", CreatedAt: clock, Archived: true, ArchivedAt: clock.Add(time.Hour),
		Nodes: []Node{
			{ID: "a", Label: "Paper A", Metadata: map[string]string{"year": "2019"}, Concept: "snapshots"},
			{ID: "b", Label: "Paper B"},
			{ID: "c", Label: "Paper C", Concept: "projections"},
		},
		Edges:   []Edge{{From: "a", To: "b", Relation: "cites"}, {From: "c", To: "a", Relation: "cites"}},
		Version: 10,
	}
	got, ok := v.Graph("g-1")
	if diff := cmp.Diff(want, got); !ok || diff != "" {
		t.Errorf("Graph (-want +got):\n%s", diff)
	}
	if v.Skipped() != len(events) {
		t.Errorf("Skipped = %d, want %d", v.Skipped(), len(events))
	}
	if diff := cmp.Diff([]Edge{{"a", "b", "cites"}, {"c", "a", "cites"}}, v.Neighbours("g-1", "a")); diff != "" {
		t.Errorf("Neighbours(a) (-want +got):\n%s", diff)
	}
	if got := v.Neighbours("g-1", "b"); len(got) != 1 || got[0].From != "a" {
		t.Errorf("Neighbours(b) = %v", got)
	}
	if got := v.Concept("g-1", "snapshots"); !cmp.Equal(got, []string{"a"}) {
		t.Errorf("Concept(snapshots) = %v, want [a]", got)
	}
	if got := v.Concept("g-1", "projections"); !cmp.Equal(got, []string{"c"}) {
		t.Errorf("Concept(projections) = %v, want [c]", got)
	}

	// Copies: changing one changes nothing in the view.
	got.Nodes[0].Metadata["year"] = "1999"
	got.Edges[0].Relation = "changed"
	again, _ := v.Graph("g-1")
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("the view changed through a copy (-want +got):\n%s", diff)
	}

	if v.Neighbours("g-9", "a") != nil || v.Concept("g-9", "x") != nil {
		t.Error("queries of an unknown graph returned something")
	}
	if _, ok := v.Graph("g-9"); ok {
		t.Error("Graph(g-9) found")
	}
	if err := v.Reset(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ids := v.IDs(); len(ids) != 0 || v.Skipped() != 0 {
		t.Errorf("after Reset: graphs %v, skipped %d", ids, v.Skipped())
	}
}

// TestViewRejectsImpossibleHistory checks that events the aggregate could not
// have recorded fail instead of building a wrong view.
func TestViewRejectsImpossibleHistory(t *testing.T) {
	v := New()
	recs := history("g-2", graph.NodeAdded{NodeID: "a"})
	if err := v.Apply(context.Background(), recs[0], graph.NodeAdded{NodeID: "a"}); err == nil {
		t.Error("a node of a graph never created was applied")
	}
	events := []graph.GraphEvent{graph.GraphCreated{Name: "g"}, graph.ConceptualPointMapped{NodeID: "zz", Concept: "c"}}
	recs = history("g-3", events...)
	if err := v.Apply(context.Background(), recs[0], events[0]); err != nil {
		t.Fatal(err)
	}
	if err := v.Apply(context.Background(), recs[1], events[1]); err == nil {
		t.Error("a conceptual point on a missing node was applied")
	}
	if diff := cmp.Diff([]string{"g-3"}, v.IDs()); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
}
