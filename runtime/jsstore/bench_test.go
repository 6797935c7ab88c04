package jsstore_test

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/storetest"
)

// The benchmarks compare the store with raw JetStream calls on the same
// embedded server (file storage), in one run: see docs/runtime.md for the
// command and the ratios the runtime must keep.

// seqs makes subjects and ids unique across benchmark runs on one server.
var seqs atomic.Int64

// BenchmarkAppend: a raw publish with the per-subject concurrency check,
// and Repository.Handle of a cached aggregate with one and three events.
func BenchmarkAppend(b *testing.B) {
	srv := server(b)
	_, js := connect(b, srv)
	s := newStore(b, js)
	ctx := context.Background()

	b.Run("raw-publish", func(b *testing.B) {
		subject := "events.Raw.r-" + strconv.Itoa(int(seqs.Add(1)))
		payload := []byte(`{"n":1}`)
		var last uint64
		b.ReportAllocs()
		for b.Loop() {
			ack, err := js.PublishMsg(ctx, &nats.Msg{Subject: subject, Data: payload},
				jetstream.WithExpectLastSequencePerSubject(last))
			if err != nil {
				b.Fatal(err)
			}
			last = ack.Sequence
		}
	})
	b.Run("raw-publish-msgid", func(b *testing.B) {
		subject := "events.Raw.m-" + strconv.Itoa(int(seqs.Add(1)))
		payload := []byte(`{"n":1}`)
		var last uint64
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			ack, err := js.PublishMsg(ctx, &nats.Msg{Subject: subject, Data: payload},
				jetstream.WithExpectLastSequencePerSubject(last), jetstream.WithMsgID(subject+strconv.Itoa(i)))
			if err != nil {
				b.Fatal(err)
			}
			last = ack.Sequence
		}
	})
	for _, n := range []int{1, 3} {
		b.Run(fmt.Sprintf("handle-%d-event", n), func(b *testing.B) {
			repo := es.NewRepository(s, storetest.TallyDefinition(0))
			id := fmt.Sprintf("h%d-%d", n, seqs.Add(1))
			var cmd storetest.TallyCommand = storetest.Add{N: 1}
			if n > 1 {
				cmd = storetest.AddAll{Ns: make([]int64, n)}
			}
			if _, err := repo.Handle(ctx, id, cmd); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := repo.Handle(ctx, id, cmd); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// rawDirectGet reads every message of subject with batched direct gets
// and returns their count, decoding nothing: the floor of a load.
func rawDirectGet(b *testing.B, nc *nats.Conn, stream, subject string, start uint64, headers bool) int {
	inbox := nc.NewRespInbox()
	sub, err := nc.SubscribeSync(inbox)
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Unsubscribe()
	n := 0
	for {
		req := fmt.Sprintf(`{"seq":%d,"next_by_subj":%q,"batch":1000,"no_hdr":%t}`, start, subject, !headers)
		if err := nc.PublishRequest("$JS.API.DIRECT.GET."+stream, inbox, []byte(req)); err != nil {
			b.Fatal(err)
		}
		for {
			msg, err := sub.NextMsg(nats.DefaultTimeout)
			if err != nil {
				b.Fatal(err)
			}
			switch msg.Header.Get("Status") {
			case "":
				n++
				continue
			case "404":
				return n
			case "204":
				if msg.Header.Get("Nats-Num-Pending") == "0" {
					return n
				}
				last, _ := strconv.ParseUint(msg.Header.Get("Nats-Last-Sequence"), 10, 64)
				start = last + 1
			default:
				b.Fatalf("status %v", msg.Header)
			}
			break
		}
	}
}

// BenchmarkReplay: reading the 1,000 events of one aggregate among 10,000
// messages: raw batch direct gets with and without headers, an ordered
// consumer, and es.Repository loading (read, decode, evolve) with no cache
// and no snapshot.
func BenchmarkReplay(b *testing.B) {
	const events, others = 1000, 9
	srv := server(b)
	nc, js := connect(b, srv)
	s := newStore(b, js)
	ctx := context.Background()
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	fill := es.NewRepository(s, storetest.TallyDefinition(0))
	for i := range events {
		if _, err := repo.Handle(ctx, "replayed", storetest.Add{N: int64(i)}); err != nil {
			b.Fatal(err)
		}
		for o := range others {
			if _, err := fill.Handle(ctx, "other-"+strconv.Itoa(o), storetest.Add{N: 1}); err != nil {
				b.Fatal(err)
			}
		}
	}
	subject := s.Subject(es.Ref{Type: "Tally", ID: "replayed"})
	b.Run("repository-load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			repo.Forget("replayed")
			inst, err := repo.Load(ctx, "replayed")
			if err != nil || inst.Version != events {
				b.Fatalf("Load = version %d, %v", inst.Version, err)
			}
		}
	})
	for _, headers := range []bool{false, true} {
		b.Run(fmt.Sprintf("raw-direct-get-headers=%t", headers), func(b *testing.B) {
			for b.Loop() {
				if n := rawDirectGet(b, nc, s.Stream(), subject, 1, headers); n != events {
					b.Fatalf("read %d messages, want %d", n, events)
				}
			}
		})
	}
	b.Run("raw-ordered-consumer", func(b *testing.B) {
		for b.Loop() {
			c, err := js.OrderedConsumer(ctx, s.Stream(), jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for n < events {
				batch, err := c.FetchNoWait(events - n)
				if err != nil {
					b.Fatal(err)
				}
				for range batch.Messages() {
					n++
				}
				if err := batch.Error(); err != nil {
					b.Fatal(err)
				}
			}
			if err := js.DeleteConsumer(ctx, s.Stream(), c.CachedInfo().Name); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSnapshotLoad: loading a 10,000-event aggregate whose newest
// snapshot is 50 commands old, against one raw KV get plus a raw read of
// the 50 newer messages.
func BenchmarkSnapshotLoad(b *testing.B) {
	const tail = 50
	srv := server(b)
	nc, js := connect(b, srv)
	s := newStore(b, js)
	snaps := newSnapshots(b, js)
	ctx := context.Background()
	repo := es.NewRepository(s, storetest.TallyDefinition(3000), es.WithSnapshots(snaps))
	batch := storetest.AddAll{Ns: make([]int64, 10)}
	for range (10000 - tail) / 10 {
		if _, err := repo.Handle(ctx, "big", batch); err != nil {
			b.Fatal(err)
		}
	}
	for range tail {
		if _, err := repo.Handle(ctx, "big", storetest.Add{N: 1}); err != nil {
			b.Fatal(err)
		}
	}
	snap, err := snaps.LoadSnapshot(ctx, es.Ref{Type: "Tally", ID: "big"})
	if err != nil || snap.Version != 9000 {
		b.Fatalf("snapshot at %d, %v; want 9000", snap.Version, err)
	}
	kv, err := js.KeyValue(ctx, snaps.Bucket())
	if err != nil {
		b.Fatal(err)
	}
	subject := s.Subject(es.Ref{Type: "Tally", ID: "big"})
	// The snapshot is at a 10-event command; the messages after it: 95
	// commands of 10 and 50 of one.
	b.Run("raw-kv-get+tail", func(b *testing.B) {
		for b.Loop() {
			if _, err := kv.Get(ctx, "Tally.big"); err != nil {
				b.Fatal(err)
			}
			if n := rawDirectGet(b, nc, s.Stream(), subject, snap.Sequence+1, false); n != 95+tail {
				b.Fatalf("tail of %d messages", n)
			}
		}
	})
	b.Run("repository-load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			repo.Forget("big")
			inst, err := repo.Load(ctx, "big")
			if err != nil || inst.Version != 10000 {
				b.Fatalf("Load = version %d, %v", inst.Version, err)
			}
		}
	})
}
