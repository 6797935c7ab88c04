package yardstick

import (
	"context"
	"strings"
	"time"
)

// Epoch is the time a Decider without a clock stamps its events with: the
// benchmarks' decisions read no clock, so that every payload of a run has
// the same bytes.
var Epoch = time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)

// Decider holds the business rules of an order. It implements OrderDecider:
//
//   - Submit needs at least one line item; every item needs a sku, a positive
//     quantity and a price that is not negative. The event records the
//     items, their total and the time.
//   - ValidatePayment needs a payment id.
//   - Fulfill needs a tracking number.
//   - AddNote needs an author and a text, and records the time.
//
// Text fields are recorded without surrounding blanks.
type Decider struct {
	// Now stamps OrderSubmitted and NoteAdded; nil means the fixed Epoch.
	Now func() time.Time
}

var _ OrderDecider = Decider{}

// Submit accepts the order's items if every line is valid, and totals them.
func (d Decider) Submit(_ context.Context, _ Draft, c Submit) (OrderSubmitted, error) {
	if len(c.Items) == 0 {
		return OrderSubmitted{}, ErrNoItems
	}
	items := make([]LineItem, len(c.Items))
	var total int64
	for i, it := range c.Items {
		it.SKU = strings.TrimSpace(it.SKU)
		if it.SKU == "" || it.Qty <= 0 || it.PriceCents < 0 {
			return OrderSubmitted{}, &LineError{Line: i + 1, SKU: it.SKU}
		}
		items[i] = it
		total += int64(it.Qty) * it.PriceCents
	}
	return OrderSubmitted{Items: items, TotalCents: total, SubmittedAt: d.now()}, nil
}

// ValidatePayment records the provider's payment id.
func (Decider) ValidatePayment(_ context.Context, _ Submitted, c ValidatePayment) (PaymentValidated, error) {
	id := strings.TrimSpace(c.PaymentID)
	if id == "" {
		return PaymentValidated{}, ErrNoPaymentID
	}
	return PaymentValidated{PaymentID: id}, nil
}

// Fulfill ships a paid order under a tracking number.
func (Decider) Fulfill(_ context.Context, _ Validated, c Fulfill) (OrderFulfilled, error) {
	tracking := strings.TrimSpace(c.Tracking)
	if tracking == "" {
		return OrderFulfilled{}, ErrNoTracking
	}
	return OrderFulfilled{Tracking: tracking}, nil
}

// AddNote records a note on a submitted order.
func (d Decider) AddNote(_ context.Context, _ Submitted, c AddNote) (NoteAdded, error) {
	author, text := strings.TrimSpace(c.Author), strings.TrimSpace(c.Text)
	if author == "" || text == "" {
		return NoteAdded{}, ErrEmptyNote
	}
	return NoteAdded{Author: author, Text: text, At: d.now()}, nil
}

// now reads the Decider's clock in UTC without its monotonic reading, so
// that the recorded time equals the one a reload decodes.
func (d Decider) now() time.Time {
	if d.Now == nil {
		return Epoch
	}
	return d.Now().UTC().Round(0)
}

// Evolver computes the order states that do not follow from an event's
// fields. It implements OrderEvolver.
type Evolver struct{}

var _ OrderEvolver = Evolver{}

// SubmittedOnNoteAdded counts the note; its author, text and time stay in
// the event.
func (Evolver) SubmittedOnNoteAdded(s Submitted, _ NoteAdded) Submitted {
	s.Notes++
	return s
}
