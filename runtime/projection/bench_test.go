package projection_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/projection"
)

// benchMessages is how many commands (stream messages) each benchmark
// iteration reads.
const benchMessages = 10_000

// benchConsumers numbers the consumers of benchmark iterations: each
// iteration must start from the beginning of the stream.
var benchConsumers atomic.Int64

// BenchmarkProjection measures how fast a projection catches up on a
// stream of 10,000 commands (one or three events each) with a handler that
// does nothing, per batch size, next to a raw pull consumer that fetches,
// decodes and acknowledges the same messages the same way (batches of 100,
// the last acknowledgement synchronous). Each iteration reads the whole
// stream through a new durable consumer. Compare ratios within one run.
//
//	go test -run '^$' -bench BenchmarkProjection -benchtime 5x ./runtime/projection
func BenchmarkProjection(b *testing.B) {
	for _, perCommand := range []int{1, 3} {
		e := newEnv(b)
		types := []string{"OrderSubmitted", "PaymentValidated", "OrderFulfilled"}[:perCommand]
		for i := range benchMessages {
			e.command("Order", fmt.Sprintf("o-%d", i%100), types...)
		}
		events := benchMessages * perCommand
		for _, batch := range []int{1, 10, 100, 1000} {
			b.Run(fmt.Sprintf("events=%d/batch=%d", perCommand, batch), func(b *testing.B) {
				var seen atomic.Int64
				h := projection.HandlerFunc(func(_ context.Context, recs []es.Record) error {
					seen.Add(int64(len(recs)))
					return nil
				})
				for b.Loop() {
					name := fmt.Sprintf("bench-%d", benchConsumers.Add(1))
					p, err := projection.New(e.js, name, h, projection.WithBatch(batch))
					if err != nil {
						b.Fatal(err)
					}
					r := start(b, p)
					caughtUp(b, p)
					r.stop(b)
					deleteConsumer(b, e, name)
				}
				if got := seen.Load(); got != int64(events*b.N) {
					b.Fatalf("handled %d records, want %d", got, events*b.N)
				}
				b.ReportMetric(float64(events*b.N)/b.Elapsed().Seconds(), "events/s")
			})
		}
		b.Run(fmt.Sprintf("events=%d/raw-fetch-ack-100", perCommand), func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				name := fmt.Sprintf("raw-%d", benchConsumers.Add(1))
				cons, err := e.js.CreateOrUpdateConsumer(ctx, jsstore.DefaultStream, jetstream.ConsumerConfig{
					Durable: name, AckPolicy: jetstream.AckExplicitPolicy, MaxAckPending: 100,
				})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for n < events {
					mb, err := cons.Fetch(100, jetstream.FetchMaxWait(time.Second))
					if err != nil {
						b.Fatal(err)
					}
					var last jetstream.Msg
					for m := range mb.Messages() {
						recs, err := jsstore.DecodeMsg(m)
						if err != nil {
							b.Fatal(err)
						}
						n += len(recs)
						if last != nil {
							_ = last.Ack()
						}
						last = m
					}
					if err := mb.Error(); err != nil {
						b.Fatal(err)
					}
					if last == nil {
						b.Fatalf("no message after %d events", n)
					}
					if err := last.DoubleAck(ctx); err != nil {
						b.Fatal(err)
					}
				}
				deleteConsumer(b, e, name)
			}
			b.ReportMetric(float64(events*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func deleteConsumer(b *testing.B, e *env, name string) {
	b.Helper()
	if err := e.js.DeleteConsumer(context.Background(), jsstore.DefaultStream, name); err != nil {
		b.Fatal(err)
	}
}
