package jsstore_test

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/storetest"
)

// archivedTally is the Tally with a retention period: closed is final.
func archivedTally() es.Definition[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent] {
	def := storetest.TallyDefinition(0)
	def.Final = func(s storetest.Tally) bool { return s.Closed }
	def.ArchiveAfter = time.Hour
	return def
}

func archiveStore(t testing.TB, js jetstream.JetStream) *jsstore.Store {
	t.Helper()
	a, err := jsstore.NewObjectArchive(t.Context(), js, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	return newStore(t, js, jsstore.WithArchive(a))
}

func streamBytes(t testing.TB, js jetstream.JetStream, s *jsstore.Store) uint64 {
	t.Helper()
	st, err := js.Stream(t.Context(), s.Stream())
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Bytes
}

// parallel runs fn for 0..n-1 on 4 goroutines and fails on the first error.
func parallel(t testing.TB, n int, fn func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 4 {
				if err := fn(i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// TestArchive is the acceptance of archival: orders (tallies of two
// commands of 20 lines each), half of them closed for longer than the retention period. After
// archival the stream holds at most 55% of its bytes, every archived
// order loads with the same state and history (Load, LoadAt, History),
// a second run changes nothing, and an archived order can be neither
// added to nor started again. It archives 1,000 orders with -short and
// under the race detector.
func TestArchive(t *testing.T) {
	n := 10000
	if testing.Short() || raceDetector {
		n = 1000
	}
	_, js := connect(t, server(t))
	s := archiveStore(t, js)
	r := es.NewRepository(s, archivedTally())
	ctx := t.Context()
	lines := make([]int64, 20)
	for i := range lines {
		lines[i] = int64(i + 1)
	}
	start := time.Now()
	parallel(t, n, func(i int) error {
		id := fmt.Sprintf("o%d", i)
		for range 2 {
			if _, err := r.Handle(ctx, id, storetest.AddAll{Ns: lines}); err != nil {
				return err
			}
		}
		if i%2 == 0 {
			_, err := r.Handle(ctx, id, storetest.Close{})
			return err
		}
		return nil
	})
	t.Logf("%d orders stored in %v", n, time.Since(start))
	before := streamBytes(t, js, s)

	type loaded struct {
		inst   es.Instance[storetest.Tally]
		at     es.Instance[storetest.Tally]
		recs   []es.Record
		events []storetest.TallyEvent
	}
	type repo = *es.Repository[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent]
	// load reads order i: its state, and for a closed order (archived
	// later) its state at version 20 and its history too.
	load := func(r repo, i int) (loaded, error) {
		id := fmt.Sprintf("o%d", i)
		var l loaded
		var err error
		if l.inst, err = r.Load(ctx, id); err != nil || i%2 != 0 {
			return l, err
		}
		if l.at, err = r.LoadAt(ctx, id, 20); err != nil {
			return l, err
		}
		l.recs, l.events, err = r.History(ctx, id)
		return l, err
	}
	want := make([]loaded, n)
	parallel(t, n, func(i int) (err error) {
		want[i], err = load(r, i)
		return err
	})

	// Not yet old enough: nothing moves.
	if ok, err := r.Archive(ctx, "o0", time.Now().Add(30*time.Minute)); ok || err != nil {
		t.Fatalf("Archive of an order closed 0s ago, period 1h = %v, %v; want false, nil", ok, err)
	}
	later := time.Now().Add(2 * time.Hour)
	start = time.Now()
	ids, err := s.Aggregates(ctx, "Tally")
	if err != nil || len(ids) != n {
		t.Fatalf("Aggregates before archival: %d ids, %v; want %d", len(ids), err, n)
	}
	var mu sync.Mutex
	archived := 0
	parallel(t, n, func(i int) error {
		var num int
		if _, err := fmt.Sscanf(ids[i], "o%d", &num); err != nil {
			return err
		}
		ok, err := r.Archive(ctx, ids[i], later)
		if ok != (num%2 == 0) {
			return fmt.Errorf("Archive(%s) = %v, want %v", ids[i], ok, num%2 == 0)
		}
		mu.Lock()
		if ok {
			archived++
		}
		mu.Unlock()
		return err
	})
	t.Logf("%d orders archived in %v", archived, time.Since(start))
	after := streamBytes(t, js, s)
	if ids, err := s.Aggregates(ctx, "Tally"); err != nil || len(ids) != n/2 {
		t.Errorf("Aggregates after archival: %d ids, %v; want the %d open orders", len(ids), err, n/2)
	}
	t.Logf("stream bytes: %d before, %d after archival (%.1f%%)", before, after, 100*float64(after)/float64(before))
	if after*100 > before*55 {
		t.Errorf("after archival the stream holds %d of %d bytes, more than 55%%", after, before)
	}

	// Every order loads as before, through a Repository with no cached
	// state; the archived ones through the one that archived them too.
	fresh := es.NewRepository(s, archivedTally())
	parallel(t, n, func(i int) error {
		for _, rp := range []repo{fresh, r} {
			got, err := load(rp, i)
			if err != nil {
				return fmt.Errorf("o%d: %w", i, err)
			}
			if !reflect.DeepEqual(got, want[i]) {
				return fmt.Errorf("o%d loads differently after archival:\n got %+v\nwant %+v", i, got.inst, want[i].inst)
			}
			if i%2 != 0 {
				break
			}
		}
		return nil
	})

	// Idempotent: a second run archives the same, and the stream does not change.
	if ok, err := r.Archive(ctx, "o0", later); !ok || err != nil {
		t.Errorf("Archive of an archived order = %v, %v; want true, nil", ok, err)
	}
	if b := streamBytes(t, js, s); b != after {
		t.Errorf("a second archival changed the stream: %d bytes, was %d", b, after)
	}
	// Closed for good: neither a command nor a new start.
	if _, err := fresh.Handle(ctx, "o0", storetest.Add{N: 1}); !es.IsRefusal(err) {
		t.Errorf("Handle(Add) on an archived order = %v; want a refusal", err)
	}
	inst, err := fresh.Load(ctx, "o0")
	if err != nil || inst.Version != 41 || !inst.State.Closed || inst.State.Total != 420 {
		t.Errorf("Load(o0) after a refused command = %+v, %v", inst, err)
	}
}

// TestArchiveNotArchivable: a store without an archive, and an order that
// is not closed, are not archived.
func TestArchiveNotArchivable(t *testing.T) {
	_, js := connect(t, server(t))
	plain := es.NewRepository(newStore(t, js), archivedTally())
	mustHandle(t, plain, "a", storetest.Close{})
	if _, err := plain.Archive(t.Context(), "a", time.Now().Add(2*time.Hour)); err == nil {
		t.Error("Archive on a store without an archive succeeded")
	}
	r := es.NewRepository(archiveStore(t, js), archivedTally())
	mustHandle(t, r, "b", storetest.Add{N: 1})
	if ok, err := r.Archive(t.Context(), "b", time.Now().Add(2*time.Hour)); ok || err != nil {
		t.Errorf("Archive of an open order = %v, %v; want false, nil", ok, err)
	}
	if _, err := r.Archive(t.Context(), "nobody", time.Now()); err == nil {
		t.Error("Archive of an order with no events succeeded")
	}
}
