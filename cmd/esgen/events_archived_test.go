package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
)

// TestEventsArchived: an archived aggregate that the filter takes (by its
// own subject, its type, or the whole stream) is named on stderr with its
// archive object, and -archived prints its events from the archive where
// its tombstone is, marked archived; stdout keeps the other events as
// they were.
func TestEventsArchived(t *testing.T) {
	srv, js := eventsServer(t, t.TempDir())
	writeEvents(t, js, eventsAppends)
	ctx := context.Background()
	archive, err := jsstore.NewObjectArchive(ctx, js, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	store, err := jsstore.New(ctx, js, jsstore.WithArchive(archive))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ArchiveAggregate(ctx, es.Ref{Type: "Order", ID: "o-1"}, es.Snapshot{Position: es.Position{Version: 3, Sequence: 2}}); err != nil {
		t.Fatal(err)
	}
	url := srv.ClientURL()
	lines := strings.SplitAfter(eventsWant, "\n")
	archived := func(line string) string { return strings.Replace(line, "}\n", `,"archived":true}`+"\n", 1) }
	note := `esgen events: Order "o-1" is archived (3 events, archived `
	noteEnd := `): its events are in the object EVENTS/Order/o-1 of the Object Store bucket ARCHIVE; -archived prints them` + "\n"
	for _, tt := range []struct {
		name     string
		args     []string
		stdout   string
		archived bool // stderr names o-1 as archived
	}{
		{"instance", []string{"events.Order.o-1"}, "", true},
		{"type", []string{"events.Order.*"}, "", true},
		{"all", nil, lines[3], true},
		{"tombstones", []string{"events.archived.>"}, "", true},
		{"another instance", []string{"events.Payment.p-1"}, lines[3], false},
		{"instance -archived", []string{"-archived", "events.Order.o-1"}, archived(lines[0]) + archived(lines[1]) + archived(lines[2]), false},
		{"all -archived", []string{"-archived"}, lines[3] + archived(lines[0]) + archived(lines[1]) + archived(lines[2]), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runEvents(ctx, append([]string{"-nats", url}, tt.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %s", code, errs)
			}
			if out != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tt.stdout)
			}
			if got := strings.HasPrefix(errs, note) && strings.HasSuffix(errs, noteEnd) && strings.Count(errs, "\n") == 1; got != tt.archived || (!tt.archived && errs != "") {
				t.Errorf("stderr %q; want the note of o-1: %t", errs, tt.archived)
			}
		})
	}
	// Past 20 archived aggregates, stderr counts the others.
	for i := range 21 {
		id := fmt.Sprintf("x-%02d", i)
		res, err := store.Append(ctx, &es.AppendRequest{Ref: es.Ref{Type: "Order", ID: id}, CommandID: id, Time: eventsT0,
			Events: []es.RawEvent{{Type: "OrderSubmitted", SchemaVersion: 1, Data: []byte(`{}`)}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.ArchiveAggregate(ctx, es.Ref{Type: "Order", ID: id}, es.Snapshot{Position: es.Position{Version: 1, Sequence: res.Sequence}}); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := runEvents(ctx, "-nats", url, "events.Order.*")
	notes := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	if code != exitOK || out != "" || len(notes) != 21 || notes[20] != "esgen events: and 2 more archived aggregates; -archived prints their events" ||
		!strings.HasPrefix(notes[19], `esgen events: Order "x-18" is archived`) {
		t.Errorf("22 archived aggregates: exit %d, stdout %q, stderr:\n%s", code, out, errs)
	}

	code, out, errs = runEvents(ctx, "-nats", url, "-archived", "-archive-bucket", "NOPE", "events.Order.o-1")
	if code == exitOK || out != "" || !strings.Contains(errs, `Order "o-1" is archived`) || !strings.Contains(errs, "NOPE") {
		t.Errorf("-archived with a missing bucket: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
