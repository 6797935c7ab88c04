package jsstore_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/storetest"
)

// TestReadsReuseReplySubscriptions checks that reads share reply
// subscriptions instead of making one each (nats.go clears a 512 KiB
// channel for every synchronous subscription), and that a read stopped
// early, whose replies are still coming, hands none of them to the next.
func TestReadsReuseReplySubscriptions(t *testing.T) {
	srv := server(t)
	nc, js := connect(t, srv)
	s := newStore(t, js)
	ctx := context.Background()
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	const events = 2500 // three batches
	for i := range events {
		if _, err := repo.Handle(ctx, "long", storetest.Add{N: int64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	ref := es.Ref{Type: "Tally", ID: "long"}
	readAll := func() {
		t.Helper()
		var want uint64 = 1
		for rec, err := range s.Read(ctx, ref, es.Position{}) {
			if err != nil {
				t.Fatalf("read after %d records: %v", want-1, err)
			}
			if rec.Version != want {
				t.Fatalf("record version %d, want %d", rec.Version, want)
			}
			want++
		}
		if want != events+1 {
			t.Fatalf("read %d records, want %d", want-1, events)
		}
	}
	readAll()
	subs := nc.NumSubscriptions()
	for range 20 {
		readAll()
		if _, err := repo.Load(ctx, fmt.Sprint("empty-", time.Now().UnixNano())); err == nil {
			t.Fatal("Load of an aggregate with no events succeeded")
		}
	}
	if got := nc.NumSubscriptions(); got != subs {
		t.Errorf("%d subscriptions after 40 more reads, %d before: reads leak them", got, subs)
	}
	// Stop reads early, in the first batch and after it: the next reads
	// see none of the replies still coming to them.
	for _, stop := range []uint64{1, 999, 1000, 1500} {
		for rec, err := range s.Read(ctx, ref, es.Position{}) {
			if err != nil {
				t.Fatal(err)
			}
			if rec.Version == stop {
				break
			}
		}
		readAll()
	}
	// A read of an empty subject allocates kilobytes, not the 512 KiB of
	// a new synchronous subscription.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const reads = 50
	for i := range reads {
		for _, err := range s.Read(ctx, es.Ref{Type: "Tally", ID: fmt.Sprint("none-", i)}, es.Position{}) {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / reads; per > 16<<10 {
		t.Errorf("a read of an empty subject allocates %d bytes", per)
	}
}
