package orders

import (
	"context"
	"strings"
)

// PaymentRules holds the business rules of a payment. It implements
// PaymentDecider:
//
//   - RequestPayment needs the order's id and an amount above zero.
//   - CapturePayment needs the provider's reference of the charge.
//   - DeclinePayment, VoidPayment and RefundPayment need a reason.
//
// Every event repeats the order's id, so that the Fulfilment process finds
// the order it belongs to; a refund repeats the amount captured. Text fields
// are recorded without surrounding blanks.
type PaymentRules struct{}

var _ PaymentDecider = PaymentRules{}

// RequestPayment asks for the amount of an order.
func (PaymentRules) RequestPayment(_ context.Context, _ Unrequested, c RequestPayment) (PaymentRequested, error) {
	id := strings.TrimSpace(c.OrderID)
	switch {
	case id == "":
		return PaymentRequested{}, ErrNoOrder
	case c.AmountCents <= 0:
		return PaymentRequested{}, ErrNonPositiveAmount
	}
	return PaymentRequested{OrderID: id, AmountCents: c.AmountCents}, nil
}

// CapturePayment records the charge under the provider's reference.
func (PaymentRules) CapturePayment(_ context.Context, s Pending, c CapturePayment) (PaymentCaptured, error) {
	ref := strings.TrimSpace(c.ProviderRef)
	if ref == "" {
		return PaymentCaptured{}, ErrNoProviderRef
	}
	return PaymentCaptured{OrderID: s.OrderID, AmountCents: s.AmountCents, ProviderRef: ref}, nil
}

// DeclinePayment records the provider's refusal.
func (PaymentRules) DeclinePayment(_ context.Context, s Pending, c DeclinePayment) (PaymentDeclined, error) {
	reason, err := reasonOf(c.Reason)
	return PaymentDeclined{OrderID: s.OrderID, Reason: reason}, err
}

// VoidPayment calls off a charge the provider has not answered.
func (PaymentRules) VoidPayment(_ context.Context, s Pending, c VoidPayment) (PaymentVoided, error) {
	reason, err := reasonOf(c.Reason)
	return PaymentVoided{OrderID: s.OrderID, Reason: reason}, err
}

// RefundPayment gives the amount captured back.
func (PaymentRules) RefundPayment(_ context.Context, s Captured, c RefundPayment) (PaymentRefunded, error) {
	reason, err := reasonOf(c.Reason)
	return PaymentRefunded{OrderID: s.OrderID, AmountCents: s.AmountCents, Reason: reason}, err
}

// reasonOf returns the reason without surrounding blanks, or ErrNoReason
// if it is blank.
func reasonOf(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", ErrNoReason
	}
	return reason, nil
}
