package orders

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// TestOrderRules checks every rule of Decider with the command that breaks it:
// the error matches the rule, and nothing is recorded.
func TestOrderRules(t *testing.T) {
	paid := []OrderEvent{submitted(), PaymentValidated{PaymentID: "pay-7781"}}
	tests := []struct {
		name  string
		given []OrderEvent
		cmd   OrderCommand
		want  error
		line  int // the LineError's line, 0 when none is expected
	}{
		{"submit without items", nil, Submit{}, ErrNoItems, 0},
		{"submit with an empty item list", nil, Submit{Items: []LineItem{}}, ErrNoItems, 0},
		{"zero quantity", nil, Submit{Items: []LineItem{{SKU: "a", Qty: 1}, {SKU: "b", Qty: 0}}}, ErrNonPositiveQuantity, 2},
		{"negative quantity", nil, Submit{Items: []LineItem{{SKU: "a", Qty: -3}}}, ErrNonPositiveQuantity, 1},
		{"no sku", nil, Submit{Items: []LineItem{{SKU: "a", Qty: 1}, {SKU: "b", Qty: 1}, {SKU: "  ", Qty: 1}}}, ErrNoSKU, 3},
		{"negative price", nil, Submit{Items: []LineItem{{SKU: "a", Qty: 1, PriceCents: -1}}}, ErrNegativePrice, 1},
		{"fulfil without tracking", paid, Fulfill{}, ErrNoTracking, 0},
		{"fulfil with a blank tracking", paid, Fulfill{Tracking: " "}, ErrNoTracking, 0},
		{"cancel a draft without reason", nil, Cancel{}, ErrNoReason, 0},
		{"cancel a submitted order without reason", paid[:1], Cancel{Reason: "\t"}, ErrNoReason, 0},
		{"cancel a paid order without reason", paid, Cancel{}, ErrNoReason, 0},
		{"fulfil an unpaid order", paid[:1], Fulfill{Tracking: "t"}, es.ErrInvalidTransition, 0},
		{"submit twice", paid[:1], Submit{Items: items}, es.ErrInvalidTransition, 0},
		{"cancel a shipped order", append(paid[:2:2], OrderFulfilled{Tracking: "t"}), Cancel{Reason: "late"}, es.ErrInvalidTransition, 0},
		{"pay a rejected order", append(paid[:1:1], PaymentRejected{Reason: PaymentRefused}), ValidatePayment{PaymentID: "p"}, es.ErrInvalidTransition, 0},
	}
	def := orderUnderTest()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			estest.For(t, def).Given(tt.given...).When(tt.cmd).ThenError(tt.want)

			s := def.Initial()
			for _, e := range tt.given {
				var err error
				if s, err = def.Evolve(s, e); err != nil {
					t.Fatal(err)
				}
			}
			events, err := def.Decide(t.Context(), s, tt.cmd, nil)
			if events != nil {
				t.Errorf("rejected command emitted %v", events)
			}
			var le *LineError
			switch {
			case tt.line == 0 && errors.As(err, &le):
				t.Errorf("error %v names a line, want none", err)
			case tt.line != 0 && !errors.As(err, &le):
				t.Errorf("error %v names no line, want line %d", err, tt.line)
			case tt.line != 0 && le.Line != tt.line:
				t.Errorf("error names line %d, want %d", le.Line, tt.line)
			}
		})
	}
}

// TestOrderRuleMessages checks what a user reads when a command is refused.
func TestOrderRuleMessages(t *testing.T) {
	def := orderUnderTest()
	tests := []struct {
		name  string
		state OrderState
		cmd   OrderCommand
		want  string
	}{
		{"line", Draft{}, Submit{Items: []LineItem{{SKU: "a", Qty: 1}, {SKU: "mug", Qty: 0}}},
			`line 2 (sku "mug"): orders: quantities must be positive`},
		{"invalid transition", Submitted{}, Fulfill{Tracking: "t"},
			"Order: command Fulfill is not allowed in state Submitted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := def.Decide(t.Context(), tt.state, tt.cmd, nil)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestOrderSubmitRecords checks what a valid Submit records: trimmed skus, a
// copy of the command's items, the clock's time in UTC, the channel.
func TestOrderSubmitRecords(t *testing.T) {
	local := time.FixedZone("CET", 3600)
	d := Decider{Now: func() time.Time { return clock.In(local) }}
	cmd := Submit{Items: []LineItem{{SKU: " tea ", Qty: 3, PriceCents: 0}}}
	e, err := d.Submit(context.Background(), Draft{}, cmd)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Items[0].Qty = 99 // the caller reuses its command
	want := OrderSubmitted{Items: []LineItem{{SKU: "tea", Qty: 3}}, SubmittedAt: clock, Channel: DefaultChannel}
	if len(e.Items) != 1 || e.Items[0] != want.Items[0] || e.Channel != want.Channel {
		t.Errorf("Submit recorded %+v, want %+v", e, want)
	}
	if e.SubmittedAt != clock || e.SubmittedAt.Location() != time.UTC {
		t.Errorf("SubmittedAt = %v (%v), want %v in UTC", e.SubmittedAt, e.SubmittedAt.Location(), clock)
	}
}

// TestOrderZeroDecider checks the zero Decider: the wall clock and the web
// channel.
func TestOrderZeroDecider(t *testing.T) {
	before := time.Now()
	e, err := Decider{}.Submit(context.Background(), Draft{}, Submit{Items: items})
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	if e.SubmittedAt.Before(before.Truncate(0)) || e.SubmittedAt.After(after) {
		t.Errorf("SubmittedAt = %v, want between %v and %v", e.SubmittedAt, before, after)
	}
	if e.Channel != "web" {
		t.Errorf("Channel = %q, want web", e.Channel)
	}
}

// TestOrderTrimsText checks that recorded payment ids, tracking numbers and
// reasons carry no surrounding blanks.
func TestOrderTrimsText(t *testing.T) {
	estest.For(t, orderUnderTest()).
		Given(submitted()).
		When(ValidatePayment{PaymentID: " pay-1\n"}).
		Then(PaymentValidated{PaymentID: "pay-1"})
	estest.For(t, orderUnderTest()).
		Given(submitted(), PaymentValidated{PaymentID: "pay-1"}).
		When(Fulfill{Tracking: " 1Z "}).
		Then(OrderFulfilled{Tracking: "1Z"})
	estest.For(t, orderUnderTest()).
		When(Cancel{Reason: " duplicate order "}).
		Then(OrderCancelled{Reason: "duplicate order"})
}
