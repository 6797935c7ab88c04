package orders

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// The benchmarks of the generated orders code. Commands and docs/benchmarks.md:
//
//	go test -run '^$' -bench 'Handle|DecideEvolve' -benchmem -count 8 ./examples/orders

// BenchmarkDecideEvolve decides one command and evolves the state with its
// event, through the generated Decide and Evolve of NewOrderDefinition, for
// every transition of the machine. Decide appends to room for one event,
// as Repository.Handle gives it.
func BenchmarkDecideEvolve(b *testing.B) {
	ctx := context.Background()
	def := NewOrderDefinition(Decider{Now: func() time.Time { return clock }})
	submitted := Submitted{Items: items, SubmittedAt: clock}
	tests := []struct {
		name  string
		state OrderState
		cmd   OrderCommand
	}{
		{"Submit", Draft{}, Submit{Items: items}},
		{"ValidatePayment-accepted", submitted, ValidatePayment{PaymentID: "pay-1"}},
		{"ValidatePayment-rejected", submitted, ValidatePayment{}},
		{"Fulfill", Validated{PaymentID: "pay-1"}, Fulfill{Tracking: "1Z"}},
		{"Cancel", submitted, Cancel{Reason: "late"}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			room := make([]OrderEvent, 0, 1)
			for b.Loop() {
				events, err := def.Decide(ctx, tt.state, tt.cmd, room[:0])
				if err != nil {
					b.Fatal(err)
				}
				if _, err := def.Evolve(tt.state, events[0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The Handle benchmarks run the same commands through the generated
// repository on the in-memory store and through the hand-written
// implementation of handwritten_test.go, in one invocation so that their
// ratio is measured under the same load.
//
// Both work on batches of batchSize orders and start each batch with an empty
// store (outside the timer): memory stays bounded and the cost per command
// does not depend on b.N. Each operation is one command that emits one event,
// encoded to JSON and appended with its metadata:
//
//   - scheme=cached: ValidatePayment then Fulfill on orders submitted (and
//     so cached) before the timer starts: the cost of a command on a cached
//     aggregate, nothing read from the store.
//   - scheme=lifecycle: Submit on a new order, then ValidatePayment, then
//     Fulfill: the whole life of an order, including the largest event
//     (OrderSubmitted, with its items and time) and a first command that
//     finds no state in the cache and no event in the store.
const batchSize = 1024

// batchIDs are the order ids of one batch; each batch has a store of its own,
// so they are reused.
var batchIDs = func() []string {
	ids := make([]string, batchSize)
	for i := range ids {
		ids[i] = "o-" + strconv.Itoa(i)
	}
	return ids
}()

// orderService is one implementation under benchmark.
type orderService interface {
	submit(ctx context.Context, id string) error
	pay(ctx context.Context, id string) error
	ship(ctx context.Context, id string) error
}

// benchHandle runs scheme on the services newService returns, one per batch.
func benchHandle(b *testing.B, lifecycle bool, newService func() orderService) {
	ctx := context.Background()
	b.ReportAllocs()
	var svc orderService
	var ops []func(context.Context, string) error
	next := 0 // the position in the batch; the first iteration starts one
	for b.Loop() {
		if next >= len(ops)*len(batchIDs) {
			b.StopTimer()
			svc = newService()
			ops = []func(context.Context, string) error{svc.pay, svc.ship}
			if lifecycle {
				ops = []func(context.Context, string) error{svc.submit, svc.pay, svc.ship}
			} else {
				for _, id := range batchIDs {
					if err := svc.submit(ctx, id); err != nil {
						b.Fatal(err)
					}
				}
			}
			next = 0
			b.StartTimer()
		}
		op, id := ops[next/len(batchIDs)], batchIDs[next%len(batchIDs)]
		if err := op(ctx, id); err != nil {
			b.Fatal(err)
		}
		next++
	}
}

// BenchmarkHandleGenerated: OrderRepository (es.Repository) with Decider on
// memstore, default options but a cache the size of a batch: the state
// cache, generated codecs, a command id per command, the store's full
// metadata, concurrency check and retry detection.
func BenchmarkHandleGenerated(b *testing.B) {
	newService := func() orderService {
		return generatedService{NewOrderRepository(memstore.New(), Decider{}, es.WithCacheSize(batchSize))}
	}
	b.Run("scheme=cached", func(b *testing.B) { benchHandle(b, false, newService) })
	b.Run("scheme=lifecycle", func(b *testing.B) { benchHandle(b, true, newService) })
}

// BenchmarkHandleHandWritten: the hand-written implementation, same commands.
func BenchmarkHandleHandWritten(b *testing.B) {
	newService := func() orderService { return handWrittenService{newHWHandler(newHWStore())} }
	b.Run("scheme=cached", func(b *testing.B) { benchHandle(b, false, newService) })
	b.Run("scheme=lifecycle", func(b *testing.B) { benchHandle(b, true, newService) })
}

type generatedService struct{ r *OrderRepository }

func (s generatedService) submit(ctx context.Context, id string) error {
	_, err := s.r.Handle(ctx, id, Submit{Items: items})
	return err
}

func (s generatedService) pay(ctx context.Context, id string) error {
	_, err := s.r.Handle(ctx, id, ValidatePayment{PaymentID: "pay-5521"})
	return err
}

func (s generatedService) ship(ctx context.Context, id string) error {
	_, err := s.r.Handle(ctx, id, Fulfill{Tracking: "1Z999AA10123456784"})
	return err
}

type handWrittenService struct{ h *hwHandler }

var hwItems = []hwLineItem{{SKU: "tea-earl-grey", Qty: 2, PriceCents: 450}, {SKU: "mug-blue", Qty: 1, PriceCents: 1200}}

func (s handWrittenService) submit(ctx context.Context, id string) error {
	_, err := s.h.handle(ctx, id, hwSubmit{Items: hwItems}, hwMeta{})
	return err
}

func (s handWrittenService) pay(ctx context.Context, id string) error {
	_, err := s.h.handle(ctx, id, hwValidatePayment{PaymentID: "pay-5521"}, hwMeta{})
	return err
}

func (s handWrittenService) ship(ctx context.Context, id string) error {
	_, err := s.h.handle(ctx, id, hwFulfill{Tracking: "1Z999AA10123456784"}, hwMeta{})
	return err
}
