package jsstore_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/storetest"
)

// conflictCounter counts the concurrency conflicts its store's Append
// returns: with one Repository on the store, every one of them is a
// conflict between commands of the same process.
type conflictCounter struct {
	es.Store
	conflicts atomic.Int64
}

func (c *conflictCounter) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	ar, err := c.Store.Append(ctx, req)
	if errors.Is(err, es.ErrConflict) {
		c.conflicts.Add(1)
	}
	return ar, err
}

// BenchmarkContention: 800 one-event commands on one aggregate through one
// Repository with default options, on the embedded server (file storage),
// handled by one goroutine in sequence ("sequential") and by 8 goroutines
// of 100 commands each ("8goroutines"). One operation is the 800 commands
// on a new aggregate. Besides the time it reports the commands that failed
// (errors/op), the conflicts the store returned (conflicts/op, all of them
// between commands of this process) and the rate (commands/s). See
// docs/benchmarks.md for the command and the ratio the runtime must keep.
func BenchmarkContention(b *testing.B) {
	const commands = 800
	srv := server(b)
	_, js := connect(b, srv)
	s := newStore(b, js)
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		goroutines int
	}{
		{"sequential", 1},
		{"8goroutines", 8},
	} {
		b.Run(tc.name, func(b *testing.B) {
			store := &conflictCounter{Store: s}
			repo := es.NewRepository(store, storetest.TallyDefinition(0))
			var failed atomic.Int64
			rounds := 0
			for b.Loop() {
				id := "contended-" + strconv.Itoa(int(seqs.Add(1)))
				before := failed.Load()
				var wg sync.WaitGroup
				for range tc.goroutines {
					wg.Go(func() {
						for range commands / tc.goroutines {
							if _, err := repo.Handle(ctx, id, storetest.Add{N: 1}); err != nil {
								failed.Add(1)
							}
						}
					})
				}
				wg.Wait()
				rounds++
				b.StopTimer()
				// Every command that did not fail is stored once, and no
				// other: one event of 1 each. (Total equal to Version
				// alone would hold with a command stored twice.)
				inst, err := es.NewRepository(s, storetest.TallyDefinition(0)).Load(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				want := uint64(commands - (failed.Load() - before))
				if inst.Version != want || inst.State.Total != int64(want) || inst.State.Adds != int(want) {
					b.Fatalf("aggregate %s: version %d, total %d, %d adds; want %d of each: the %d commands that did not fail, once each",
						id, inst.Version, inst.State.Total, inst.State.Adds, want, want)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(failed.Load())/float64(rounds), "errors/op")
			b.ReportMetric(float64(store.conflicts.Load())/float64(rounds), "conflicts/op")
			b.ReportMetric(float64(rounds*commands)/b.Elapsed().Seconds(), "commands/s")
		})
	}
}
