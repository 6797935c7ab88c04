package lsp

import (
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// TestHover checks the hovers of examples/orders.esm and of the process
// of its package that names its events.
func TestHover(t *testing.T) {
	dir := examples(t)
	c := startServer(t)
	c.initialize()
	orders, _ := c.openFile(dir, "orders.esm")
	fulfilment, _ := c.openFile(dir, "fulfilment.esm")

	cases := []struct {
		name string
		d    doc
		line int
		word string
		n    int
		want string
	}{
		{"state", orders, 63, "Submitted", 1, "```esm\nstate Submitted\n```\n" +
			"\n_state of aggregate Order_\n" +
			"\nSubmitted waits for payment.\n" +
			"\n**Fields**\n- `items []LineItem`\n- `submitted_at time.Time`\n" +
			"\n**Entered by**\n- `on Submit: Draft -> Submitted emits OrderSubmitted` (line 61)\n" +
			"\n**Left by**\n" +
			"- `on ValidatePayment: Submitted -> Validated emits PaymentValidated` (line 63)\n" +
			"- `on ValidatePayment: Submitted -> Cancelled emits PaymentRejected` (line 64)\n" +
			"- `on Cancel: Draft, Submitted, Validated -> Cancelled emits OrderCancelled` (line 66)\n"},
		{"initial state", orders, 19, "Draft", 1, "```esm\nstate Draft initial\n```\n" +
			"\n_state of aggregate Order_\n" +
			"\nDraft is an order being put together.\n" +
			"\nA new Order starts here.\n" +
			"\n**Left by**\n" +
			"- `on Submit: Draft -> Submitted emits OrderSubmitted` (line 61)\n" +
			"- `on Cancel: Draft, Submitted, Validated -> Cancelled emits OrderCancelled` (line 66)\n"},
		{"event from a process in another file", fulfilment, 28, "OrderSubmitted", 1, "```esm\nevent OrderSubmitted\n```\n" +
			"\n_event of aggregate Order_\n" +
			"\nOrderSubmitted records the submitted items.\n" +
			"\n**Version 1**\n- `items []LineItem`\n- `submitted_at time.Time`\n" +
			"\nv2 records the sales channel.\n" +
			"\n**Version 2, the one written**\n- `items []LineItem`\n- `submitted_at time.Time`\n- `channel string = \"web\"` — Sales channel.\n" +
			"\n**Emitted by**\n- `on Submit: Draft -> Submitted emits OrderSubmitted` (orders.esm:61)\n" +
			"\n**Evolve declarations**\n- `evolve Draft on OrderSubmitted: drop channel` (orders.esm:69)\n" +
			"\n**Processes reacting**\n- `on Order.OrderSubmitted: Idle -> Paying sends Payment.RequestPayment` (line 28) in process Fulfilment\n"},
		{"command", orders, 66, "Cancel", 1, "```esm\ncommand Cancel\n```\n" +
			"\n_command of aggregate Order_\n" +
			"\nCancel stops the order.\n" +
			"\n**Fields**\n- `reason string`\n" +
			"\n**Transitions**\n- `on Cancel: Draft, Submitted, Validated -> Cancelled emits OrderCancelled` (line 66)\n" +
			"\n**Sent by processes**\n" +
			"- `on rejected Payment.RequestPayment: Paying -> Abandoned sends Order.Cancel` (fulfilment.esm:30) in process Fulfilment\n" +
			"- `on Payment.PaymentCaptured: Voiding -> Abandoned sends Payment.RefundPayment, Order.Cancel` (fulfilment.esm:35) in process Fulfilment\n" +
			"- `on Payment.PaymentDeclined: Paying, Voiding -> Abandoned sends Order.Cancel` (fulfilment.esm:37) in process Fulfilment\n" +
			"- `on Payment.PaymentVoided: Voiding -> Abandoned sends Order.Cancel` (fulfilment.esm:39) in process Fulfilment\n" +
			"- `on rejected Shipment.RequestShipment: Shipping -> Abandoned sends Payment.RefundPayment, Order.Cancel` (fulfilment.esm:51) in process Fulfilment\n"},
		{"command refused", fulfilment, 48, "ValidatePayment", 1, "```esm\ncommand ValidatePayment\n```\n" +
			"\n_command of aggregate Order_\n" +
			"\nValidatePayment records the payment provider's answer.\n" +
			"\n**Fields**\n- `payment_id string`\n" +
			"\n**Transitions**\n" +
			"- `on ValidatePayment: Submitted -> Validated emits PaymentValidated` (orders.esm:63)\n" +
			"- `on ValidatePayment: Submitted -> Cancelled emits PaymentRejected` (orders.esm:64)\n" +
			"\n**Sent by processes**\n" +
			"- `on Payment.PaymentCaptured: Paying -> Validating sends Order.ValidatePayment` (line 34) in process Fulfilment\n" +
			"\n**Refusals handled by**\n" +
			"- `on rejected Order.ValidatePayment` (line 48) in process Fulfilment\n"},
		{"type in a field", orders, 22, "LineItem", 1, "```esm\ntype LineItem\n```\n" +
			"\nLineItem is one product line of an order.\n" +
			"\n**Fields**\n- `sku string`\n- `qty int`\n- `price_cents int64` — Unit price in cents.\n"},
		{"field", orders, 10, "price_cents", 1, "```esm\nprice_cents int64\n```\n" +
			"\n_field of type LineItem_\n" +
			"\nUnit price in cents.\n"},
		{"process state", fulfilment, 28, "Paying", 1, "```esm\nstate Paying\n```\n" +
			"\n_state of process Fulfilment_\n" +
			"\nPaying waits for the payment provider's answer.\n" +
			"\n**Entered by**\n- `on Order.OrderSubmitted: Idle -> Paying sends Payment.RequestPayment` (line 28)\n" +
			"\n**Left by**\n" +
			"- `on rejected Payment.RequestPayment: Paying -> Abandoned sends Order.Cancel` (line 30)\n" +
			"- `on Payment.PaymentCaptured: Paying -> Validating sends Order.ValidatePayment` (line 34)\n" +
			"- `on Payment.PaymentDeclined: Paying, Voiding -> Abandoned sends Order.Cancel` (line 37)\n" +
			"- `after 30m in Paying as PaymentOverdue: Paying -> Voiding sends Payment.VoidPayment` (line 56)\n"},
		{"aggregate in a correlation", fulfilment, 8, "Order", 1, "```esm\naggregate Order\n```\n" +
			"\nOrder is a customer's order, from draft to fulfilment.\n" +
			"\n**States**\n- `Draft` initial\n- `Submitted`\n- `Validated`\n- `Fulfilled` final\n- `Cancelled` final\n" +
			"\n**Commands**\n- `Submit`\n- `ValidatePayment`\n- `Fulfill`\n- `Cancel`\n" +
			"\n**Events**\n- `OrderSubmitted`\n- `PaymentValidated`\n- `PaymentRejected`\n- `OrderFulfilled`\n- `OrderCancelled`\n" +
			"\n_declared at orders.esm:14_\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := tc.d.at(t, tc.line, tc.word, tc.n, 0)
			for _, shift := range []int{0, len(tc.word) / 2, len(tc.word)} { // start, middle, just after
				p := start
				p.Character += protocol.UInteger(shift)
				got, rng := c.hover(tc.d, p)
				if got != tc.want {
					t.Errorf("hover at %v:\n%s\nwant\n%s", p, got, tc.want)
				}
				wantRange := protocol.Range{Start: start, End: protocol.Position{Line: start.Line, Character: start.Character + protocol.UInteger(len(tc.word))}}
				if rng == nil || *rng != wantRange {
					t.Errorf("hover range %v, want %v", rng, wantRange)
				}
			}
		})
	}

	// Nothing to say on a keyword, a comment or a blank.
	for _, p := range []protocol.Position{orders.at(t, 61, "on", 1, 1), orders.at(t, 20, "waits", 1, 1), {Line: 2, Character: 0}} {
		if got, _ := c.hover(orders, p); got != "" {
			t.Errorf("hover at %v: %q, want none", p, got)
		}
	}
}

// TestHoverEventual checks the hover of an eventual aggregate and of an
// event no transition emits.
func TestHoverEventual(t *testing.T) {
	c := startServer(t)
	c.initialize()
	d := doc{uri: "untitled:metrics", text: "package m\n\n// Metrics counts.\neventual aggregate Metrics {\n    event Counted { n int }\n}\n"}
	c.open(d.uri, d.text)
	got, _ := c.hover(d, d.at(t, 4, "Metrics", 1, 0))
	want := "```esm\neventual aggregate Metrics\n```\n\nMetrics counts.\n\n**Events**\n- `Counted`\n\n_declared at line 4_\n"
	if got != want {
		t.Errorf("hover:\n%s\nwant\n%s", got, want)
	}
	got, _ = c.hover(d, d.at(t, 5, "Counted", 1, 0))
	if !strings.Contains(got, "No transition emits it.") || !strings.Contains(got, "**Fields**\n- `n int`\n") {
		t.Errorf("hover of an event of an eventual aggregate:\n%s", got)
	}
}
