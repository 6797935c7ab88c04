package timers_test

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/timers"
)

// The benchmarks compare the timers with raw JetStream calls on the same
// embedded server (file storage), in one run: see docs/timers.md for the
// command and the figures.

// benchTimers returns timers on a server of the benchmark's own, with
// their JetStream context.
func benchTimers(b *testing.B) (*timers.JetStream, jetstream.JetStream) {
	b.Helper()
	js := connect(b, startServer(b, "", false))
	tm, err := timers.NewJetStream(context.Background(), js)
	if err != nil {
		b.Fatal(err)
	}
	return tm, js
}

// BenchmarkSchedule: raw publishes of a plain message and of the schedule
// message Schedule sends, against Schedule of a new key (one publish,
// expecting no arming of the key), Schedule replacing the key's timer (the
// expectation fails, a publish and a purge follow) and Cancel (a purge),
// on a stream with no other timer armed and on one with 100,000 (plus
// those each case leaves for the next).
func BenchmarkSchedule(b *testing.B) {
	for _, armed := range []int{0, 100_000} {
		b.Run(fmt.Sprintf("armed=%d", armed), func(b *testing.B) { benchSchedule(b, armed) })
	}
}

func benchSchedule(b *testing.B, armed int) {
	tm, js := benchTimers(b)
	ctx := context.Background()
	var ids atomic.Int64
	due := time.Now().Add(24 * time.Hour)
	// Other timers armed: the checks on a key's subjects must not cost
	// more with more of them.
	for i := range armed {
		k := timers.Key{Type: "Order", ID: "armed-" + strconv.Itoa(i), Name: "deadline"}
		m := &nats.Msg{Subject: tm.ScheduleFilter(k)[:len(tm.ScheduleFilter(k))-1] + "1-1-0", Header: nats.Header{
			jetstream.ScheduleHeader: {"@at " + due.UTC().Format(time.RFC3339Nano)}, jetstream.ScheduleTargetHeader: {tm.FireSubject(k)},
		}}
		if _, err := js.PublishMsgAsync(m, jetstream.WithStallWait(time.Minute)); err != nil {
			b.Fatal(err)
		}
	}
	<-js.PublishAsyncComplete()
	b.Run("raw-publish", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			id := strconv.FormatInt(ids.Add(1), 10)
			m := &nats.Msg{Subject: "timers.raw." + id, Header: nats.Header{
				timers.HeaderVersion: {"1"}, timers.HeaderDue: {due.Format(time.RFC3339Nano)},
			}}
			if _, err := js.PublishMsg(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-schedule", func(b *testing.B) {
		// The message Schedule sends, without its check.
		b.ReportAllocs()
		for b.Loop() {
			k := timers.Key{Type: "Order", ID: strconv.FormatInt(ids.Add(1), 10), Name: "deadline"}
			f := tm.ScheduleFilter(k)
			m := &nats.Msg{Subject: f[:len(f)-1] + "1-1-0", Header: nats.Header{
				jetstream.ScheduleHeader:       {"@at " + due.UTC().Format(time.RFC3339Nano)},
				jetstream.ScheduleTargetHeader: {tm.FireSubject(k)},
				timers.HeaderVersion:           {"1"},
				timers.HeaderDue:               {due.UTC().Format(time.RFC3339Nano)},
			}}
			if _, err := js.PublishMsg(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("schedule-new", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			k := timers.Key{Type: "Order", ID: strconv.FormatInt(ids.Add(1), 10), Name: "deadline"}
			if err := tm.Schedule(ctx, timers.Timer{Key: k, Due: due, Version: 1}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("schedule-replace", func(b *testing.B) {
		k := timers.Key{Type: "Order", ID: strconv.FormatInt(ids.Add(1), 10), Name: "deadline"}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := tm.Schedule(ctx, timers.Timer{Key: k, Due: due, Version: uint64(i)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cancel", func(b *testing.B) {
		keys := make([]timers.Key, b.N)
		for i := range keys {
			keys[i] = timers.Key{Type: "Order", ID: strconv.FormatInt(ids.Add(1), 10), Name: "deadline"}
			if err := tm.Schedule(ctx, timers.Timer{Key: keys[i], Due: due, Version: 1}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for _, k := range keys {
			if err := tm.Cancel(ctx, k); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFiring: the firing path, per timer: b.N timers due at the
// same time fire, and Run hands each to a handler and acknowledges it;
// timed from the due time to the last handled. Against the raw path of
// the same number of messages: published (asynchronously, 256 in flight)
// and consumed with fetches of 64 and an acknowledgement each, timed
// from the first publish to the last acknowledgement.
func BenchmarkFiring(b *testing.B) {
	ctx := context.Background()
	b.Run("raw-publish-consume", func(b *testing.B) {
		_, js := benchTimers(b)
		st, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "RAW", Subjects: []string{"raw.>"}, Retention: jetstream.WorkQueuePolicy})
		if err != nil {
			b.Fatal(err)
		}
		cons, err := st.CreateConsumer(ctx, jetstream.ConsumerConfig{Durable: "raw", AckPolicy: jetstream.AckExplicitPolicy})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := range b.N {
			if _, err := js.PublishMsgAsync(&nats.Msg{Subject: "raw.Order." + strconv.Itoa(i) + ".deadline"}, jetstream.WithStallWait(time.Minute)); err != nil {
				b.Fatal(err)
			}
		}
		for got := 0; got < b.N; {
			mb, err := cons.Fetch(min(64, b.N-got), jetstream.FetchMaxWait(5*time.Second))
			if err != nil {
				b.Fatal(err)
			}
			for m := range mb.Messages() {
				if err := m.Ack(); err != nil {
					b.Fatal(err)
				}
				got++
			}
		}
		b.StopTimer()
		<-js.PublishAsyncComplete()
	})
	b.Run("fire-handle", func(b *testing.B) {
		tm, _ := benchTimers(b)
		done := make(chan struct{})
		var handled atomic.Int64
		n := int64(b.N)
		rctx, stop := context.WithCancel(ctx)
		defer stop()
		go func() {
			_ = tm.Run(rctx, func(context.Context, timers.Firing) error {
				if handled.Add(1) == n {
					close(done)
				}
				return nil
			})
		}()
		b.StopTimer()
		start := time.Now()
		due := time.Now().Add(time.Hour) // moved once scheduling is timed
		for i := range b.N {
			k := timers.Key{Type: "Order", ID: strconv.Itoa(i), Name: "deadline"}
			if i == 0 {
				// Have them all due once they are scheduled: a
				// schedule takes ~30 µs on a quiet machine, ten times as
				// long on a loaded one.
				due = start.Add(time.Duration(b.N)*300*time.Microsecond + 300*time.Millisecond)
			}
			if err := tm.Schedule(ctx, timers.Timer{Key: k, Due: due, Version: 1}); err != nil {
				b.Fatal(err)
			}
		}
		if time.Now().After(due) {
			b.Fatalf("scheduling %d timers took %s, past their due time", b.N, time.Since(start))
		}
		time.Sleep(time.Until(due))
		b.StartTimer()
		select {
		case <-done:
		case <-time.After(time.Minute):
			b.Fatalf("%d of %d firings handled", handled.Load(), b.N)
		}
		b.StopTimer()
	})
}
