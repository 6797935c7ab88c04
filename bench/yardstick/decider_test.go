package yardstick

import (
	"errors"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/estest"
)

// The rules that reject commands: nothing is recorded.
func TestOrderRejections(t *testing.T) {
	def := orderUnderTest()
	estest.For(t, def).When(Submit{}).ThenError(ErrNoItems)
	for _, it := range []LineItem{
		{SKU: " ", Qty: 1, PriceCents: 1},
		{SKU: "a", Qty: 0, PriceCents: 1},
		{SKU: "a", Qty: 1, PriceCents: -1},
	} {
		estest.For(t, def).When(Submit{Items: []LineItem{workItems[0], it}}).ThenError(ErrBadItem)
	}
	estest.For(t, def).Given(workSubmitted).When(ValidatePayment{PaymentID: " "}).ThenError(ErrNoPaymentID)
	estest.For(t, def).Given(workSubmitted, workValidated).When(Fulfill{}).ThenError(ErrNoTracking)
	estest.For(t, def).Given(workSubmitted).When(AddNote{Text: "x"}).ThenError(ErrEmptyNote)
	estest.For(t, def).Given(workSubmitted).When(AddNote{Author: "x", Text: " "}).ThenError(ErrEmptyNote)
}

// TestLineError names the invalid line and matches ErrBadItem.
func TestLineError(t *testing.T) {
	_, err := Decider{}.Submit(t.Context(), Draft{}, Submit{Items: []LineItem{workItems[0], {SKU: " mug ", Qty: 0}}})
	var le *LineError
	if !errors.As(err, &le) || le.Line != 2 || le.SKU != "mug" || !errors.Is(err, ErrBadItem) {
		t.Fatalf("err = %v, want a *LineError of line 2, sku mug, matching ErrBadItem", err)
	}
	if got, want := err.Error(), `line 2 (sku "mug"): yardstick: invalid line item`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestDeciderClock stamps events with the Decider's clock, in UTC without a
// monotonic reading, and with Epoch without one.
func TestDeciderClock(t *testing.T) {
	at := time.Date(2027, 1, 2, 3, 4, 5, 6, time.FixedZone("X", 3600))
	d := Decider{Now: func() time.Time { return at }}
	e, err := d.AddNote(t.Context(), Submitted{}, workNote)
	if err != nil || !e.At.Equal(at) || e.At.Location() != time.UTC {
		t.Fatalf("AddNote at %v (%v), want %v in UTC", e.At, err, at)
	}
	e, err = Decider{}.AddNote(t.Context(), Submitted{}, workNote)
	if err != nil || e.At != Epoch {
		t.Fatalf("AddNote without a clock at %v (%v), want Epoch %v", e.At, err, Epoch)
	}
}
