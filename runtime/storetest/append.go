package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/esgen/esgen/runtime/es"
)

// testOrdering: events come back in the order they were appended, with
// contiguous versions, one sequence per append shared by its events, and
// sequences that grow from append to append.
func testOrdering(f *fixture) {
	ref := f.ref("Order", "ordering")
	r1 := f.add(ref, es.Position{}, "c1", 1)
	r2 := f.add(ref, pos(r1), "c2", 3)
	r3 := f.add(ref, pos(r2), "c3", 2)

	for i, r := range []es.AppendResult{r1, r2, r3} {
		for _, rec := range r.Records {
			if rec.Sequence != r.Sequence {
				f.t.Errorf("append %d: record version %d has sequence %d, want the append's %d", i+1, rec.Version, rec.Sequence, r.Sequence)
			}
		}
		if got := r.Records[len(r.Records)-1].Version; got != r.Version {
			f.t.Errorf("append %d: result version %d, last record version %d", i+1, r.Version, got)
		}
	}
	if !(r1.Sequence < r2.Sequence && r2.Sequence < r3.Sequence) {
		f.t.Errorf("sequences %d, %d, %d do not grow", r1.Sequence, r2.Sequence, r3.Sequence)
	}
	if r1.Version != 1 || r2.Version != 4 || r3.Version != 6 {
		f.t.Errorf("versions after appends = %d, %d, %d, want 1, 4, 6", r1.Version, r2.Version, r3.Version)
	}
	got := f.mustRead(ref, es.Position{})
	for i, rec := range got {
		if rec.Version != uint64(i+1) {
			f.t.Errorf("record %d has version %d, want %d", i, rec.Version, i+1)
		}
	}
	f.diffRecords("read after three appends", concat(r1, r2, r3), got)
	if r1.Duplicate || r2.Duplicate || r3.Duplicate {
		f.t.Errorf("first appends reported as duplicates: %v %v %v", r1.Duplicate, r2.Duplicate, r3.Duplicate)
	}
}

// testMetadataRoundTrip: every metadata field and the payload bytes come
// back exactly as appended, from the append's result and from a read.
func testMetadataRoundTrip(f *fixture) {
	ref := f.ref("Order", "metadata")
	evs := []es.RawEvent{
		{Type: "OrderSubmitted", SchemaVersion: 2, Data: []byte(`{"items":[{"sku":"A-1","qty":2}],"channel":"web"}`)},
		{Type: "PaymentValidated", SchemaVersion: 1, Data: []byte(`{"payment_id":"p-\u00e9-9"}`)},
		{Type: "Empty", SchemaVersion: 7, Data: []byte{}},
	}
	req := request(ref, es.Position{}, "cmd-meta", evs)
	res := f.mustAppend(req)
	want := make([]es.Record, len(evs))
	for i, e := range evs {
		want[i] = es.Record{
			Metadata: es.Metadata{
				EventID:       es.EventID("cmd-meta", i),
				AggregateType: ref.Type,
				AggregateID:   ref.ID,
				Version:       uint64(i + 1),
				Time:          suiteTime,
				CorrelationID: "corr-cmd-meta",
				CausationID:   "cause-cmd-meta",
				Actor:         "actor-cmd-meta",
				Traceparent:   req.Traceparent,
				EventType:     e.Type,
				SchemaVersion: e.SchemaVersion,
				Sequence:      res.Sequence,
			},
			Data: e.Data,
		}
	}
	f.diffRecords("append result", want, res.Records)
	got := f.mustRead(ref, es.Position{})
	f.diffRecords("read", want, got)
	for _, rec := range got {
		if rec.Time.Location() != time.UTC {
			f.t.Errorf("record %d time %v is in %v, want UTC", rec.Version, rec.Time, rec.Time.Location())
		}
		if rec.Data == nil {
			f.t.Errorf("record %d: nil payload, want a non-nil (possibly empty) slice", rec.Version)
		}
	}

	// Metadata fields left empty stay empty.
	ref2 := f.ref("Order", "metadata-bare")
	bare := &es.AppendRequest{Ref: ref2, CommandID: "bare", Time: suiteTime, Events: events("bare", 1)}
	res2 := f.mustAppend(bare)
	f.diffRecords("bare append", []es.Record{{
		Metadata: es.Metadata{
			EventID: es.EventID("bare", 0), AggregateType: ref2.Type, AggregateID: ref2.ID, Version: 1,
			Time: suiteTime, EventType: "Happened0", SchemaVersion: 1, Sequence: res2.Sequence,
		},
		Data: bare.Events[0].Data,
	}}, f.mustRead(ref2, es.Position{}))
}

// testConcurrency: an append whose expected sequence is not the
// aggregate's last fails with an *es.ConflictError and stores nothing.
func testConcurrency(f *fixture) {
	ref := f.ref("Order", "concurrency")
	other := f.ref("Order", "concurrency-other")
	r1 := f.add(ref, es.Position{}, "first", 1)
	o1 := f.add(other, es.Position{}, "other-first", 1)

	stale := []struct {
		name string
		at   es.Position
	}{
		{"expects an empty aggregate", es.Position{}},
		{"expects a sequence past the last", es.Position{Version: 1, Sequence: r1.Sequence + 1000}},
		{"expects another aggregate's sequence", pos(o1)},
	}
	for i, tc := range stale {
		req := request(ref, tc.at, fmt.Sprintf("stale-%d", i), events("stale", 2))
		_, err := f.s.Append(f.t.Context(), req)
		f.wantConflict(req, err)
	}
	r2 := f.add(ref, pos(r1), "second", 2)
	// The first position is stale now.
	req := request(ref, pos(r1), "late", events("late", 1))
	_, err := f.s.Append(f.t.Context(), req)
	f.wantConflict(req, err)
	f.diffRecords("after rejected appends", concat(r1, r2), f.mustRead(ref, es.Position{}))
	f.diffRecords("other aggregate", o1.Records, f.mustRead(other, es.Position{}))
}

// testConcurrentWriters: writers racing on one aggregate, each rereading
// and retrying on conflict, store every accepted append exactly once with
// contiguous versions.
func testConcurrentWriters(f *fixture) {
	const writers, perWriter = 6, 8
	ref := f.ref("Order", "racing")
	ctx := f.t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	accepted := make(chan es.AppendResult, writers*perWriter)
	for w := range writers {
		wg.Go(func() {
			for n := range perWriter {
				cmd := fmt.Sprintf("w%d-n%d", w, n)
				evs := events(cmd, 1+(w+n)%3)
				for attempt := 0; ; attempt++ {
					if attempt > 200 {
						errs <- fmt.Errorf("%s: still conflicting after %d attempts", cmd, attempt)
						return
					}
					at, err := lastPosition(ctx, f.s, ref)
					if err != nil {
						errs <- err
						return
					}
					req := request(ref, at, cmd, evs)
					res, err := f.s.Append(ctx, req)
					if errors.Is(err, es.ErrConflict) {
						continue
					}
					if err == nil {
						err = withRecords(req, &res)
					}
					if err != nil {
						errs <- fmt.Errorf("%s: %w", cmd, err)
						return
					}
					accepted <- res
					break
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	close(accepted)
	for err := range errs {
		f.t.Fatal(err)
	}
	commands := map[string]es.AppendResult{}
	total := 0
	for res := range accepted {
		cmd := strings.TrimSuffix(res.Records[0].EventID, "-1")
		if _, dup := commands[cmd]; dup {
			f.t.Errorf("command %s accepted twice", cmd)
		}
		commands[cmd] = res
		total += len(res.Records)
	}
	if len(commands) != writers*perWriter {
		f.t.Errorf("%d commands accepted, want %d", len(commands), writers*perWriter)
	}
	got := f.mustRead(ref, es.Position{})
	if len(got) != total {
		f.t.Fatalf("read %d events, the accepted appends hold %d", len(got), total)
	}
	seen := map[string]int{}
	for i, rec := range got {
		if rec.Version != uint64(i+1) {
			f.t.Errorf("event %d has version %d: versions are not contiguous", i, rec.Version)
		}
		seen[rec.EventID]++
	}
	for cmd, res := range commands {
		for _, rec := range res.Records {
			if seen[rec.EventID] != 1 {
				f.t.Errorf("event %s of command %s stored %d times, want once", rec.EventID, cmd, seen[rec.EventID])
			}
		}
	}
}

// lastPosition reads ref to its end.
func lastPosition(ctx context.Context, s es.Store, ref es.Ref) (es.Position, error) {
	var at es.Position
	for rec, err := range s.Read(ctx, ref, es.Position{}) {
		if err != nil {
			return at, err
		}
		at = es.Position{Version: rec.Version, Sequence: rec.Sequence}
	}
	return at, nil
}

// testAtomicity: a rejected append stores none of its events, and an
// accepted one stores all of them under one sequence.
func testAtomicity(f *fixture) {
	ref := f.ref("Order", "atomic")
	r1 := f.add(ref, es.Position{}, "five", 5)
	if len(r1.Records) != 5 {
		f.t.Fatalf("append of 5 events returned %d records", len(r1.Records))
	}
	req := request(ref, es.Position{}, "three", events("three", 3))
	_, err := f.s.Append(f.t.Context(), req)
	f.wantConflict(req, err)

	bad := []struct {
		name string
		req  *es.AppendRequest
	}{
		{"an event without a type", request(ref, pos(r1), "untyped", []es.RawEvent{
			{Type: "Ok", SchemaVersion: 1, Data: []byte(`{}`)}, {Type: "", SchemaVersion: 1, Data: []byte(`{}`)},
		})},
		{"no events", request(ref, pos(r1), "none", nil)},
		{"no command id", request(ref, pos(r1), "", events("x", 2))},
		{"no aggregate type", request(es.Ref{ID: ref.ID}, pos(r1), "typeless", events("x", 2))},
	}
	for _, tc := range bad {
		if _, err := f.s.Append(f.t.Context(), tc.req); err == nil {
			f.t.Errorf("append with %s succeeded, want an error", tc.name)
		}
	}
	f.diffRecords("after rejected appends", r1.Records, f.mustRead(ref, es.Position{}))
}

// testIdempotency: appending a stored command again, as a writer does
// after a lost reply, returns the stored result with Duplicate set and
// stores nothing more: at the expected sequence it was stored at (the
// cached state did not learn of the write), at the aggregate's last
// sequence (the state was reloaded), and after later appends. At another
// stale position a store may answer a conflict instead (a Repository then
// reloads and gets the duplicate), but never stores the command twice.
func testIdempotency(f *fixture) {
	ref := f.ref("Order", "idempotent")
	req := request(ref, es.Position{}, "once", events("once", 2))
	r1 := f.mustAppend(req)

	retry := func(what string, at es.Position, cmd string, want es.AppendResult) {
		f.t.Helper()
		got, err := f.s.Append(f.t.Context(), request(ref, at, cmd, events(cmd, len(want.Records))))
		if err != nil {
			f.t.Fatalf("%s: retry of stored command %s: %v, want its stored result", what, cmd, err)
		}
		if !got.Duplicate {
			f.t.Errorf("%s: retry of stored command %s: Duplicate = false, want true", what, cmd)
		}
		if got.Sequence != want.Sequence || got.Version != want.Version {
			f.t.Errorf("%s: retry result at sequence %d version %d, want %d %d", what, got.Sequence, got.Version, want.Sequence, want.Version)
		}
		f.diffRecords(what, want.Records, got.Records)
	}
	retry("at the same expected sequence", es.Position{}, "once", r1)
	retry("at the last sequence", pos(r1), "once", r1)
	r3 := f.add(ref, pos(r1), "next", 1)
	retry("after a later append", es.Position{}, "once", r1)
	retry("after a later append, at the last sequence", pos(r3), "once", r1)

	// A different command at a stale position is a conflict.
	other := request(ref, es.Position{}, "other", events("other", 1))
	_, err := f.s.Append(f.t.Context(), other)
	f.wantConflict(other, err)
	// A stored command retried at a position it was not stored at, with
	// another command stored after that position: conflict or duplicate.
	res, err := f.s.Append(f.t.Context(), request(ref, es.Position{}, "next", events("next", 1)))
	switch {
	case errors.Is(err, es.ErrConflict):
	case err == nil && res.Duplicate:
		f.diffRecords("misplaced retry", r3.Records, res.Records)
	default:
		f.t.Errorf("misplaced retry of command next = %+v, %v; want a conflict or its stored result", res, err)
	}
	f.diffRecords("events stored once", concat(r1, r3), f.mustRead(ref, es.Position{}))
}

// testReadFrom: a read from a position yields exactly the events after it,
// also from a position in the middle of one append's events; breaking out
// of the loop stops the read.
func testReadFrom(f *fixture) {
	ref := f.ref("Order", "readfrom")
	r1 := f.add(ref, es.Position{}, "a", 2)
	r2 := f.add(ref, pos(r1), "b", 3)
	r3 := f.add(ref, pos(r2), "c", 1)
	all := concat(r1, r2, r3)

	f.diffRecords("from the start", all, f.mustRead(ref, es.Position{}))
	for i, rec := range all {
		from := es.Position{Version: rec.Version, Sequence: rec.Sequence}
		want := all[i+1:]
		if len(want) == 0 {
			want = nil
		}
		f.diffRecords(fmt.Sprintf("from %+v", from), want, f.mustRead(ref, from))
	}
	if got := f.mustRead(f.ref("Order", "readfrom-empty"), es.Position{}); len(got) != 0 {
		f.t.Errorf("read of an empty aggregate yielded %d records", len(got))
	}

	n := 0
	for _, err := range f.s.Read(f.t.Context(), ref, es.Position{}) {
		if err != nil {
			f.t.Fatal(err)
		}
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		f.t.Errorf("read went on to %d records after break", n)
	}
}

// badIDs are aggregate ids that must never reach a store: each could
// address another aggregate's subject or is not an id at all.
var badIDs = []struct{ name, id string }{
	{"empty", ""},
	{"dot", "a.b"},
	{"star", "*"},
	{"star inside", "a*"},
	{"greater than", ">"},
	{"greater than inside", "a>"},
	{"space", "a b"},
	{"tab", "a\tb"},
	{"newline", "a\nb"},
	{"nul", "a\x00b"},
	{"invalid UTF-8", "a\xffb"},
	{"too long", strings.Repeat("x", es.MaxIDLength+1)},
}

// testInvalidIDs: ids that could address another aggregate are rejected
// with es.ErrInvalidID by Append and Read, and nothing is stored.
func testInvalidIDs(f *fixture) {
	neighbour := f.ref("Order", "a")
	base := f.add(neighbour, es.Position{}, "neighbour", 1)
	for _, tc := range badIDs {
		ref := es.Ref{Type: "Order", ID: tc.id}
		_, err := f.s.Append(f.t.Context(), request(ref, es.Position{}, "bad", events("bad", 1)))
		if !errors.Is(err, es.ErrInvalidID) {
			f.t.Errorf("Append to id %s (%q) = %v, want es.ErrInvalidID", tc.name, tc.id, err)
		}
		n := 0
		for _, err := range f.s.Read(f.t.Context(), ref, es.Position{}) {
			n++
			if !errors.Is(err, es.ErrInvalidID) {
				f.t.Errorf("Read of id %s (%q) yielded %v, want es.ErrInvalidID", tc.name, tc.id, err)
			}
		}
		if n != 1 {
			f.t.Errorf("Read of id %s yielded %d items, want one error", tc.name, n)
		}
	}
	for _, typ := range []string{"", "Or.der", "Order*", "Order>", "Or der"} {
		ref := es.Ref{Type: typ, ID: neighbour.ID}
		if _, err := f.s.Append(f.t.Context(), request(ref, pos(base), "badtype", events("bad", 1))); !errors.Is(err, es.ErrInvalidID) {
			f.t.Errorf("Append with aggregate type %q = %v, want es.ErrInvalidID", typ, err)
		}
	}
	// An id made of a valid id and a wildcard tail did not reach it.
	_, _ = f.s.Append(f.t.Context(), request(es.Ref{Type: "Order", ID: neighbour.ID + ".>"}, pos(base), "wild", events("wild", 1)))
	f.diffRecords("neighbour untouched", base.Records, f.mustRead(neighbour, es.Position{}))
}

// testIsolation: aggregates are independent: their histories and
// concurrency checks do not mix, whatever their ids share.
func testIsolation(f *fixture) {
	refs := []es.Ref{
		f.ref("Order", "iso"),
		f.ref("Order", "iso-x"),
		{Type: "Order", ID: "x-" + f.token + "-iso"},
		f.ref("Invoice", "iso"),
		f.ref("order", "iso"),
	}
	results := make([]es.AppendResult, len(refs))
	for i, ref := range refs {
		// Every aggregate starts empty, whatever the others hold.
		results[i] = f.add(ref, es.Position{}, fmt.Sprintf("iso-%d", i), 1+i%2)
	}
	for i, ref := range refs {
		f.diffRecords(fmt.Sprintf("%s %q", ref.Type, ref.ID), results[i].Records, f.mustRead(ref, es.Position{}))
	}
}

// testCopies: the store keeps its own copy of what it stores: changing a
// request after Append (its payloads, its events, its metadata: callers
// reuse requests) or a record a Read returned changes nothing stored.
// Records of an AppendResult are read-only (es.AppendResult) and may be the
// store's own, so they are not changed here.
func testCopies(f *fixture) {
	ref := f.ref("Order", "copies")
	req := request(ref, es.Position{}, "copy", events("copy", 2))
	res := f.mustAppend(req)
	want := slices.Clone(res.Records)
	for i := range want {
		want[i].Data = slices.Clone(want[i].Data)
	}
	req.Events[0].Data[0] = 'X'
	req.Events[1] = es.RawEvent{Type: "Changed", SchemaVersion: 9, Data: []byte(`"changed"`)}
	*req = es.AppendRequest{Ref: ref, CommandID: "reused", Actor: "someone else", Time: suiteTime.Add(time.Hour)}
	got := f.mustRead(ref, es.Position{})
	f.diffRecords("after the request changed", want, got)
	got[0].Data[0] = 'Z'
	got[1].EventType = "Changed"
	f.diffRecords("after a read record changed", want, f.mustRead(ref, es.Position{}))
}

// testCanceled: a canceled context stops Append (nothing stored) and Read.
func testCanceled(f *fixture) {
	ref := f.ref("Order", "canceled")
	ctx := canceled(f.t)
	if _, err := f.s.Append(ctx, request(ref, es.Position{}, "c", events("c", 1))); !errors.Is(err, context.Canceled) {
		f.t.Errorf("Append with a canceled context = %v, want context.Canceled", err)
	}
	if got := f.mustRead(ref, es.Position{}); len(got) != 0 {
		f.t.Errorf("canceled append stored %d events", len(got))
	}
	f.add(ref, es.Position{}, "c", 1)
	var errs []error
	for _, err := range f.s.Read(ctx, ref, es.Position{}) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		f.t.Errorf("Read with a canceled context yielded %v, want one context.Canceled", errs)
	}
}
