package yardstick

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// A path is one implementation of one benchmarked operation, set up before
// the timer: op is what the benchmark times, check verifies what ops
// operations stored (TestPaths runs every path a few times and checks it).
type path struct {
	op    func() error
	check func(ops int) error
}

// impl names an implementation and sets up its path.
type impl struct {
	name  string
	setup func(tb testing.TB) path
}

// payload returns the JSON payload esgen stores for e, which the raw
// reference publishes as it is.
func payload(tb testing.TB, e OrderEvent) []byte {
	tb.Helper()
	raw, err := OrderEventCodec{}.Encode(nil, e)
	if err != nil {
		tb.Fatal(err)
	}
	return raw.Data
}

// newOrderRepository returns the generated repository on store with the
// workload's decisions, default options.
func newOrderRepository(store es.Store) *OrderRepository {
	return NewOrderRepository(store, Decider{}, Evolver{})
}

// checkOrder loads order id afresh from repo and compares it with want at
// version.
func checkOrder(repo *OrderRepository, id string, version uint64, want OrderState) error {
	repo.Forget(id)
	inst, err := repo.Load(context.Background(), id)
	if err != nil {
		return err
	}
	if inst.Version != version || !reflect.DeepEqual(inst.State, want) {
		return fmt.Errorf("order %s at version %d in %+v, want version %d in %+v", id, inst.Version, inst.State, version, want)
	}
	return nil
}

// checkRaw reads subject and compares its messages with want, a message
// each.
func checkRaw(env *jsEnv, stream, subject string, want ...[]byte) error {
	r, err := newRawReader(env.nc, stream)
	if err != nil {
		return err
	}
	defer r.close()
	n, size, err := r.read(subject)
	wantSize := 0
	for _, w := range want {
		wantSize += len(w)
	}
	if err != nil || n != len(want) || size != wantSize {
		return fmt.Errorf("%s holds %d messages of %d bytes (%v), want %d of %d", subject, n, size, err, len(want), wantSize)
	}
	return nil
}

// repeat returns n times p.
func repeat(n int, p []byte) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = p
	}
	return out
}

// hotJS: AddNote on an order submitted before the timer, its state cached
// by the repository; against a checked publish of NoteAdded's payload.
func hotJS(env *jsEnv) []impl {
	ctx := context.Background()
	return []impl{
		{"esgen", func(tb testing.TB) path {
			repo := newOrderRepository(env.store)
			id := env.newID("hot")
			if _, err := repo.Handle(ctx, id, workSubmit); err != nil {
				tb.Fatal(err)
			}
			return path{
				op: func() error {
					_, err := repo.Handle(ctx, id, workNote)
					return err
				},
				check: func(ops int) error { return checkOrder(repo, id, uint64(ops)+1, submitted(ops)) },
			}
		}},
		{"raw", func(tb testing.TB) path {
			subject := rawSubject(env.newID("hot"))
			submittedData, note := payload(tb, workSubmitted), payload(tb, workNoted)
			last, err := rawPublish(ctx, env.js, subject, submittedData, 0)
			if err != nil {
				tb.Fatal(err)
			}
			return path{
				op: func() error {
					last, err = rawPublish(ctx, env.js, subject, note, last)
					return err
				},
				check: func(ops int) error {
					return checkRaw(env, rawStream, subject, append([][]byte{submittedData}, repeat(ops, note)...)...)
				},
			}
		}},
	}
}

// lifecycleJS: Submit, ValidatePayment and Fulfill on a new order, whose
// id the repository has never seen; against three checked publishes on a
// new subject.
func lifecycleJS(env *jsEnv) []impl {
	ctx := context.Background()
	return []impl{
		{"esgen", func(tb testing.TB) path {
			repo := newOrderRepository(env.store)
			var id string
			return path{
				op: func() error {
					id = env.newID("life")
					if _, err := repo.Handle(ctx, id, workSubmit); err != nil {
						return err
					}
					if _, err := repo.Handle(ctx, id, workPayment); err != nil {
						return err
					}
					_, err := repo.Handle(ctx, id, workFulfill)
					return err
				},
				check: func(int) error { return checkOrder(repo, id, 3, Fulfilled{Tracking: workFulfill.Tracking}) },
			}
		}},
		{"raw", func(tb testing.TB) path {
			events := [][]byte{payload(tb, workSubmitted), payload(tb, workValidated), payload(tb, workFulfilled)}
			var subject string
			return path{
				op: func() error {
					subject = rawSubject(env.newID("life"))
					var last uint64
					for _, data := range events {
						var err error
						if last, err = rawPublish(ctx, env.js, subject, data, last); err != nil {
							return err
						}
					}
					return nil
				},
				check: func(int) error { return checkRaw(env, rawStream, subject, events...) },
			}
		}},
	}
}

// replayJS fills the server with aggregates orders of events events each,
// interleaved (a Submit on each, then AddNote on each in turn), through the
// repository and, with the same payloads, raw. Its paths read the first
// order whole: Repository.Load with nothing cached and no snapshot; a raw
// read of the raw payloads; a raw read of esgen's messages.
func replayJS(tb testing.TB, env *jsEnv, aggregates, events int) []impl {
	ctx := context.Background()
	repo := newOrderRepository(env.store)
	submittedData, note := payload(tb, workSubmitted), payload(tb, workNoted)
	ids := make([]string, aggregates)
	lasts := make([]uint64, aggregates)
	for i := range events {
		for a := range ids {
			cmd, data := OrderCommand(workNote), note
			if i == 0 {
				ids[a] = env.newID("replay")
				cmd, data = workSubmit, submittedData
			}
			if _, err := repo.Handle(ctx, ids[a], cmd); err != nil {
				tb.Fatal(err)
			}
			var err error
			if lasts[a], err = rawPublish(ctx, env.js, rawSubject(ids[a]), data, lasts[a]); err != nil {
				tb.Fatal(err)
			}
		}
	}
	id := ids[0]
	rawRead := func(stream, subject string, size int) func(tb testing.TB) path {
		return func(tb testing.TB) path {
			r, err := newRawReader(env.nc, stream)
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { _ = r.close() })
			return path{
				op: func() error {
					n, got, err := r.read(subject)
					if err == nil && (n != events || (size > 0 && got != size)) {
						err = fmt.Errorf("read %d messages of %d bytes, want %d of %d", n, got, events, size)
					}
					return err
				},
				check: func(int) error { return nil }, // op checks every read
			}
		}
	}
	return []impl{
		{"esgen", func(tb testing.TB) path {
			want := submitted(events - 1)
			return path{
				op: func() error {
					repo.Forget(id)
					inst, err := repo.Load(ctx, id)
					if err == nil && (inst.Version != uint64(events) || inst.State.(Submitted).Notes != events-1) {
						err = fmt.Errorf("loaded version %d in %+v, want version %d in %+v", inst.Version, inst.State, events, want)
					}
					return err
				},
				check: func(int) error { return checkOrder(repo, id, uint64(events), want) },
			}
		}},
		{"raw", rawRead(rawStream, rawSubject(id), len(submittedData)+(events-1)*len(note))},
		{"raw-envelopes", rawRead(env.store.Stream(), env.store.Subject(es.Ref{Type: "Order", ID: id}), 0)},
	}
}

// hotMemory: AddNote on an order submitted before the timer, through the
// repository on the in-memory store, with the command ids Handle makes up
// (impl=esgen) and with ids the caller gives, as an application does for
// idempotent retries (impl=esgen-cmdid); against the hand-written handler.
func hotMemory() []impl {
	ctx := context.Background()
	// Caller-given ids, reused in turn: the ring is longer than the
	// store's dedupe window, so each use is a new command to the store.
	ids := make([]string, 4*es.DedupeAppends)
	for i := range ids {
		ids[i] = "note-" + strconv.Itoa(i)
	}
	return []impl{
		{"esgen", func(tb testing.TB) path {
			repo := newOrderRepository(memstore.New())
			if _, err := repo.Handle(ctx, "hot", workSubmit); err != nil {
				tb.Fatal(err)
			}
			return path{
				op: func() error {
					_, err := repo.Handle(ctx, "hot", workNote)
					return err
				},
				check: func(ops int) error { return checkOrder(repo, "hot", uint64(ops)+1, submitted(ops)) },
			}
		}},
		{"esgen-cmdid", func(tb testing.TB) path {
			repo := newOrderRepository(memstore.New())
			if _, err := repo.Handle(ctx, "hot", workSubmit); err != nil {
				tb.Fatal(err)
			}
			next := 0
			return path{
				op: func() error {
					res, err := repo.Handle(ctx, "hot", workNote, es.WithCommandID(ids[next%len(ids)]))
					next++
					if err == nil && res.Duplicate {
						err = fmt.Errorf("command %d taken for a duplicate", next)
					}
					return err
				},
				check: func(ops int) error { return checkOrder(repo, "hot", uint64(ops)+1, submitted(ops)) },
			}
		}},
		{"handwritten", func(tb testing.TB) path {
			h := newHWHandler(func() time.Time { return clock })
			if _, err := h.handle("hot", hwSubmit{Items: hwWorkItems}); err != nil {
				tb.Fatal(err)
			}
			note := hwAddNote{Author: workNote.Author, Text: workNote.Text}
			want := payload(tb, workNoted)
			return path{
				op: func() error {
					_, err := h.handle("hot", note)
					return err
				},
				check: func(ops int) error {
					h.mu.Lock()
					o, events := h.states["hot"], h.events["hot"]
					h.mu.Unlock()
					if o.status != hwSubmitted || o.notes != ops || o.version != ops+1 || len(events) != ops+1 {
						return fmt.Errorf("order in %s with %d notes at version %d, %d events; want %d notes", o.status, o.notes, o.version, len(events), ops)
					}
					if last := events[len(events)-1]; last.Type != "NoteAdded" || string(last.Data) != string(want) {
						return fmt.Errorf("last event %s %s, want NoteAdded %s", last.Type, last.Data, want)
					}
					return nil
				},
			}
		}},
	}
}
