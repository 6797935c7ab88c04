package inspect_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/esgen/esgen/internal/browsertest"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/inspect"
	"github.com/esgen/esgen/runtime/jsstore"
)

// TestArchived: an archived instance is listed (marked archived, in its
// final state, which the tombstone names when the inspector never saw its
// events) and its history is read from the archive; one archived while
// the inspector runs is marked too. Without the archive bucket, the
// history of an archived instance says where its events are.
func TestArchived(t *testing.T) {
	js := startJetStream(t)
	ctx := t.Context()
	archive, err := jsstore.NewObjectArchive(ctx, js, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	store, err := jsstore.New(ctx, js, jsstore.WithArchive(archive))
	if err != nil {
		t.Fatal(err)
	}
	a := &appender{t: t, store: store, at: map[es.Ref]es.AppendResult{}}
	d1, d2, d3 := es.Ref{Type: "Door", ID: "d-1"}, es.Ref{Type: "Door", ID: "d-2"}, es.Ref{Type: "Door", ID: "d-3"}
	a.add(d1, "kick-1", "f1", "kick-1", `Jammed:{}`, `AlarmRaised:{}`)
	a.add(d2, "kick-2", "f2", "kick-2", `Jammed:{}`)
	a.add(d3, "open-3", "f3", "open-3", `Opened:{}`)
	// A process's step caused by d-1's first event, which the inspector
	// never sees in the stream: its cause is read from the archive.
	keeper := es.Ref{Type: "Keeper", ID: "d-1"}
	a.addBy("Keeper", keeper, "in:Door.d-1.kick-1-1", "f1", "kick-1-1", `Jammed:{"from":"Watching","to":"Closing","input":{}}`)
	archiveDoor := func(ref es.Ref, state string) {
		t.Helper()
		at := a.at[ref]
		snap := es.Snapshot{Position: es.Position{Version: at.Version, Sequence: at.Sequence}, SchemaVersion: "Door/1", Data: []byte(`{"state":"` + state + `","data":{}}`)}
		if err := store.ArchiveAggregate(ctx, ref, snap); err != nil {
			t.Fatal(err)
		}
	}
	archiveDoor(d1, "Broken")
	_, srv := serve(t, js, inspect.Type{Name: "Door", Machine: door})

	type listJSON struct {
		Type struct {
			Instances int            `json:"instances"`
			Events    int            `json:"events"`
			Archived  int            `json:"archived"`
			Counts    map[string]int `json:"counts"`
		} `json:"type"`
		Instances []struct {
			ID       string     `json:"id"`
			State    string     `json:"state"`
			Version  uint64     `json:"version"`
			Archived *time.Time `json:"archived"`
		} `json:"instances"`
	}
	list := func() string {
		t.Helper()
		var l listJSON
		getJSON(ctx, t, srv.URL+"/api/instances?type=Door", &l)
		rows := []string{fmt.Sprintf("%d instances, %d events, %d archived, %v", l.Type.Instances, l.Type.Events, l.Type.Archived, l.Type.Counts)}
		for _, in := range l.Instances {
			rows = append(rows, fmt.Sprintf("%s %s v%d archived=%t", in.ID, in.State, in.Version, in.Archived != nil))
		}
		return strings.Join(rows, "\n")
	}
	if got, want := list(), `3 instances, 2 events, 1 archived, map[Broken:2 Open:1]
d-3 Open v1 archived=false
d-2 Broken v1 archived=false
d-1 Broken v2 archived=true`; got != want {
		t.Errorf("list:\n%s\nwant\n%s", got, want)
	}
	history := func(base string, ref es.Ref) string {
		t.Helper()
		resp, err := http.Get(base + "/api/instance?type=" + ref.Type + "&id=" + ref.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return fmt.Sprintf("%d %s", resp.StatusCode, body)
	}
	got := history(srv.URL, d1)
	for _, want := range []string{`200 `, `"event_type":"Jammed"`, `"event_type":"AlarmRaised"`, `"state":"Broken"`,
		`"archived":{"time":"`, `"bucket":"ARCHIVE","object":"EVENTS/Door/d-1"}`} {
		if !strings.Contains(got, want) {
			t.Errorf("history of the archived d-1 lacks %s:\n%s", want, got)
		}
	}

	if got := history(srv.URL, keeper); !strings.Contains(got, `"cause":{"type":"Door","id":"d-1","version":1,"sequence":1,"event_id":"kick-1-1","event_type":"Jammed"`) {
		t.Errorf("history of Keeper d-1: no cause read from the archive:\n%s", got)
	}

	// Archived while the inspector follows the stream.
	archiveDoor(d2, "Broken")
	deadline := time.Now().Add(10 * time.Second)
	// The index saw d-2's event before the archival purged it.
	want := `3 instances, 2 events, 2 archived, map[Broken:2 Open:1]
d-3 Open v1 archived=false
d-2 Broken v1 archived=true
d-1 Broken v2 archived=true`
	for got := list(); got != want; got = list() {
		if time.Now().After(deadline) {
			t.Fatalf("list after d-2 is archived:\n%s\nwant\n%s", got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := history(srv.URL, d2); !strings.Contains(got, `"event_type":"Jammed"`) || !strings.Contains(got, `"object":"EVENTS/Door/d-2"`) {
		t.Errorf("history of d-2, archived while followed:\n%s", got)
	}

	// Without the archive's bucket.
	ins, err := inspect.New(ctx, js, inspect.Config{ArchiveBucket: "NOPE", Types: []inspect.Type{{Name: "Door", Machine: door}}})
	if err != nil {
		t.Fatal(err)
	}
	defer ins.Close()
	wait, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := ins.Ready(wait); err != nil {
		t.Fatal(err)
	}
	other := httptestServer(t, ins)
	if got, want := history(other, d1), `404 {"error":"Door \"d-1\" is archived: its events are in the object EVENTS/Door/d-1 of the archive, which cannot be read: no archive bucket NOPE"}`; strings.TrimSpace(got) != want {
		t.Errorf("history without the bucket: %s, want %s", got, want)
	}
}

// httptestServer serves h until the test ends and returns its URL.
func httptestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestBrowserArchived: in headless Chromium, the list marks an archived
// instance and counts it in the heading, and its page says that its
// history comes from the archive, and shows it. No console error may
// appear.
func TestBrowserArchived(t *testing.T) {
	b := browsertest.New(t)
	js := startJetStream(t)
	ctx := t.Context()
	archive, err := jsstore.NewObjectArchive(ctx, js, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	store, err := jsstore.New(ctx, js, jsstore.WithArchive(archive))
	if err != nil {
		t.Fatal(err)
	}
	a := &appender{t: t, store: store, at: map[es.Ref]es.AppendResult{}}
	d1 := es.Ref{Type: "Door", ID: "d-1"}
	a.add(d1, "kick-1", "f1", "kick-1", `Jammed:{}`, `AlarmRaised:{}`)
	a.add(es.Ref{Type: "Door", ID: "d-2"}, "open-2", "f2", "open-2", `Opened:{}`)
	if err := store.ArchiveAggregate(ctx, d1, es.Snapshot{Position: es.Position{Version: 2, Sequence: 1}, Data: []byte(`{"state":"Broken"}`)}); err != nil {
		t.Fatal(err)
	}
	_, srv := serve(t, js, inspect.Type{Name: "Door", Machine: door})
	b.Do(t, "open the list", chromedp.Navigate(srv.URL+"/#/t/Door"), chromedp.WaitVisible(chromedp.CSS(`#instances tbody tr[data-id="d-1"]`)))
	if got, want := b.Text(t, `#instances tbody tr[data-id="d-1"]`), "d-1Broken2archived"; !strings.HasPrefix(got, want) {
		t.Errorf("row of d-1: %q, want it to start with %q", got, want)
	}
	if got := b.Text(t, "h1"); !strings.Contains(got, "2 instances (1 archived)") {
		t.Errorf("heading: %q", got)
	}
	b.Do(t, "open d-1", chromedp.Navigate(srv.URL+"/#/i/Door/d-1"), chromedp.WaitVisible(chromedp.CSS(`#archived`)))
	if got := b.Text(t, "#archived"); !strings.Contains(got, "read from the object EVENTS/Door/d-1 of the archive bucket ARCHIVE") {
		t.Errorf("archived note: %q", got)
	}
	if got := browsertest.Eval[int](t, b, `document.querySelectorAll("#history tbody tr").length`); got != 2 {
		t.Errorf("history rows: %d, want 2", got)
	}
	if errs := b.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}
