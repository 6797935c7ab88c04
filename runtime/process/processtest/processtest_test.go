package processtest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/process"
	"github.com/esgen/esgen/runtime/process/processtest"
)

// recorder records failures instead of failing.
type recorder struct {
	testing.TB
	ctx  context.Context
	errs []string
}

func (r *recorder) Helper()                  {}
func (r *recorder) Context() context.Context { return r.ctx }
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// A process that, on an order placed, reserves its stock; on the stock
// refused, cancels the order; it refuses an order placed twice.
type (
	placed  struct{ SKU string }
	refused struct{}
	reserve struct{ SKU string }
	cancel  struct{ Reason string }
)

var errNoSKU = errors.New("no sku")

func def() es.Definition[string, any, process.Step[any]] {
	return es.Definition[string, any, process.Step[any]]{
		Type:    "Stocking",
		Initial: func() string { return "Idle" },
		Decide: func(ctx context.Context, s string, in any, steps []process.Step[any]) ([]process.Step[any], error) {
			ref, _ := es.RefFromContext(ctx)
			switch in := in.(type) {
			case placed:
				if s != "Idle" {
					return nil, &es.InvalidTransitionError{Aggregate: "Stocking", State: s, Command: "placed"}
				}
				if in.SKU == "" {
					return nil, errNoSKU
				}
				send, err := process.Encode("Stock", "Reserve", process.To[reserve]{ID: ref.ID, Command: reserve(in)})
				return append(steps, process.Step[any]{Input: in, From: s, To: "Reserving", Sends: []process.Send{send}}), err
			case refused:
				send, err := process.Encode("Order", "Cancel", process.To[cancel]{ID: ref.ID, Command: cancel{Reason: "no stock"}})
				return append(steps, process.Step[any]{Input: in, From: s, To: "Cancelled", Sends: []process.Send{send}}), err
			}
			return nil, fmt.Errorf("input %T", in)
		},
		Evolve: func(_ string, st process.Step[any]) (string, error) { return st.To, nil },
	}
}

func send(t testing.TB, agg, cmd string, v any) process.Send {
	s, err := process.Encode(agg, cmd, process.To[any]{ID: "o-1", Command: v})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHarness(t *testing.T) {
	stateName := func(s string) string { return s }
	tests := []struct {
		name string
		run  func(tb testing.TB)
		want []string
	}{
		{"then passes", func(tb testing.TB) {
			processtest.For(tb, def()).WithID("o-1").When(placed{SKU: "a"}).Then(send(t, "Stock", "Reserve", reserve{SKU: "a"})).ThenState(stateName, "Reserving")
		}, nil},
		{"given then when", func(tb testing.TB) {
			processtest.For(tb, def()).WithID("o-1").Given(placed{SKU: "a"}).When(refused{}).Then(send(t, "Order", "Cancel", cancel{Reason: "no stock"}))
		}, nil},
		{"wrong command data", func(tb testing.TB) {
			processtest.For(tb, def()).WithID("o-1").When(placed{SKU: "a"}).Then(send(t, "Stock", "Reserve", reserve{SKU: "b"}))
		}, []string{`processtest: Then: command 1:
 got [Stock "o-1" Reserve {"SKU":"a"}]
want [Stock "o-1" Reserve {"SKU":"b"}]`}},
		{"missing command", func(tb testing.TB) {
			processtest.For(tb, def()).When(placed{SKU: "a"}).Then()
		}, []string{`processtest: Then: 1 commands sent, want 0:
 got [Stock "p-1" Reserve {"SKU":"a"}]
want []`}},
		{"wrong state", func(tb testing.TB) {
			processtest.For(tb, def()).When(placed{SKU: "a"}).ThenState(stateName, "Idle")
		}, []string{"processtest: ThenState: the process is in Reserving, want Idle"}},
		{"decision error", func(tb testing.TB) {
			processtest.For(tb, def()).When(placed{}).ThenError(errNoSKU)
			processtest.For(tb, def()).When(placed{}).Then()
		}, []string{"processtest: Then: the decision failed: no sku"}},
		{"given refused", func(tb testing.TB) {
			processtest.For(tb, def()).Given(placed{SKU: "a"}, placed{SKU: "a"}).When(refused{}).Then()
		}, []string{"processtest: Given input 2 (processtest_test.placed): Stocking: command placed is not allowed in state Reserving"}},
		{"then before when", func(tb testing.TB) {
			processtest.For(tb, def()).Then()
		}, []string{"processtest: Then before When"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{ctx: t.Context()}
			tt.run(r)
			if strings.Join(r.errs, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(r.errs, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
