package yardstick

import (
	"errors"
	"fmt"
)

// Errors of the order decisions. A rejected command records nothing; callers
// tell the rules apart with errors.Is.
var (
	// ErrNoItems rejects a Submit without any line item.
	ErrNoItems = errors.New("yardstick: an order needs at least one item")
	// ErrBadItem rejects a line item without a sku, with a quantity that is
	// not positive or with a negative price (wrapped in a *LineError).
	ErrBadItem = errors.New("yardstick: invalid line item")
	// ErrNoPaymentID rejects a ValidatePayment without a payment id.
	ErrNoPaymentID = errors.New("yardstick: payment validation needs a payment id")
	// ErrNoTracking rejects a Fulfill without a tracking number.
	ErrNoTracking = errors.New("yardstick: fulfilment needs a tracking number")
	// ErrEmptyNote rejects an AddNote without an author or a text.
	ErrEmptyNote = errors.New("yardstick: a note needs an author and a text")
)

// LineError says which line item of a Submit is invalid. It wraps
// ErrBadItem.
type LineError struct {
	Line int    // 1-based position of the item in the command
	SKU  string // the item's sku, possibly empty
}

// Error names the line and its sku.
func (e *LineError) Error() string {
	return fmt.Sprintf("line %d (sku %q): %v", e.Line, e.SKU, ErrBadItem)
}

// Unwrap returns ErrBadItem.
func (e *LineError) Unwrap() error { return ErrBadItem }
