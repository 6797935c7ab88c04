package wire_test

import (
	"context"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/wire"
)

// TestReadSkipsTombstones: reading the whole stream after an aggregate is
// archived yields the messages left, without its tombstone.
func TestReadSkipsTombstones(t *testing.T) {
	js := startJS(t)
	ctx := context.Background()
	a, err := jsstore.NewObjectArchive(ctx, js, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jsstore.New(ctx, js, jsstore.WithArchive(a))
	if err != nil {
		t.Fatal(err)
	}
	appendOne(t, s, "Order", "o-1", "a", 0, 0)
	appendOne(t, s, "Order", "o-2", "b", 0, 0)
	snap := es.Snapshot{Position: es.Position{Version: 1, Sequence: 1}}
	if err := s.ArchiveAggregate(ctx, es.Ref{Type: "Order", ID: "o-1"}, snap); err != nil {
		t.Fatal(err)
	}
	appendOne(t, s, "Order", "o-2", "c", 2, 1)
	got, err := collect(t, ctx, js, wire.ReadOptions{Stream: "EVENTS"}, -1)
	if want := []string{"events.Order.o-2 b 2 0 v1", "events.Order.o-2 c 4 2 v2"}; err != nil || !equal(got, want) {
		t.Errorf("read after archival: %q, %v; want %q", got, err, want)
	}
	// Ending on a tombstone ends the read too.
	if err := s.ArchiveAggregate(ctx, es.Ref{Type: "Order", ID: "o-2"}, es.Snapshot{Position: es.Position{Version: 2, Sequence: 4}}); err != nil {
		t.Fatal(err)
	}
	got, err = collect(t, ctx, js, wire.ReadOptions{Stream: "EVENTS"}, -1)
	if err != nil || len(got) != 0 {
		t.Errorf("read of tombstones only: %q, %v; want nothing", got, err)
	}
}
