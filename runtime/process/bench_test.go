package process_test

import (
	"context"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/process"
)

// benchEvents is how many events each iteration of BenchmarkProcess
// handles.
const benchEvents = 2000

var benchRuns atomic.Int64

// BenchmarkProcess measures events per second through a process manager
// on the embedded server (file storage, default sync): each OrderSubmitted
// in the stream is delivered by the process's consumer, its step decided
// and stored, its command (a RequestPayment creating a Payment) appended,
// and the event acknowledged. Each round catches up on 2,000 events
// stored beforehand (untimed), on a stream of its own. Next to it, the
// raw work it stands for: a pull consumer fetching the same messages 100
// at a time, publishing one message for each (a new subject, expected last
// subject sequence 0 and a message id, as an append of a new aggregate)
// and acknowledging them (the last synchronously); once publishing one
// message after the other, once 100 at a time asynchronously.
//
// Each iteration runs one round of every variant, one after the other, and
// the ratios reported (process/raw...) are the medians of the ratios
// within each iteration: on a shared machine whose load moves, rounds
// close in time compare better than runs of one variant after another.
//
//	go test -run '^$' -bench BenchmarkProcess -benchtime 10x ./runtime/process
func BenchmarkProcess(b *testing.B) {
	// Not b.TempDir: the benchmark function runs more than once, and the
	// directory of one run is removed when the next starts.
	dir, err := os.MkdirTemp("", "esgen-process-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	srv, err := natsserver.Start(context.Background(), natsserver.Options{DataDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = srv.Shutdown(context.Background()) }()
	nc, err := srv.Connect()
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		b.Fatal(err)
	}
	// Rounds delete their streams; the server removes an account's
	// directory with its last stream, racing with the next round's
	// create ("could not create storage directory"): keep one.
	if _, err := js.CreateStream(context.Background(), jetstream.StreamConfig{Name: "KEEP", Subjects: []string{"keep"}}); err != nil {
		b.Fatal(err)
	}
	variants := []struct {
		name  string
		round func(testing.TB, jetstream.JetStream) cost
	}{
		{"raw-consume-publish", func(b testing.TB, js jetstream.JetStream) cost { return rawRound(b, js, false) }},
		{"raw-consume-publish-async", func(b testing.TB, js jetstream.JetStream) cost { return rawRound(b, js, true) }},
		{"process", func(b testing.TB, js jetstream.JetStream) cost { return processRound(b, js, false, true) }},
		{"process-no-creates", func(b testing.TB, js jetstream.JetStream) cost { return processRound(b, js, false, false) }},
		{"process-with-timer", func(b testing.TB, js jetstream.JetStream) cost { return processRound(b, js, true, true) }},
	}
	costs := make([][]cost, len(variants))
	b.ResetTimer()
	b.StopTimer()
	for range b.N {
		for i, v := range variants {
			costs[i] = append(costs[i], v.round(b, js))
		}
	}
	median := func(f func(k int) float64) float64 {
		xs := make([]float64, b.N)
		for k := range xs {
			xs[k] = f(k)
		}
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	for i, v := range variants {
		b.ReportMetric(median(func(k int) float64 { return benchEvents / costs[i][k].wall.Seconds() }), v.name+"-events/s")
		b.ReportMetric(median(func(k int) float64 { return float64(costs[i][k].cpu.Microseconds()) / benchEvents }), v.name+"-cpu-µs/event")
	}
	// The throughput of a variant over the raw loop's, and the raw loop's
	// CPU per event over the variant's: medians of the iterations' ratios.
	for _, r := range []struct {
		name string
		i, j int
	}{{"process", 2, 0}, {"process-vs-async", 2, 1}, {"no-creates", 3, 0}, {"with-timer", 4, 0}} {
		b.ReportMetric(median(func(k int) float64 { return costs[r.j][k].wall.Seconds() / costs[r.i][k].wall.Seconds() }), r.name+"-rate-ratio")
		b.ReportMetric(median(func(k int) float64 { return costs[r.j][k].cpu.Seconds() / costs[r.i][k].cpu.Seconds() }), r.name+"-cpu-ratio")
	}
	b.ReportMetric(0, "ns/op")
}

// cost is what one round took: wall time, and the process's CPU time.
type cost struct{ wall, cpu time.Duration }

// processRound times a runner catching up on benchEvents orders; with
// timer, each step arms the payment's timer; without creates, the
// process's machine does not say that Submitted is an input only its
// initial state accepts, and the runner reads each new instance first.
func processRound(b testing.TB, js jetstream.JetStream, timer, creates bool) cost {
	ctx := context.Background()
	n := strconv.FormatInt(benchRuns.Add(1), 10)
	w, err := openWorld(ctx, js, worldConfig{Name: "bench" + n, Overdue: time.Hour, Window: 2 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	for i := range benchEvents {
		if _, err := w.agg.orders.Handle(ctx, "o"+strconv.Itoa(i), Submit{Amount: 500}); err != nil {
			b.Fatal(err)
		}
	}
	def := fulfilmentDefinition(w.agg, perOrder)
	def.Sources = []string{"Order"} // the payments' events are no input of the benchmark
	if !timer {
		def.Timers = nil
	}
	if !creates {
		def.Machine.Creates = nil
	}
	r, err := process.NewRunner(def, w.store, w.tm)
	if err != nil {
		b.Fatal(err)
	}
	p, err := w.consumer(r)
	if err != nil {
		b.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	runtime.GC()
	began, cpu := time.Now(), processCPU()
	go func() { done <- p.Run(rctx) }()
	wait, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()
	if err := p.CaughtUp(wait); err != nil {
		b.Fatal(err)
	}
	took := cost{wall: time.Since(began), cpu: processCPU() - cpu}
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	inst, err := w.agg.payments.Load(ctx, "o"+strconv.Itoa(benchEvents-1))
	if err != nil || inst.State.Status != "Requested" {
		b.Fatalf("the last payment: %+v, %v", inst, err)
	}
	for _, s := range []string{"EV_bench" + n, "TM_bench" + n} {
		if err := js.DeleteStream(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	return took
}

// rawRound times the raw work: fetch, one publish per message, ack.
func rawRound(b testing.TB, js jetstream.JetStream, async bool) cost {
	ctx := context.Background()
	n := "raw" + strconv.FormatInt(benchRuns.Add(1), 10)
	st, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: n, Subjects: []string{n + ".>"}, AllowDirect: true})
	if err != nil {
		b.Fatal(err)
	}
	payload := make([]byte, 96)
	for i := range benchEvents {
		if _, err := js.Publish(ctx, n+".in.o"+strconv.Itoa(i), payload); err != nil {
			b.Fatal(err)
		}
	}
	cons, err := st.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable: "raw", FilterSubject: n + ".in.>", AckPolicy: jetstream.AckExplicitPolicy, MaxAckPending: 100,
	})
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	began, cpu := time.Now(), processCPU()
	done := 0
	for done < benchEvents {
		mb, err := cons.Fetch(100, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			b.Fatal(err)
		}
		var (
			msgs []jetstream.Msg
			acks []jetstream.PubAckFuture
		)
		for m := range mb.Messages() {
			out := nats.NewMsg(n + ".out." + m.Subject()[len(n)+4:])
			out.Data = m.Data()
			out.Header.Set(jetstream.MsgIDHeader, m.Subject())
			if async {
				f, err := js.PublishMsgAsync(out, jetstream.WithExpectLastSequencePerSubject(0))
				if err != nil {
					b.Fatal(err)
				}
				acks = append(acks, f)
			} else if _, err := js.PublishMsg(ctx, out, jetstream.WithExpectLastSequencePerSubject(0)); err != nil {
				b.Fatal(err)
			}
			msgs = append(msgs, m)
		}
		if err := mb.Error(); err != nil {
			b.Fatal(err)
		}
		for _, f := range acks {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				b.Fatal(err)
			}
		}
		for i, m := range msgs {
			if i == len(msgs)-1 {
				err = m.DoubleAck(ctx)
			} else {
				err = m.Ack()
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		done += len(msgs)
	}
	took := cost{wall: time.Since(began), cpu: processCPU() - cpu}
	if err := js.DeleteStream(ctx, n); err != nil {
		b.Fatal(err)
	}
	return took
}
