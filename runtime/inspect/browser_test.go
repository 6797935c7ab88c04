package inspect_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/internal/browsertest"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/inspect"
)

var screenshots = flag.Bool("screenshots", false, "write the screenshots of docs/inspect.md (docs/inspect-*.png)")

// shot writes a screenshot of the page to docs/NAME when -screenshots is
// given.
func shot(t *testing.T, b *browsertest.Browser, name string) {
	t.Helper()
	if *screenshots {
		b.Screenshot(t, filepath.Join("..", "..", "docs", name))
	}
}

// teaAndMug is the order of the tests.
var teaAndMug = []orders.LineItem{{SKU: "tea-earl-grey", Qty: 2, PriceCents: 450}, {SKU: "mug-blue", Qty: 1, PriceCents: 1200}}

// orderType is the Order aggregate as the orders example would mount it.
func orderType(t testing.TB) inspect.Type {
	t.Helper()
	svg, err := os.ReadFile(filepath.Join("..", "..", "examples", "orders", "order.svg"))
	if err != nil {
		t.Fatal(err)
	}
	return inspect.Definition(orders.NewOrderDefinition(orders.Decider{}), orders.OrderMachine(), svg)
}

// TestBrowser drives the inspector of the orders example in headless
// Chromium as a person would: the instance list with its counts, one
// order's history on its diagram, two steps back in time, the causation
// link, the correlation trail, and an event stored while the page is open.
// No console error may appear. With -screenshots it writes the pictures of
// docs/inspect.md.
func TestBrowser(t *testing.T) {
	b := browsertest.New(t)
	js := startJetStream(t)
	store := newStore(t, js)
	repo := orders.NewOrderRepository(store, orders.Decider{})
	ctx := t.Context()
	handle := func(id string, c orders.OrderCommand, opts ...es.HandleOption) es.Result[orders.OrderState, orders.OrderEvent] {
		t.Helper()
		res, err := repo.Handle(ctx, id, c, opts...)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		return res
	}
	// order-1 goes all the way, each command caused by the event before.
	res := handle("order-1", orders.Submit{Items: teaAndMug}, es.WithCommandID("submit-order-1"), es.WithCorrelationID("checkout-1"), es.WithActor("customer:alice"))
	res = handle("order-1", orders.ValidatePayment{PaymentID: "pay-5521"}, es.WithCommandID("pay-order-1"), es.CausedBy(res.Records()[0].Metadata), es.WithActor("service:payments"))
	handle("order-1", orders.Fulfill{Tracking: "1Z999AA10123456784"}, es.WithCommandID("ship-order-1"), es.CausedBy(res.Records()[0].Metadata), es.WithActor("service:warehouse"))
	handle("order-2", orders.Submit{Items: teaAndMug[:1]}, es.WithActor("customer:bob"))
	handle("order-2", orders.Cancel{Reason: "changed my mind"}, es.WithActor("customer:bob"))
	handle("order-3", orders.Submit{Items: teaAndMug[1:]}, es.WithActor("customer:carol"))
	for i := 4; i <= 9; i++ {
		handle(fmt.Sprintf("order-%d", i), orders.Submit{Items: teaAndMug}, es.WithActor("customer:dave"))
	}
	_, srv := serve(t, js, orderType(t))

	// The list: every order, the newest first, and the counts per state.
	b.Do(t, "open the list", chromedp.Navigate(srv.URL+"/#/t/Order"), chromedp.WaitVisible(chromedp.CSS(`#instances tbody tr`)))
	ids := browsertest.Eval[[]string](t, b, `[...document.querySelectorAll("#instances tbody tr")].map(r => r.dataset.id)`)
	if want := "order-9 order-8 order-7 order-6 order-5 order-4 order-3 order-2 order-1"; strings.Join(ids, " ") != want {
		t.Errorf("instances listed %q, want %q", strings.Join(ids, " "), want)
	}
	for state, want := range map[string]string{"Submitted": "Submitted7", "Fulfilled": "Fulfilled1", "Cancelled": "Cancelled1", "Draft": "Draft0"} {
		if got := b.Text(t, `#counts [data-state="`+state+`"]`); got != want {
			t.Errorf("count chip of %s = %q, want %q", state, got, want)
		}
	}
	shot(t, b, "inspect-list.png")

	// Searching narrows the list.
	b.Do(t, "search", chromedp.SendKeys(chromedp.CSS(`input[type=search]`), "order-2"),
		chromedp.WaitNotPresent(chromedp.CSS(`#instances tr[data-id="order-1"]`)))
	if got := b.Text(t, "#matched"); got != "1 match" {
		t.Errorf("after searching order-2: %q, want \"1 match\"", got)
	}

	// One order: the newest version shows Fulfilled; two steps back show
	// Submitted, highlighted on the diagram.
	b.Do(t, "open order-1", chromedp.Navigate(srv.URL+"/#/i/Order/order-1"), chromedp.WaitVisible(chromedp.CSS(`#diagram svg .esgen-current`)))
	if got := b.Text(t, "#current"); got != "Fulfilled" {
		t.Errorf("current state %q, want Fulfilled", got)
	}
	if got := b.Text(t, "#diagram svg .esgen-current > title"); got != "Fulfilled" {
		t.Errorf("highlighted state %q, want Fulfilled", got)
	}
	taken := browsertest.Eval[[]string](t, b, `[...new Set([...document.querySelectorAll("#diagram svg .esgen-taken")].map(e => e.dataset.esgenEdge))]`)
	if want := "[*]->Draft Draft->Submitted Submitted->Validated Validated->Fulfilled"; strings.Join(taken, " ") != want {
		t.Errorf("path drawn %q, want %q", strings.Join(taken, " "), want)
	}
	if got := b.Text(t, "#payload"); !strings.Contains(got, `"tracking": "1Z999AA10123456784"`) {
		t.Errorf("payload of v3:\n%s\nwant the tracking number", got)
	}
	shot(t, b, "inspect-instance.png")
	b.Do(t, "step back twice",
		chromedp.Click(chromedp.CSS(`[data-step="back"]`)),
		chromedp.Click(chromedp.CSS(`[data-step="back"]`)))
	if got := b.Text(t, "#diagram svg .esgen-current > title"); got != "Submitted" {
		t.Errorf("highlighted state two versions back %q, want Submitted", got)
	}
	if got := b.Text(t, "#version"); got != "version 1 of 3" {
		t.Errorf("slider says %q, want version 1 of 3", got)
	}
	highlighted := browsertest.Eval[int](t, b, `document.querySelectorAll("#diagram svg .esgen-current").length`)
	if highlighted != 1 {
		t.Errorf("%d states highlighted, want 1", highlighted)
	}
	if got := b.Text(t, "#state-data"); !strings.Contains(got, `"tea-earl-grey"`) {
		t.Errorf("state data at v1:\n%s\nwant the items", got)
	}
	if got := b.Text(t, "#metadata"); !strings.Contains(got, "customer:alice") || !strings.Contains(got, "submit-order-1-1") {
		t.Errorf("metadata at v1:\n%s\nwant the actor and the event id", got)
	}
	shot(t, b, "inspect-travel.png")

	// The arrow keys travel too.
	b.Do(t, "press the left arrow", chromedp.KeyEvent(kb.ArrowLeft))
	if got := b.Text(t, "#version"); got != "version 0 of 3" {
		t.Errorf("after the left arrow the slider says %q, want version 0 of 3", got)
	}
	if got := b.Text(t, "#diagram svg .esgen-current > title"); got != "Draft" {
		t.Errorf("highlighted state at version 0 %q, want Draft", got)
	}
	b.Do(t, "press the right arrow", chromedp.KeyEvent(kb.ArrowRight))

	// The causation link of v2 leads to the event that caused it.
	b.Do(t, "step forward", chromedp.Click(chromedp.CSS(`[data-step="forward"]`)), chromedp.WaitVisible(chromedp.CSS(`#cause`)))
	if got := b.Text(t, "#cause"); got != "Order order-1 v1 OrderSubmitted" {
		t.Errorf("cause of v2 %q, want Order order-1 v1 OrderSubmitted", got)
	}
	b.Do(t, "open the trail", chromedp.Click(chromedp.CSS(`#trail`)), chromedp.WaitVisible(chromedp.CSS(`#trail-records`)))
	trail := browsertest.Eval[[]string](t, b, `[...document.querySelectorAll("#trail-records tbody tr")].map(r => r.dataset.event)`)
	if want := "submit-order-1-1 pay-order-1-1 ship-order-1-1"; strings.Join(trail, " ") != want {
		t.Errorf("trail %q, want %q", strings.Join(trail, " "), want)
	}

	// Live: an event stored while order-3's page is open appears within a
	// second, and the page moves to it.
	b.Do(t, "open order-3", chromedp.Navigate(srv.URL+"/#/i/Order/order-3"),
		chromedp.WaitVisible(chromedp.CSS(`#history tr[data-version="1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#live.on`)))
	start := time.Now()
	handle("order-3", orders.ValidatePayment{PaymentID: "pay-7"}, es.WithActor("service:payments"))
	lctx, cancel := context.WithTimeout(b.Ctx, time.Second)
	err := chromedp.Do(lctx, chromedp.WaitVisible(chromedp.CSS(`#history tr[data-version="2"]`)))
	cancel()
	if err != nil {
		t.Fatalf("the new event did not appear within 1 s: %v", err)
	}
	t.Logf("a new event appeared after %v", time.Since(start).Round(time.Millisecond))
	if got := b.Text(t, "#diagram svg .esgen-current > title"); got != "Validated" {
		t.Errorf("after the live event the highlighted state is %q, want Validated", got)
	}

	// The list follows too.
	b.Do(t, "open the list", chromedp.Navigate(srv.URL+"/#/t/Order"), chromedp.WaitVisible(chromedp.CSS(`#instances tbody tr`)))
	handle("order-4", orders.Cancel{Reason: "too slow"})
	lctx, cancel = context.WithTimeout(b.Ctx, time.Second)
	_, err = chromedp.Run(lctx, chromedp.Poll[bool](`document.querySelector('#counts [data-state="Cancelled"] .n')?.textContent === "2" && document.querySelector('#instances tbody tr')?.dataset.id === "order-4"`))
	cancel()
	if err != nil {
		t.Errorf("the list did not show order-4 on top, cancelled, within 1 s: %v", err)
	}
	if errs := b.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
