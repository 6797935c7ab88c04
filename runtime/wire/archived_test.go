package wire_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

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

// TestReadTombstones: with Tombstones, Read yields the tombstone of an
// archived aggregate where it is in the stream, for a filter of the whole
// stream, of the aggregate's type or of the aggregate itself, and
// ReadArchived reads its events back from the archive.
func TestReadTombstones(t *testing.T) {
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
	if err := s.ArchiveAggregate(ctx, es.Ref{Type: "Order", ID: "o-1"}, es.Snapshot{Position: es.Position{Version: 1, Sequence: 1}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ filter, want string }{
		{"", "events.Order.o-2 b | events.archived.Order.o-1 archived Order o-1 v1 seq 1 EVENTS/Order/o-1"},
		{"events.Order.*", "events.Order.o-2 b | events.archived.Order.o-1 archived Order o-1 v1 seq 1 EVENTS/Order/o-1"},
		{"events.Order.o-1", "events.archived.Order.o-1 archived Order o-1 v1 seq 1 EVENTS/Order/o-1"},
		{"events.*.>", "events.Order.o-2 b | events.archived.Order.o-1 archived Order o-1 v1 seq 1 EVENTS/Order/o-1"},
		{"events.archived.>", "events.archived.Order.o-1 archived Order o-1 v1 seq 1 EVENTS/Order/o-1"},
		{"events.Order.o-2", "events.Order.o-2 b"},
	} {
		var got []string
		var tomb *wire.Archived
		for m, err := range wire.Read(ctx, js, wire.ReadOptions{Stream: "EVENTS", Filter: c.filter, Tombstones: true}) {
			if err != nil {
				t.Fatalf("filter %q: %v", c.filter, err)
			}
			if a := m.Archived; a != nil {
				tomb = a
				got = append(got, fmt.Sprintf("%s archived %s %s v%d seq %d %s", m.Subject, a.Ref.Type, a.Ref.ID, a.Tombstone.Version, a.Tombstone.Sequence, a.Object))
				continue
			}
			got = append(got, m.Subject+" "+m.CommandID)
		}
		if g := strings.Join(got, " | "); g != c.want {
			t.Errorf("filter %q: %s, want %s", c.filter, g, c.want)
		}
		if tomb == nil {
			continue
		}
		archive, err := wire.OpenArchive(ctx, js, "")
		if err != nil {
			t.Fatal(err)
		}
		recs, err := wire.ReadArchived(ctx, archive, "EVENTS", tomb)
		if err != nil || len(recs) != 1 {
			t.Fatalf("ReadArchived: %v, %v", recs, err)
		}
		ev := wire.ArchivedEvents(tomb, recs)
		if ev[0].Subject != "events.Order.o-1" || ev[0].CommandID != "a" || !ev[0].Archived || ev[0].Sequence != 1 {
			t.Errorf("archived event: %+v", ev[0])
		}
	}
	if _, err := wire.OpenArchive(ctx, js, "NOPE"); !errors.Is(err, jetstream.ErrBucketNotFound) {
		t.Errorf("OpenArchive of a missing bucket: %v, want ErrBucketNotFound", err)
	}
}
