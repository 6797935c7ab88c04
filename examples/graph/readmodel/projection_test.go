package readmodel

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/examples/graph"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
)

// TestProjectionOnJetStream feeds the view from graphs handled on the
// JetStream store in graph.esm's bounded context (stream GRAPHS), next to
// Metrics events on the same stream, and keeps it current as the graphs
// change.
func TestProjectionOnJetStream(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	})
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	store, err := jsstore.New(ctx, js, jsstore.WithStream(graph.GraphStream), jsstore.WithSubjectPrefix(graph.GraphSubjectPrefix))
	if err != nil {
		t.Fatal(err)
	}
	graphs := graph.NewGraphRepository(store, graph.Decider{Now: func() time.Time { return clock }}, graph.Evolver{})
	handle := func(id string, cmds ...graph.GraphCommand) {
		t.Helper()
		for _, c := range cmds {
			if _, err := graphs.Handle(ctx, id, c); err != nil {
				t.Fatalf("%s %T: %v", id, c, err)
			}
		}
	}
	handle("g-1",
		graph.CreateGraph{Name: "citations"},
		graph.AddNode{NodeID: "a", Label: "Paper A"},
		graph.AddNode{NodeID: "b", Label: "Paper B", Metadata: map[string]string{"doi": "10.1/b"}},
		graph.ConnectEdge{From: "a", To: "b", Relation: "cites"},
		graph.MapConceptualPoint{NodeID: "b", Concept: "snapshots"},
	)
	handle("g-2", graph.CreateGraph{Name: "empty"}, graph.ArchiveGraph{})
	if _, err := graph.NewMetricsLog(store).Append(ctx, "activity", []graph.MetricsEvent{
		graph.MetricRecorded{Name: "graphs", Value: 2, At: clock},
	}); err != nil {
		t.Fatal(err)
	}
	// A node added by an older release, in schema version 1.
	at, err := graphs.Load(ctx, "g-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Append(ctx, &es.AppendRequest{
		Ref: es.Ref{Type: "Graph", ID: "g-1"}, ExpectedVersion: at.Version, ExpectedSequence: at.Sequence,
		CommandID: "legacy-c", Time: clock,
		Events: []es.RawEvent{{Type: "NodeAdded", SchemaVersion: 1, Data: []byte(`{"graph_id":"g-1","node_id":"c","label":"Paper C"}`)}},
	}); err != nil {
		t.Fatal(err)
	}
	graphs.Forget("g-1")

	v := New()
	p, err := NewProjection(js, v)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	if err := p.CaughtUp(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"g-1", "g-2"}, v.IDs()); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	want := Graph{
		ID: "g-1", Name: "citations", CreatedAt: clock,
		Nodes: []Node{
			{ID: "a", Label: "Paper A"},
			{ID: "b", Label: "Paper B", Metadata: map[string]string{"doi": "10.1/b"}, Concept: "snapshots"},
			{ID: "c", Label: "Paper C"},
		},
		Edges:   []Edge{{From: "a", To: "b", Relation: "cites"}},
		Version: 6,
	}
	got, _ := v.Graph("g-1")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("g-1 (-want +got):\n%s", diff)
	}
	if g2, _ := v.Graph("g-2"); !g2.Archived || g2.Version != 2 || len(g2.Nodes) != 0 {
		t.Errorf("g-2 = %+v, want archived at version 2 with no nodes", g2)
	}

	handle("g-1", graph.ConnectEdge{From: "c", To: "a", Relation: "cites"})
	if err := p.CaughtUp(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Edge{{"a", "b", "cites"}, {"c", "a", "cites"}}, v.Neighbours("g-1", "a")); diff != "" {
		t.Errorf("Neighbours(a) after a new edge (-want +got):\n%s", diff)
	}

	if err := p.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.CaughtUp(ctx); err != nil {
		t.Fatal(err)
	}
	want.Edges = append(want.Edges, Edge{From: "c", To: "a", Relation: "cites"})
	want.Version = 7
	got, _ = v.Graph("g-1")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("g-1 after a rebuild (-want +got):\n%s", diff)
	}
}
