package lsp

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// spot is a location as a test writes it: file:line:column, 1-based,
// column in UTF-16 units, and the length of the range.
func spot(loc protocol.Location) string {
	name := string(loc.URI)
	if path, ok := uriPath(loc.URI); ok {
		name = filepath.Base(path)
	}
	return fmt.Sprintf("%s:%d:%d+%d", name, loc.Range.Start.Line+1, loc.Range.Start.Character+1,
		loc.Range.End.Character-loc.Range.Start.Character)
}

// spots formats locations.
func spots(locs []protocol.Location) string {
	s := make([]string, len(locs))
	for i, l := range locs {
		s[i] = spot(l)
	}
	return strings.Join(s, " ")
}

// TestDefinition goes to the declarations of states, commands, events,
// types, aggregates and process states, within a file and from a process
// to the aggregate of another file.
func TestDefinition(t *testing.T) {
	dir := examples(t)
	c := startServer(t)
	c.initialize()
	orders, _ := c.openFile(dir, "orders.esm")
	fulfilment, _ := c.openFile(dir, "fulfilment.esm")
	cases := []struct {
		d    doc
		line int
		word string
		n    int
		want string
	}{
		{orders, 61, "Submitted", 1, "orders.esm:21:11+9"},                           // state, from a branch
		{orders, 21, "Submitted", 1, "orders.esm:21:11+9"},                           // a declaration is its own
		{orders, 61, "Submit", 1, "orders.esm:33:13+6"},                              // command, from on
		{orders, 63, "PaymentValidated", 1, "orders.esm:53:11+16"},                   // event
		{orders, 61, "OrderSubmitted", 1, "orders.esm:42:11+14 orders.esm:47:11+14"}, // every version
		{orders, 22, "LineItem", 1, "orders.esm:7:6+8"},                              // type, from a field
		{orders, 69, "Draft", 1, "orders.esm:19:11+5"},                               // state, from evolve
		{fulfilment, 28, "Order", 1, "orders.esm:14:11+5"},                           // aggregate, from a process
		{fulfilment, 28, "OrderSubmitted", 1, "orders.esm:42:11+14 orders.esm:47:11+14"},
		{fulfilment, 48, "ValidatePayment", 1, "orders.esm:35:13+15"}, // command, on rejected
		{fulfilment, 30, "Cancel", 1, "orders.esm:39:13+6"},           // command, sends
		{fulfilment, 30, "RequestPayment", 1, "payments.esm:"},        // another file still
		{fulfilment, 28, "Paying", 1, "fulfilment.esm:15:11+6"},       // process state
		{fulfilment, 56, "Paying", 1, "fulfilment.esm:15:11+6"},       // from a timer
	}
	for _, tc := range cases {
		var locs []protocol.Location
		c.mustCall("textDocument/definition", protocol.DefinitionParams{TextDocumentPositionParams: tc.d.tdp(tc.d.at(t, tc.line, tc.word, tc.n, 1))}, &locs)
		got := spots(locs)
		if got != tc.want && !(strings.HasSuffix(tc.want, ":") && strings.HasPrefix(got, tc.want) && len(locs) == 1) {
			t.Errorf("definition of %s at %s:%d: %s, want %s", tc.word, filepath.Base(tc.d.path), tc.line, got, tc.want)
		}
	}
	// No definition on a keyword or a builtin type.
	for _, p := range []protocol.Position{orders.at(t, 61, "emits", 1, 1), orders.at(t, 9, "int", 1, 1)} {
		var locs []protocol.Location
		c.mustCall("textDocument/definition", protocol.DefinitionParams{TextDocumentPositionParams: orders.tdp(p)}, &locs)
		if locs != nil {
			t.Errorf("definition at %v: %s, want none", p, spots(locs))
		}
	}
}

// TestReferences finds the uses of names in the package.
func TestReferences(t *testing.T) {
	dir := examples(t)
	c := startServer(t)
	c.initialize()
	orders, _ := c.openFile(dir, "orders.esm")
	fulfilment, _ := c.openFile(dir, "fulfilment.esm")
	refs := func(d doc, line int, word string, decl bool) string {
		t.Helper()
		var locs []protocol.Location
		c.mustCall("textDocument/references", protocol.ReferenceParams{
			TextDocumentPositionParams: d.tdp(d.at(t, line, word, 1, 0)),
			Context:                    protocol.ReferenceContext{IncludeDeclaration: decl},
		}, &locs)
		return spots(locs)
	}
	cases := []struct {
		got, want string
	}{
		{refs(orders, 21, "Submitted", true), "orders.esm:21:11+9 orders.esm:61:25+9 orders.esm:63:25+9 orders.esm:64:25+9 orders.esm:66:23+9"},
		{refs(orders, 21, "Submitted", false), "orders.esm:61:25+9 orders.esm:63:25+9 orders.esm:64:25+9 orders.esm:66:23+9"},
		{refs(orders, 42, "OrderSubmitted", true), "orders.esm:42:11+14 orders.esm:47:11+14 orders.esm:61:41+14 orders.esm:69:21+14 fulfilment.esm:28:14+14"},
		{refs(fulfilment, 28, "OrderSubmitted", false), "fulfilment.esm:28:14+14 orders.esm:61:41+14 orders.esm:69:21+14"},
		{refs(orders, 7, "LineItem", false), "orders.esm:22:24+8 orders.esm:33:30+8 orders.esm:43:24+8 orders.esm:48:24+8"},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("references:\n%s\nwant\n%s", tc.got, tc.want)
		}
	}
	// The aggregate Order: its declaration and every process that names it.
	got := strings.Fields(refs(orders, 14, "Order", true))
	if got[0] != "orders.esm:14:11+5" || len(got) != 1+countWord(fulfilment.text, "Order.")+1 {
		t.Errorf("references of Order: %v", got)
	}
	if !slices.Contains(got, "fulfilment.esm:8:15+5") {
		t.Errorf("references of Order miss its correlation: %v", got)
	}
}

// countWord counts the occurrences of s in text.
func countWord(text, s string) int { return strings.Count(text, s) }

// TestAggregateElsewhere checks a process whose aggregate is in no file
// of its package: the checker reports it, and the server answers what it
// can without failing.
func TestAggregateElsewhere(t *testing.T) {
	c := startServer(t)
	c.initialize()
	d := doc{uri: "untitled:flow", text: "package p\n\nprocess Flow {\n    correlate Order by id\n    state Idle initial\n    state Done final\n    on Order.OrderSubmitted: Idle -> Done\n}\n"}
	ds := c.open(d.uri, d.text)
	if got := lspLines(t, d.text, ds); !strings.Contains(got, "4:15: error[E007]: undeclared aggregate Order") {
		t.Errorf("diagnostics:\n%s", got)
	}
	ev := d.at(t, 7, "OrderSubmitted", 1, 1)
	if h, _ := c.hover(d, ev); h != "" {
		t.Errorf("hover of an event of an unknown aggregate: %q", h)
	}
	var locs []protocol.Location
	c.mustCall("textDocument/definition", protocol.DefinitionParams{TextDocumentPositionParams: d.tdp(ev)}, &locs)
	if locs != nil {
		t.Errorf("definition: %v", locs)
	}
	c.mustCall("textDocument/references", protocol.ReferenceParams{TextDocumentPositionParams: d.tdp(ev)}, &locs)
	if got := spots(locs); got != "untitled:flow:7:14+14" {
		t.Errorf("references: %s", got)
	}
	_, err := c.renameAt(d, ev, "OrderPlaced")
	if e := rpcError(t, err); e.Message != "cannot rename: event Order.OrderSubmitted is not declared in this package" {
		t.Errorf("rename: %q", e.Message)
	}
	// The process's own names still work.
	if h, _ := c.hover(d, d.at(t, 7, "Done", 1, 0)); !strings.Contains(h, "**Entered by**\n- `on Order.OrderSubmitted: Idle -> Done` (line 7)\n") {
		t.Errorf("hover of a process state:\n%s", h)
	}
}

// sameFile has an aggregate with a timer and a process reacting to it in
// one file.
const sameFile = `package shop

aggregate Cart {
    state Open initial
    state Closed final
    command Close { reason string }
    event CartClosed { reason string }
    on Close: Open -> Closed emits CartClosed
    // An idle cart closes.
    after 1h in Open: Close { reason = "idle" }
}

process Checkout {
    correlate Cart by id
    state Waiting initial
    state Done final
    on Cart.CartClosed: Waiting -> Done
    on rejected Cart.Close: Waiting -> Done
    after 2h in Waiting: Waiting -> Done sends Cart.Close // esgen:ignore W016,W013 the test names it
}
`

// TestSameFileProcessAndTimer follows qualified names to an aggregate of
// the same file, and the names of an aggregate's timer.
func TestSameFileProcessAndTimer(t *testing.T) {
	c := startServer(t)
	c.initialize()
	d := doc{uri: "untitled:shop", text: sameFile}
	if ds := c.open(d.uri, d.text); len(ds) != 0 {
		t.Fatalf("diagnostics: %s", lspLines(t, d.text, ds))
	}
	def := func(line int, word string, n int) string {
		var locs []protocol.Location
		c.mustCall("textDocument/definition", protocol.DefinitionParams{TextDocumentPositionParams: d.tdp(d.at(t, line, word, n, 1))}, &locs)
		return spots(locs)
	}
	for _, tc := range []struct{ got, want string }{
		{def(17, "CartClosed", 1), "untitled:shop:7:11+10"},
		{def(17, "Cart", 1), "untitled:shop:3:11+4"},
		{def(18, "Close", 1), "untitled:shop:6:13+5"},
		{def(19, "Close", 1), "untitled:shop:6:13+5"},
		{def(10, "Close", 1), "untitled:shop:6:13+5"}, // the timer's command
		{def(10, "Open", 1), "untitled:shop:4:11+4"},  // the timer's state
		{def(19, "Waiting", 2), "untitled:shop:15:11+7"},
	} {
		if tc.got != tc.want {
			t.Errorf("definition: %s, want %s", tc.got, tc.want)
		}
	}
	h, _ := c.hover(d, d.at(t, 4, "Open", 1, 0))
	if !strings.Contains(h, "\n**Timers**\n- `after 1h in Open: Close` (line 10)\n") {
		t.Errorf("hover of Open:\n%s", h)
	}
	h, _ = c.hover(d, d.at(t, 6, "Close", 1, 0))
	for _, want := range []string{
		"\n**Sent by timers**\n- `after 1h in Open: Close` (line 10)\n",
		"\n**Sent by processes**\n- `after 2h in Waiting: Waiting -> Done sends Cart.Close` (line 19) in process Checkout\n",
		"\n**Refusals handled by**\n- `on rejected Cart.Close` (line 18) in process Checkout\n",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("hover of Close lacks %q:\n%s", want, h)
		}
	}
	edit, err := c.renameAt(d, d.at(t, 6, "Close", 1, 0), "Shut")
	if err != nil {
		t.Fatal(err)
	}
	got := applyEdits(t, d.text, edit.Changes[protocol.DocumentUri(d.uri)])
	want := strings.NewReplacer("command Close", "command Shut", "on Close:", "on Shut:", "Open: Close {", "Open: Shut {",
		"Cart.Close:", "Cart.Shut:", "sends Cart.Close", "sends Cart.Shut").Replace(d.text)
	if got != want {
		t.Errorf("renamed:\n%s\nwant\n%s", got, want)
	}
}
