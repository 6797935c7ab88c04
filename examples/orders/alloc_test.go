package orders

import (
	"context"
	"testing"
	"time"
)

// TestAllocations pins down what the generated code allocates, as
// docs/benchmarks.md reports it: nothing to encode a small event into a
// buffer with room, and per transition the event (boxed in OrderEvent) and
// the new state (boxed in OrderState), plus the copy of the items Submit's
// decision makes. The outcome of a branching decision costs nothing.
func TestAllocations(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters allocate")
	}
	room := make([]byte, 0, 64)
	var codec OrderEventCodec
	var raw []byte
	if n := testing.AllocsPerRun(100, func() {
		r, err := codec.Encode(room, PaymentValidated{PaymentID: "pay-5521"})
		if err != nil {
			t.Fatal(err)
		}
		raw = r.Data
	}); n != 0 {
		t.Errorf("Encode into a buffer with room: %v allocations, want 0", n)
	}
	if string(raw) != `{"payment_id":"pay-5521"}` || &raw[:1][0] != &room[:1][0] {
		t.Errorf("Encode wrote %s, not into the buffer given", raw)
	}

	ctx := context.Background()
	def := NewOrderDefinition(Decider{Now: func() time.Time { return clock }})
	submitted := Submitted{Items: items, SubmittedAt: clock}
	events := make([]OrderEvent, 0, 1)
	for _, tc := range []struct {
		name  string
		state OrderState
		cmd   OrderCommand
		want  float64
	}{
		{"Submit", Draft{}, Submit{Items: items}, 3},
		{"ValidatePayment accepted", submitted, ValidatePayment{PaymentID: "pay-1"}, 2},
		{"ValidatePayment rejected", submitted, ValidatePayment{}, 2},
		{"Fulfill", Validated{PaymentID: "pay-1"}, Fulfill{Tracking: "1Z"}, 2},
		{"Cancel", submitted, Cancel{Reason: "late"}, 2},
	} {
		n := testing.AllocsPerRun(100, func() {
			evs, err := def.Decide(ctx, tc.state, tc.cmd, events[:0])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := def.Evolve(tc.state, evs[0]); err != nil {
				t.Fatal(err)
			}
		})
		if n != tc.want {
			t.Errorf("Decide and Evolve %s: %v allocations, want %v", tc.name, n, tc.want)
		}
	}
}
