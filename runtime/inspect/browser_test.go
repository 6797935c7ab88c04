package inspect_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/inspect"
)

var screenshots = flag.Bool("screenshots", false, "write the screenshots of docs/inspect.md (docs/inspect-*.png)")

// noChromium is why a browser test is skipped.
const noChromium = "no Chromium on PATH: install Debian's chromium (bash .ci/run does) to run the browser tests of the inspector"

// findChromium returns the path of a Chromium or Chrome binary, "" when
// there is none.
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// chromium returns the path of a Chromium or Chrome binary, or skips the
// test when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	p := findChromium()
	if p == "" {
		t.Skip(noChromium)
	}
	return p
}

// loadTime loads the page at srv+hash five times and returns the fastest
// time from the request of the page to the end of its drawing, as the
// page measures it: the page, its script and style, its API requests and
// its drawing, without the browser's own start of a new page. The fastest
// load is the one least slowed by the other processes of a shared machine
// (go test runs packages in parallel, and Chromium competes with the
// server for the same cores).
func (b *browser) loadTime(t *testing.T, srv, hash string) time.Duration {
	t.Helper()
	var ms []float64
	for i := range 5 {
		url := fmt.Sprintf("%s/?load=%d%s", srv, i, hash)
		b.do(t, "open "+url, chromedp.Navigate(url))
		b.do(t, "wait for "+url, chromedp.WaitVisible(chromedp.CSS(`body[data-ready]`)))
		if msg := eval[string](t, b, `document.getElementById("error")?.textContent || ""`); msg != "" {
			t.Fatalf("%s: the page says %s", url, msg)
		}
		ms = append(ms, eval[float64](t, b, `parseFloat(document.body.dataset.drawnAt) - performance.getEntriesByType("navigation")[0].requestStart`))
	}
	t.Logf("%s, the last load's timeline (name, start, end in ms): %s", hash, eval[string](t, b, `JSON.stringify([...performance.getEntries()].map(e => [e.name.replace(/^.*\//, ""), Math.round(e.startTime), Math.round(e.responseEnd || e.startTime + e.duration)]))`))
	slices.Sort(ms)
	t.Logf("%s: loads in %.0f ms", hash, ms)
	return time.Duration(ms[0] * float64(time.Millisecond))
}

// browser is a headless Chromium tab that records console errors,
// uncaught exceptions and failed loads.
type browser struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1400, 900),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.WithoutCancel(t.Context()), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	b := &browser{ctx: ctx}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.mu.Lock()
				b.errors = append(b.errors, m.String()+" "+m.URL)
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// do runs actions with a time limit.
func (b *browser) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// text is the text content of the first element sel matches.
func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// shot writes a screenshot of the page to docs/NAME when -screenshots is
// given.
func (b *browser) shot(t *testing.T, name string) {
	t.Helper()
	if !*screenshots {
		return
	}
	b.do(t, "settle", chromedp.Sleep(300*time.Millisecond))
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "docs", name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
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
	b := newBrowser(t)
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
	b.do(t, "open the list", chromedp.Navigate(srv.URL+"/#/t/Order"), chromedp.WaitVisible(chromedp.CSS(`#instances tbody tr`)))
	ids := eval[[]string](t, b, `[...document.querySelectorAll("#instances tbody tr")].map(r => r.dataset.id)`)
	if want := "order-9 order-8 order-7 order-6 order-5 order-4 order-3 order-2 order-1"; strings.Join(ids, " ") != want {
		t.Errorf("instances listed %q, want %q", strings.Join(ids, " "), want)
	}
	for state, want := range map[string]string{"Submitted": "Submitted7", "Fulfilled": "Fulfilled1", "Cancelled": "Cancelled1", "Draft": "Draft0"} {
		if got := b.text(t, `#counts [data-state="`+state+`"]`); got != want {
			t.Errorf("count chip of %s = %q, want %q", state, got, want)
		}
	}
	b.shot(t, "inspect-list.png")

	// Searching narrows the list.
	b.do(t, "search", chromedp.SendKeys(chromedp.CSS(`input[type=search]`), "order-2"),
		chromedp.WaitNotPresent(chromedp.CSS(`#instances tr[data-id="order-1"]`)))
	if got := b.text(t, "#matched"); got != "1 match" {
		t.Errorf("after searching order-2: %q, want \"1 match\"", got)
	}

	// One order: the newest version shows Fulfilled; two steps back show
	// Submitted, highlighted on the diagram.
	b.do(t, "open order-1", chromedp.Navigate(srv.URL+"/#/i/Order/order-1"), chromedp.WaitVisible(chromedp.CSS(`#diagram svg .esgen-current`)))
	if got := b.text(t, "#current"); got != "Fulfilled" {
		t.Errorf("current state %q, want Fulfilled", got)
	}
	if got := b.text(t, "#diagram svg .esgen-current > title"); got != "Fulfilled" {
		t.Errorf("highlighted state %q, want Fulfilled", got)
	}
	taken := eval[[]string](t, b, `[...new Set([...document.querySelectorAll("#diagram svg .esgen-taken")].map(e => e.dataset.esgenEdge))]`)
	if want := "[*]->Draft Draft->Submitted Submitted->Validated Validated->Fulfilled"; strings.Join(taken, " ") != want {
		t.Errorf("path drawn %q, want %q", strings.Join(taken, " "), want)
	}
	if got := b.text(t, "#payload"); !strings.Contains(got, `"tracking": "1Z999AA10123456784"`) {
		t.Errorf("payload of v3:\n%s\nwant the tracking number", got)
	}
	b.shot(t, "inspect-instance.png")
	b.do(t, "step back twice",
		chromedp.Click(chromedp.CSS(`[data-step="back"]`)),
		chromedp.Click(chromedp.CSS(`[data-step="back"]`)))
	if got := b.text(t, "#diagram svg .esgen-current > title"); got != "Submitted" {
		t.Errorf("highlighted state two versions back %q, want Submitted", got)
	}
	if got := b.text(t, "#version"); got != "version 1 of 3" {
		t.Errorf("slider says %q, want version 1 of 3", got)
	}
	highlighted := eval[int](t, b, `document.querySelectorAll("#diagram svg .esgen-current").length`)
	if highlighted != 1 {
		t.Errorf("%d states highlighted, want 1", highlighted)
	}
	if got := b.text(t, "#state-data"); !strings.Contains(got, `"tea-earl-grey"`) {
		t.Errorf("state data at v1:\n%s\nwant the items", got)
	}
	if got := b.text(t, "#metadata"); !strings.Contains(got, "customer:alice") || !strings.Contains(got, "submit-order-1-1") {
		t.Errorf("metadata at v1:\n%s\nwant the actor and the event id", got)
	}
	b.shot(t, "inspect-travel.png")

	// The arrow keys travel too.
	b.do(t, "press the left arrow", chromedp.KeyEvent(kb.ArrowLeft))
	if got := b.text(t, "#version"); got != "version 0 of 3" {
		t.Errorf("after the left arrow the slider says %q, want version 0 of 3", got)
	}
	if got := b.text(t, "#diagram svg .esgen-current > title"); got != "Draft" {
		t.Errorf("highlighted state at version 0 %q, want Draft", got)
	}
	b.do(t, "press the right arrow", chromedp.KeyEvent(kb.ArrowRight))

	// The causation link of v2 leads to the event that caused it.
	b.do(t, "step forward", chromedp.Click(chromedp.CSS(`[data-step="forward"]`)), chromedp.WaitVisible(chromedp.CSS(`#cause`)))
	if got := b.text(t, "#cause"); got != "Order order-1 v1 OrderSubmitted" {
		t.Errorf("cause of v2 %q, want Order order-1 v1 OrderSubmitted", got)
	}
	b.do(t, "open the trail", chromedp.Click(chromedp.CSS(`#trail`)), chromedp.WaitVisible(chromedp.CSS(`#trail-records`)))
	trail := eval[[]string](t, b, `[...document.querySelectorAll("#trail-records tbody tr")].map(r => r.dataset.event)`)
	if want := "submit-order-1-1 pay-order-1-1 ship-order-1-1"; strings.Join(trail, " ") != want {
		t.Errorf("trail %q, want %q", strings.Join(trail, " "), want)
	}
	b.shot(t, "inspect-trail.png")

	// Live: an event stored while order-3's page is open appears within a
	// second, and the page moves to it.
	b.do(t, "open order-3", chromedp.Navigate(srv.URL+"/#/i/Order/order-3"),
		chromedp.WaitVisible(chromedp.CSS(`#history tr[data-version="1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#live.on`)))
	start := time.Now()
	handle("order-3", orders.ValidatePayment{PaymentID: "pay-7"}, es.WithActor("service:payments"))
	lctx, cancel := context.WithTimeout(b.ctx, time.Second)
	err := chromedp.Do(lctx, chromedp.WaitVisible(chromedp.CSS(`#history tr[data-version="2"]`)))
	cancel()
	if err != nil {
		t.Fatalf("the new event did not appear within 1 s: %v", err)
	}
	t.Logf("a new event appeared after %v", time.Since(start).Round(time.Millisecond))
	if got := b.text(t, "#diagram svg .esgen-current > title"); got != "Validated" {
		t.Errorf("after the live event the highlighted state is %q, want Validated", got)
	}

	// The list follows too.
	b.do(t, "open the list", chromedp.Navigate(srv.URL+"/#/t/Order"), chromedp.WaitVisible(chromedp.CSS(`#instances tbody tr`)))
	handle("order-4", orders.Cancel{Reason: "too slow"})
	lctx, cancel = context.WithTimeout(b.ctx, time.Second)
	_, err = chromedp.Run(lctx, chromedp.Poll[bool](`document.querySelector('#counts [data-state="Cancelled"] .n')?.textContent === "2" && document.querySelector('#instances tbody tr')?.dataset.id === "order-4"`))
	cancel()
	if err != nil {
		t.Errorf("the list did not show order-4 on top, cancelled, within 1 s: %v", err)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
