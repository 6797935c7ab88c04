package lsp

import (
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// complete types text at the start of line (1-based) of d, as a new
// line, and asks for completion at its end. It returns the labels and
// checks that each item replaces the name being typed.
func (c *testClient) complete(t *testing.T, d *doc, version int, line int, typed string) []string {
	t.Helper()
	at := protocol.Position{Line: protocol.UInteger(line - 1)}
	c.change(d.uri, version, &protocol.Range{Start: at, End: at}, typed+"\n")
	d.text = applyEdits(t, d.text, []protocol.TextEdit{{Range: protocol.Range{Start: at, End: at}, NewText: typed + "\n"}})
	defer func() { // undo the line
		line := protocol.Range{Start: at, End: protocol.Position{Line: at.Line + 1}}
		c.change(d.uri, version+1, &line, "")
		d.text = applyEdits(t, d.text, []protocol.TextEdit{{Range: line}})
	}()
	end := protocol.Position{Line: at.Line, Character: protocol.UInteger(len(typed))}
	var list *struct {
		Items []struct {
			Label    string
			TextEdit protocol.TextEdit
		}
	}
	c.mustCall("textDocument/completion", protocol.CompletionParams{TextDocumentPositionParams: d.tdp(end)}, &list)
	if list == nil {
		return nil
	}
	partial := len(typed) - len(strings.TrimRightFunc(typed, func(r rune) bool { return r == '.' || isWordRune(r) }))
	var labels []string
	for _, it := range list.Items {
		labels = append(labels, it.Label)
		want := protocol.Range{Start: protocol.Position{Line: at.Line, Character: end.Character - protocol.UInteger(partial)}, End: end}
		if it.TextEdit.Range != want || it.TextEdit.NewText != it.Label {
			t.Errorf("%q: item %s edits %+v, want %v", typed, it.Label, it.TextEdit, want)
		}
	}
	return labels
}

// TestCompletion completes names in on clauses of the aggregate of
// examples/orders.esm and of the process that reacts to it, while the
// line being typed keeps the file from parsing.
func TestCompletion(t *testing.T) {
	dir := examples(t)
	c := startServer(t)
	c.initialize()
	orders, _ := c.openFile(dir, "orders.esm")
	fulfilment, _ := c.openFile(dir, "fulfilment.esm")
	const (
		commands = "Submit ValidatePayment Fulfill Cancel"
		states   = "Draft Submitted Validated Fulfilled Cancelled"
		events   = "OrderSubmitted PaymentValidated PaymentRejected OrderFulfilled OrderCancelled"
		pstates  = "Idle Paying Voiding Validating Shipping Done Abandoned"
	)
	v := 2
	cases := []struct {
		d     *doc
		line  int
		typed string
		want  string
	}{
		{&orders, 67, "    on ", commands},
		{&orders, 67, "    on Can", commands}, // the client filters
		{&orders, 67, "    on Cancel: ", states},
		{&orders, 67, "    on Cancel: Draft, ", states},
		{&orders, 67, "    on Cancel: Draft -> ", states},
		{&orders, 67, "    on Cancel: Draft -> Cancelled emits ", events},
		{&orders, 67, "    on Cancel: Draft -> Cancelled emits OrderCancelled, Pay", events},
		{&orders, 65, "        | Submitted -> ", states},
		{&orders, 65, "        | Submitted -> Cancelled emits ", events},
		{&orders, 67, "    after 1h in ", states},
		{&orders, 67, "    after 1h in Submitted: ", commands},
		{&orders, 67, "    evolve ", states},
		{&orders, 67, "    evolve Draft on ", events},
		{&orders, 67, "    on Cancel: Draft ", ""}, // after a name: an arrow or a comma comes
		{&orders, 67, "    // on ", ""},            // in a comment
		{&orders, 71, "on ", ""},                   // outside any aggregate
		{&fulfilment, 29, "    on ", "Order.OrderSubmitted Order.PaymentValidated Order.PaymentRejected Order.OrderFulfilled Order.OrderCancelled"},
		{&fulfilment, 29, "    on rejected ", "Order.Submit Order.ValidatePayment Order.Fulfill Order.Cancel"},
		{&fulfilment, 29, "    on rejected Order.Va", "Order.Submit Order.ValidatePayment Order.Fulfill Order.Cancel"},
		{&fulfilment, 29, "    on Order.OrderCancelled: ", pstates},
		{&fulfilment, 29, "    on Order.OrderCancelled: Paying -> ", pstates},
		{&fulfilment, 29, "    on Order.OrderCancelled: Paying -> Done sends ", "Order.Submit Order.ValidatePayment Order.Fulfill Order.Cancel"},
		{&fulfilment, 29, "    after 1h in ", pstates},
		{&fulfilment, 29, "    correlate ", "Order Payment Shipment"},
	}
	for _, tc := range cases {
		got := strings.Join(c.complete(t, tc.d, v, tc.line, tc.typed), " ")
		v += 2
		// In a process, every aggregate of the package is offered: check
		// Order's names, and that the others come too.
		if strings.HasPrefix(tc.want, "Order.") {
			var orderOnly []string
			for _, l := range strings.Fields(got) {
				if strings.HasPrefix(l, "Order.") {
					orderOnly = append(orderOnly, l)
				}
			}
			if !strings.Contains(got, "Payment.") {
				t.Errorf("%q: no names of aggregate Payment in %s", tc.typed, got)
			}
			got = strings.Join(orderOnly, " ")
		}
		if tc.typed == "    on " && tc.d == &fulfilment {
			if !strings.Contains(strings.Join(c.complete(t, tc.d, v, tc.line, tc.typed), " "), "rejected") {
				t.Errorf("%q: rejected not offered", tc.typed)
			}
			v += 2
		}
		if got != tc.want {
			t.Errorf("%q:\n%s\nwant\n%s", tc.typed, got, tc.want)
		}
	}
}
