package memstore_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/esgen/esgen/runtime/storetest"
)

func TestConformance(t *testing.T) {
	// A store shared by the subtests, and one that starts at a sequence far
	// from zero so that no code can mistake a sequence for a version.
	shared := memstore.New()
	t.Run("Shared", func(t *testing.T) {
		storetest.Run(t, func(*testing.T) es.Store { return shared })
	})
	t.Run("Fresh", func(t *testing.T) {
		storetest.Run(t, func(*testing.T) es.Store { return memstore.New(memstore.WithStartSequence(1000)) })
	})
}

func TestSnapshotConformance(t *testing.T) {
	storetest.RunSnapshots(t, func(*testing.T) es.SnapshotStore { return memstore.New() })
}

func TestRepositoryConformance(t *testing.T) {
	storetest.RunRepository(t, func(*testing.T) storetest.Stores {
		s := memstore.New(memstore.WithStartSequence(77))
		return storetest.Stores{Events: s, Snapshots: s}
	})
}

func TestRepositoryWindow(t *testing.T) {
	storetest.RunWindow(t, memstore.New(memstore.WithStartSequence(77)), storetest.Window{Appends: es.DedupeAppends})
}

// The in-memory store does not run storetest.RunExisting: nothing of it
// exists before New, so there is no storage made by another service whose
// settings it could change. The version check of its appends, done by
// TestVersionMismatch before, is the conformance suite's RepeatedVersion.

// TestStartSequence: WithStartSequence offsets the sequences.
func TestStartSequence(t *testing.T) {
	s := memstore.New(memstore.WithStartSequence(41))
	res, err := s.Append(t.Context(), &es.AppendRequest{Ref: es.Ref{Type: "T", ID: "x"}, CommandID: "c",
		Events: []es.RawEvent{{Type: "E", Data: []byte(`1`)}, {Type: "E", Data: []byte(`2`)}}})
	if err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	for rec, err := range s.Read(t.Context(), es.Ref{Type: "T", ID: "x"}, es.Position{}) {
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, rec.Sequence)
	}
	if res.Sequence != 42 || res.Version != 2 || !slices.Equal(seqs, []uint64{42, 42}) {
		t.Errorf("first append: sequence %d version %d, records read at %v, want 42 2 [42 42]", res.Sequence, res.Version, seqs)
	}
}

// TestDedupeWindow: a command retried at the aggregate's newest position is
// recognised while it is among the newest 1024 appends; at the position it
// was stored at, at any age.
func TestDedupeWindow(t *testing.T) {
	s := memstore.New()
	ref := es.Ref{Type: "T", ID: "x"}
	ev := []es.RawEvent{{Type: "E", SchemaVersion: 1, Data: []byte(`{}`)}}
	var at es.Position
	var first es.AppendResult
	for i := range 1100 {
		res, err := s.Append(t.Context(), &es.AppendRequest{Ref: ref, CommandID: "c" + strconv.Itoa(i),
			ExpectedVersion: at.Version, ExpectedSequence: at.Sequence, Events: ev})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = res
		}
		at = es.Position{Version: res.Version, Sequence: res.Sequence}
	}
	retry := func(cmd string, pos es.Position) es.AppendResult {
		t.Helper()
		res, err := s.Append(t.Context(), &es.AppendRequest{Ref: ref, CommandID: cmd,
			ExpectedVersion: pos.Version, ExpectedSequence: pos.Sequence, Events: ev})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := retry("c1000", at); !res.Duplicate || res.Version != 1001 {
		t.Errorf("recent command retried at the newest position: %+v, want the stored version 1001", res)
	}
	if res := retry("c0", es.Position{}); !res.Duplicate || res.Sequence != first.Sequence {
		t.Errorf("old command retried where it was stored: %+v, want the stored result", res)
	}
	if res := retry("c0", at); res.Duplicate || res.Version != 1101 {
		t.Errorf("command older than the window retried at the newest position: %+v, want a new append", res)
	}
}

// TestEventIDs: the events of one append are read back with the ids
// es.EventID gives, past nine events too, and a read from inside an append
// starts at the right event.
func TestEventIDs(t *testing.T) {
	s := memstore.New()
	ref := es.Ref{Type: "T", ID: "x"}
	evs := make([]es.RawEvent, 12)
	for i := range evs {
		evs[i] = es.RawEvent{Type: "E", SchemaVersion: 1, Data: []byte(strconv.Itoa(i))}
	}
	res, err := s.Append(t.Context(), &es.AppendRequest{Ref: ref, CommandID: "cmd", Events: evs})
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for rec, err := range s.Read(t.Context(), ref, es.Position{}) {
		if err != nil {
			t.Fatal(err)
		}
		if want := es.EventID("cmd", i); rec.EventID != want || rec.Version != uint64(i+1) || string(rec.Data) != strconv.Itoa(i) {
			t.Errorf("record %d: id %q version %d data %q, want %q %d %q", i, rec.EventID, rec.Version, rec.Data, want, i+1, strconv.Itoa(i))
		}
		i++
	}
	if i != len(evs) {
		t.Errorf("read %d records, want %d", i, len(evs))
	}
	var got []string
	for rec, err := range s.Read(t.Context(), ref, es.Position{Version: 9, Sequence: res.Sequence}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec.EventID)
	}
	if want := []string{"cmd-10", "cmd-11", "cmd-12"}; !slices.Equal(got, want) {
		t.Errorf("read from version 9 = %q, want %q", got, want)
	}
}

// TestRetriesOfLongStreams: once an aggregate has more appends than are
// scanned for a retried command id, they are found through an index, also
// appends of several events, and only the newest 1024 of them.
func TestRetriesOfLongStreams(t *testing.T) {
	s := memstore.New()
	ref := es.Ref{Type: "T", ID: "x"}
	var at es.Position
	type stored struct {
		es.AppendResult
		n int // the append's number
	}
	results := map[string]stored{}
	for i := range 1500 {
		cmd := "c" + strconv.Itoa(i)
		evs := make([]es.RawEvent, 1+i%3)
		for j := range evs {
			evs[j] = es.RawEvent{Type: "E", SchemaVersion: 1, Data: []byte(`{}`)}
		}
		res, err := s.Append(t.Context(), &es.AppendRequest{Ref: ref, CommandID: cmd,
			ExpectedVersion: at.Version, ExpectedSequence: at.Sequence, Events: evs})
		if err != nil || res.Duplicate {
			t.Fatalf("append %d: %+v, %v", i, res, err)
		}
		results[cmd] = stored{res, i}
		at = es.Position{Version: res.Version, Sequence: res.Sequence}
	}
	for _, tc := range []struct {
		cmd       string
		duplicate bool
	}{
		{"c1499", true}, {"c1000", true}, {"c476", true}, // the newest 1024
		{"c475", false}, {"c20", false}, {"c0", false}, // older
	} {
		res, err := s.Append(t.Context(), &es.AppendRequest{Ref: ref, CommandID: tc.cmd,
			ExpectedVersion: at.Version, ExpectedSequence: at.Sequence,
			Events: []es.RawEvent{{Type: "E", SchemaVersion: 1, Data: []byte(`{}`)}}})
		if err != nil {
			t.Fatalf("%s retried at the newest position: %v", tc.cmd, err)
		}
		if res.Duplicate != tc.duplicate {
			t.Errorf("%s retried at the newest position: duplicate %t, want %t", tc.cmd, res.Duplicate, tc.duplicate)
		}
		if tc.duplicate {
			want := results[tc.cmd]
			if n := 1 + want.n%3; res.Sequence != want.Sequence || res.Version != want.Version || len(res.Records) != n ||
				res.Records[n-1].EventID != es.EventID(tc.cmd, n-1) || res.Records[n-1].Version != want.Version {
				t.Errorf("%s: sequence %d version %d, records %+v; want %d %d and %d records", tc.cmd, res.Sequence, res.Version, res.Records, want.Sequence, want.Version, n)
			}
			continue
		}
		at = es.Position{Version: res.Version, Sequence: res.Sequence}
	}
}

// TestLongHistory: an aggregate whose log spans many chunks reads back
// whole, from any position, with payloads of every size.
func TestLongHistory(t *testing.T) {
	s := memstore.New()
	ref := es.Ref{Type: "T", ID: "long"}
	var at es.Position
	var want []string
	for i := range 3000 {
		data := []byte(`"` + strings.Repeat("x", i%700) + `"`)
		if i == 1500 {
			data = []byte(`"` + strings.Repeat("y", 200<<10) + `"`) // larger than a chunk
		}
		res, err := s.Append(t.Context(), &es.AppendRequest{Ref: ref, CommandID: "c" + strconv.Itoa(i),
			ExpectedVersion: at.Version, ExpectedSequence: at.Sequence,
			Events: []es.RawEvent{{Type: "E", SchemaVersion: 1, Data: data}}})
		if err != nil {
			t.Fatal(err)
		}
		at = es.Position{Version: res.Version, Sequence: res.Sequence}
		want = append(want, string(data))
	}
	for _, from := range []uint64{0, 1, 1499, 1500, 2999, 3000} {
		var got []string
		for rec, err := range s.Read(t.Context(), ref, es.Position{Version: from}) {
			if err != nil {
				t.Fatal(err)
			}
			if rec.Version != from+uint64(len(got))+1 || rec.EventID != es.EventID("c"+strconv.Itoa(int(rec.Version)-1), 0) {
				t.Fatalf("read from %d: record %+v out of order", from, rec.Metadata)
			}
			got = append(got, string(rec.Data))
		}
		if !slices.Equal(got, want[from:]) {
			t.Errorf("read from %d: %d records, want %d, or payloads differ", from, len(got), len(want)-int(from))
		}
	}
}

func TestScanConformance(t *testing.T) {
	shared := memstore.New(memstore.WithStartSequence(500))
	storetest.RunScan(t, func(*testing.T) es.Store { return shared })
}

// TestDedupeWindowLookedUpAsItGrows: looked up between appends, from the
// first append on, past the window, and after a stretch without lookups
// longer than the window, the index finds exactly the newest 1024 appends.
func TestDedupeWindowLookedUpAsItGrows(t *testing.T) {
	s := memstore.New()
	ref := es.Ref{Type: "T", ID: "x"}
	var at es.Position
	find := func(i int) bool {
		t.Helper()
		_, ok, err := s.FindCommand(t.Context(), ref, "c"+strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for i := range 4000 {
		res, err := s.Append(t.Context(), &es.AppendRequest{Ref: ref, CommandID: "c" + strconv.Itoa(i), NewCommandID: true,
			ExpectedVersion: at.Version, ExpectedSequence: at.Sequence,
			Events: []es.RawEvent{{Type: "E", SchemaVersion: 1, Data: []byte(`{}`)}}})
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		at = es.Position{Version: res.Version, Sequence: res.Sequence}
		if i >= 1500 && i < 2600 { // no lookups for longer than the window
			continue
		}
		if i%7 != 0 && i != 2600 {
			continue
		}
		oldest := max(0, i-es.DedupeAppends+1)
		for _, j := range []int{i, (oldest + i) / 2, oldest} {
			if !find(j) {
				t.Fatalf("after append %d: c%d not found", i, j)
			}
		}
		if oldest > 0 && find(oldest-1) {
			t.Fatalf("after append %d: c%d found, out of the window", i, oldest-1)
		}
		if find(i + 1) {
			t.Fatalf("after append %d: c%d found, never appended", i, i+1)
		}
	}
}
