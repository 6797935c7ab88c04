package orders

import (
	"context"
	"strings"
	"time"
)

// DefaultChannel is the sales channel recorded when a Decider names none. It
// is also the default the .esm declares for OrderSubmitted v1 events, which
// predate channels: every order before them came through the web shop.
const DefaultChannel = "web"

// Decider holds the business rules of an order. It implements OrderDecider:
//
//   - Submit needs at least one line item; every item needs a sku, a positive
//     quantity and a price that is not negative. The order is stamped with
//     the Decider's clock and sales channel.
//   - ValidatePayment records the payment provider's answer: a payment id
//     means the payment went through (PaymentValidated, to Validated); no
//     payment id (empty or blank) means the provider refused it, which is a
//     business outcome and not a bad command: the order is cancelled with
//     PaymentRejected, so the refusal stays in its history.
//   - Fulfill needs a tracking number.
//   - Cancel needs a reason, in every state that accepts it.
//
// Text fields are recorded without surrounding blanks. The zero Decider is
// ready to use: it reads time.Now and records the channel "web".
type Decider struct {
	// Now is the clock that stamps submitted orders; nil means time.Now.
	// Times are taken here, when the command is decided, and recorded in the
	// event: replaying events never reads a clock.
	Now func() time.Time
	// Channel is the sales channel this service takes orders from; empty
	// means DefaultChannel.
	Channel string
}

var _ OrderDecider = Decider{}

// Submit accepts the order's items if every line is valid.
func (d Decider) Submit(_ context.Context, _ Draft, c Submit) (OrderSubmitted, error) {
	if len(c.Items) == 0 {
		return OrderSubmitted{}, ErrNoItems
	}
	items := make([]LineItem, len(c.Items))
	for i, it := range c.Items {
		it.SKU = strings.TrimSpace(it.SKU)
		var err error
		switch {
		case it.SKU == "":
			err = ErrNoSKU
		case it.Qty <= 0:
			err = ErrNonPositiveQuantity
		case it.PriceCents < 0:
			err = ErrNegativePrice
		}
		if err != nil {
			return OrderSubmitted{}, &LineError{Line: i + 1, SKU: it.SKU, Err: err}
		}
		items[i] = it
	}
	return OrderSubmitted{Items: items, SubmittedAt: d.now(), Channel: d.channel()}, nil
}

// ValidatePayment takes the Validated branch when the provider gave a
// payment id, and the rejected branch (to Cancelled) when it gave none.
func (Decider) ValidatePayment(_ context.Context, _ Submitted, c ValidatePayment) (ValidatePaymentOutcome, error) {
	id := strings.TrimSpace(c.PaymentID)
	if id == "" {
		return ValidatePaymentToCancelled(PaymentRejected{Reason: PaymentRefused}), nil
	}
	return ValidatePaymentToValidated(PaymentValidated{PaymentID: id}), nil
}

// PaymentRefused is the reason PaymentRejected records when the provider
// gave no payment id.
const PaymentRefused = "payment refused: the provider gave no payment id"

// Fulfill ships a paid order under a tracking number.
func (Decider) Fulfill(_ context.Context, _ Validated, c Fulfill) (OrderFulfilled, error) {
	tracking := strings.TrimSpace(c.Tracking)
	if tracking == "" {
		return OrderFulfilled{}, ErrNoTracking
	}
	return OrderFulfilled{Tracking: tracking}, nil
}

// Cancel stops an order that has not shipped, for a stated reason.
func (Decider) Cancel(_ context.Context, _ CancelSource, c Cancel) (OrderCancelled, error) {
	reason := strings.TrimSpace(c.Reason)
	if reason == "" {
		return OrderCancelled{}, ErrNoReason
	}
	return OrderCancelled{Reason: reason}, nil
}

// now reads the clock in UTC without its monotonic reading, so that the
// recorded time equals the one a reload decodes.
func (d Decider) now() time.Time {
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	return now().UTC().Round(0)
}

func (d Decider) channel() string {
	if d.Channel == "" {
		return DefaultChannel
	}
	return d.Channel
}
