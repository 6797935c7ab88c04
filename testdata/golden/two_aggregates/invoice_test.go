package shop

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// invoiceUnderTest returns the definition the cases below exercise. Pass your
// InvoiceDecider to NewInvoiceDefinition.
func invoiceUnderTest() es.Definition[InvoiceState, InvoiceCommand, InvoiceEvent] {
	return NewInvoiceDefinition(nil)
}

// Pay in Unpaid moves the Invoice to Paid, recording InvoicePaid.
func TestInvoicePayFromUnpaid(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, invoiceUnderTest()).
		Given().
		When(Pay{}).
		Then(InvoicePaid{})
}
