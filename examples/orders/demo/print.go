package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/runtime/es"
)

// printer writes the demo's report and keeps the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// section starts a numbered part of the report.
func (p *printer) section(n int, title string) {
	p.printf("\n%d. %s\n", n, title)
}

// record prints one stored event and all its metadata on three lines.
func (p *printer) record(r es.Record) {
	p.printf("   v%d  %s  schema %d  sequence %d  time %s\n", r.Version, r.EventType, r.SchemaVersion, r.Sequence, stamp(r.Time))
	p.printf("       event id %s  aggregate %s/%s  correlation %s  causation %s  actor %s\n",
		r.EventID, r.AggregateType, r.AggregateID, r.CorrelationID, r.CausationID, orNone(r.Actor))
	p.printf("       data %s\n", r.Data)
}

// stamp formats a recorded time in UTC, to the nanosecond the store keeps.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// state describes an order state in a few words.
func state(s orders.OrderState) string {
	switch s := s.(type) {
	case orders.Draft:
		return "Draft"
	case orders.Submitted:
		return fmt.Sprintf("Submitted (%s)", itemsOf(s.Items))
	case orders.Validated:
		return fmt.Sprintf("Validated (payment %s)", s.PaymentID)
	case orders.Fulfilled:
		return fmt.Sprintf("Fulfilled (tracking %s)", s.Tracking)
	case orders.Cancelled:
		return fmt.Sprintf("Cancelled (%s)", s.Reason)
	default:
		return fmt.Sprintf("%T", s)
	}
}

// command describes a command in a few words.
func command(c orders.OrderCommand) string {
	switch c := c.(type) {
	case orders.Submit:
		return fmt.Sprintf("Submit %s", itemsOf(c.Items))
	case orders.ValidatePayment:
		return fmt.Sprintf("ValidatePayment %q", c.PaymentID)
	case orders.Fulfill:
		return fmt.Sprintf("Fulfill %q", c.Tracking)
	case orders.Cancel:
		return fmt.Sprintf("Cancel %q", c.Reason)
	default:
		return fmt.Sprintf("%T", c)
	}
}

func itemsOf(items []orders.LineItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = fmt.Sprintf("%d×%s", it.Qty, it.SKU)
	}
	return strings.Join(parts, ", ")
}
