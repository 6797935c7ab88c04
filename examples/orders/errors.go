package orders

import (
	"errors"
	"fmt"
)

// Errors of the decisions of orders, payments and shipments. A rejected command records nothing; callers
// tell the rules apart with errors.Is.
var (
	// ErrNoItems rejects a Submit without any line item.
	ErrNoItems = errors.New("orders: an order needs at least one item")
	// ErrNoSKU rejects a line item that names no product.
	ErrNoSKU = errors.New("orders: a line item needs a sku")
	// ErrNonPositiveQuantity rejects a line item whose quantity is zero or
	// negative.
	ErrNonPositiveQuantity = errors.New("orders: quantities must be positive")
	// ErrNegativePrice rejects a line item with a negative unit price.
	ErrNegativePrice = errors.New("orders: prices must not be negative")
	// ErrNoTracking rejects a Fulfill without a tracking number.
	ErrNoTracking = errors.New("orders: fulfilment needs a tracking number")
	// ErrNoReason rejects a Cancel, a DeclinePayment, a VoidPayment or a
	// RefundPayment without a reason.
	ErrNoReason = errors.New("orders: a reason is needed")
	// ErrNoOrder rejects a RequestPayment or a RequestShipment that names no
	// order.
	ErrNoOrder = errors.New("orders: the order's id is needed")
	// ErrNonPositiveAmount rejects a RequestPayment of zero or less.
	ErrNonPositiveAmount = errors.New("orders: an amount to pay must be positive")
	// ErrNoProviderRef rejects a CapturePayment without the provider's
	// reference.
	ErrNoProviderRef = errors.New("orders: a capture needs the provider's reference")
)

// LineError says which line item of a Submit broke a rule. It wraps one of
// ErrNoSKU, ErrNonPositiveQuantity or ErrNegativePrice, so errors.Is matches
// the rule and errors.As finds the line.
type LineError struct {
	Line int    // 1-based position of the item in the command
	SKU  string // the item's sku, possibly empty
	Err  error  // the rule broken
}

// Error names the line, its sku and the rule.
func (e *LineError) Error() string {
	return fmt.Sprintf("line %d (sku %q): %v", e.Line, e.SKU, e.Err)
}

// Unwrap returns the rule broken.
func (e *LineError) Unwrap() error { return e.Err }
