package inspect_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/internal/browsertest"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/inspect"
	"github.com/esgen/esgen/runtime/internal/envelope"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/machine"
)

// lamp is the machine of the large stream: lamps switched on and off,
// some broken at the end.
var lamp = machine.Machine{
	Name:   "Lamp",
	States: []machine.State{{Name: "Off", Initial: true}, {Name: "On"}, {Name: "Broken", Final: true}},
	Transitions: []machine.Transition{
		{From: "Off", To: "On", Command: "SwitchOn", Events: []string{"SwitchedOn"}},
		{From: "On", To: "Off", Command: "SwitchOff", Events: []string{"SwitchedOff"}},
		{From: "On", To: "Broken", Command: "Break", Events: []string{"Broke"}},
	},
}

// Sizes of the large stream.
const (
	largeInstances = 10_000
	largeVersions  = 10 // events per instance: 100,000 in all
)

// publishLarge fills the stream of store with largeInstances lamps of
// largeVersions events each, one event per message, published directly
// (without the store's checks) in rounds: version v of every lamp, then
// version v+1. Lamp i is at stream sequence (v-1)*largeInstances+i+1 at
// version v, which is what its next envelope names as the previous one.
func publishLarge(t testing.TB, js jetstream.JetStream, store *jsstore.Store) {
	t.Helper()
	ctx := t.Context()
	start := time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)
	var buf []byte
	for v := uint64(1); v <= largeVersions; v++ {
		for i := range largeInstances {
			ref := es.Ref{Type: "Lamp", ID: fmt.Sprintf("lamp-%05d", i)}
			ev := "SwitchedOn"
			switch {
			case v == largeVersions && i%10 == 0:
				ev = "Broke"
			case v%2 == 0:
				ev = "SwitchedOff"
			}
			var prev uint64
			if v > 1 {
				prev = (v-2)*largeInstances + uint64(i) + 1
			}
			cmd := fmt.Sprintf("c%d-%d", i, v)
			req := &es.AppendRequest{
				Ref: ref, ExpectedVersion: v - 1, ExpectedSequence: prev, CommandID: cmd,
				Time: start.Add(time.Duration(v)*time.Hour + time.Duration(i)*time.Millisecond), CorrelationID: fmt.Sprintf("flow-%d", i), CausationID: cmd,
				Actor: "test", Events: []es.RawEvent{{Type: ev, SchemaVersion: 1, Data: []byte(`{"watts":60}`)}},
			}
			buf = envelope.Append(buf[:0], req)
			if _, err := js.PublishAsync(store.Subject(ref), slices.Clone(buf)); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case <-js.PublishAsyncComplete():
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
}

// timeGet returns how long GET url takes to answer in full, failing on a
// status other than 200.
func timeGet(t testing.TB, url string) time.Duration {
	t.Helper()
	start := time.Now()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return time.Since(start)
}

// TestLargeStream serves a stream of 100,000 events across 10,000
// instances: the requests of the instance list's page and of one
// instance's page must answer in less than 300 ms (the median of five
// loads of each), and, when Chromium is there, the pages must load and
// draw in less than 300 ms (the fastest of five loads).
func TestLargeStream(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a stream of 100,000 events")
	}
	js := startJetStream(t)
	store, err := jsstore.New(t.Context(), js, jsstore.WithMemoryStorage())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	publishLarge(t, js, store)
	t.Logf("published %d events in %v", largeInstances*largeVersions, time.Since(start).Round(time.Millisecond))

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start = time.Now()
	_, srv := serve(t, js, inspect.Type{Name: "Lamp", Machine: lamp})
	t.Logf("the inspector read the stream in %v", time.Since(start).Round(time.Millisecond))
	runtime.GC()
	runtime.ReadMemStats(&after)
	// The embedded server shares the heap: this is an upper bound of the
	// index's size.
	t.Logf("heap grew by %.1f MB while the inspector read the stream (%d bytes per event)",
		float64(after.HeapAlloc-before.HeapAlloc)/1e6, (after.HeapAlloc-before.HeapAlloc)/uint64(largeInstances*largeVersions))

	pages := []struct {
		name string
		urls []string
	}{
		{"instance list", []string{"/api/meta", "/api/instances?type=Lamp&q="}},
		{"search", []string{"/api/instances?type=Lamp&q=0999"}},
		{"state filter", []string{"/api/instances?type=Lamp&q=&state=Broken"}},
		{"one instance", []string{"/api/meta", "/api/instance?type=Lamp&id=lamp-04321"}},
	}
	for _, p := range pages {
		var times []time.Duration
		for range 5 {
			var d time.Duration
			for _, u := range p.urls {
				d += timeGet(t, srv.URL+u)
			}
			times = append(times, d)
		}
		slices.Sort(times)
		median := times[len(times)/2]
		t.Logf("%s: median %v (fastest %v, slowest %v)", p.name, median.Round(time.Microsecond), times[0].Round(time.Microsecond), times[len(times)-1].Round(time.Microsecond))
		if median >= 300*time.Millisecond {
			t.Errorf("%s: loads in %v, want less than 300ms", p.name, median)
		}
	}

	// In a browser, from the start of the page's load to the end of its
	// drawing.
	if browsertest.Find() == "" {
		t.Log(browsertest.NoChromium)
	} else {
		b := browsertest.New(t)
		for _, p := range []struct{ name, hash string }{
			{"instance list", "#/t/Lamp"},
			{"one instance", "#/i/Lamp/lamp-04321"},
		} {
			d := b.LoadTime(t, srv.URL, p.hash)
			t.Logf("%s in Chromium: fastest %v", p.name, d)
			if d >= 300*time.Millisecond {
				t.Errorf("%s: the page loads in %v in Chromium, want less than 300ms", p.name, d)
			}
		}
		if errs := b.ConsoleErrors(); len(errs) > 0 {
			t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
		}
	}

	// What the list shows of it.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var list struct {
		Type struct {
			Instances int            `json:"instances"`
			Events    int            `json:"events"`
			Counts    map[string]int `json:"counts"`
		} `json:"type"`
		Matched   int `json:"matched"`
		Instances []struct {
			ID, State string
			Version   uint64
		} `json:"instances"`
	}
	getJSON(ctx, t, srv.URL+"/api/instances?type=Lamp&q=0999", &list)
	if list.Type.Instances != largeInstances || list.Type.Events != largeInstances*largeVersions {
		t.Errorf("%d instances and %d events, want %d and %d", list.Type.Instances, list.Type.Events, largeInstances, largeInstances*largeVersions)
	}
	if want := map[string]int{"Off": 9000, "Broken": 1000}; fmt.Sprint(list.Type.Counts) != fmt.Sprint(want) {
		t.Errorf("counts %v, want %v", list.Type.Counts, want)
	}
	// lamp-00999 and lamp-09990 to lamp-09999, the newest first.
	if list.Matched != 11 || len(list.Instances) != 11 || list.Instances[0].ID != "lamp-09999" || list.Instances[10].ID != "lamp-00999" {
		t.Errorf("search 0999: %d matched: %+v", list.Matched, list.Instances)
	}
	var one struct {
		Events []struct {
			Version uint64 `json:"version"`
			State   string `json:"state"`
			Trail   int    `json:"trail"`
		} `json:"events"`
	}
	getJSON(ctx, t, srv.URL+"/api/instance?type=Lamp&id=lamp-04320", &one)
	if len(one.Events) != largeVersions || one.Events[9].State != "Broken" || one.Events[8].State != "On" || one.Events[0].Trail != largeVersions {
		t.Errorf("lamp-04320: %+v", one.Events)
	}
}
