// Package browsertest drives a headless Chromium from Go tests, with
// github.com/chromedp/chromedp: the tests of the inspector's page use it
// to assert what a person sees and to take the screenshots of the docs.
// A test that needs a browser skips, saying how to install one, when
// there is none on PATH.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// NoChromium is why a browser test is skipped.
const NoChromium = "no Chromium on PATH: install Debian's chromium (bash .ci/run does) to run the browser tests of the inspector"

// Find returns the path of a Chromium or Chrome binary, "" when there is
// none.
func Find() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser is a headless Chromium tab that records console errors,
// uncaught exceptions and failed loads.
type Browser struct {
	Ctx    context.Context // the tab's chromedp context
	mu     sync.Mutex
	errors []string
}

// New starts a headless Chromium, 1400×900, for the test, or skips the
// test when there is none. It stops when the test ends.
func New(t *testing.T) *Browser {
	t.Helper()
	path := Find()
	if path == "" {
		t.Skip(NoChromium)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
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
	b := &Browser{Ctx: ctx}
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

// Do runs actions with a time limit of 15 s, failing the test on an error.
func (b *Browser) Do(t testing.TB, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Eval evaluates a JavaScript expression in the page.
func Eval[T any](t testing.TB, b *Browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// Text is the text content of the first element the CSS selector sel
// matches, trimmed.
func (b *Browser) Text(t testing.TB, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// ConsoleErrors returns the console errors, uncaught exceptions and
// failed loads seen so far.
func (b *Browser) ConsoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.errors)
}

// Screenshot writes a PNG of the window to path, after 300 ms for the page
// to settle.
func (b *Browser) Screenshot(t testing.TB, path string) {
	t.Helper()
	b.Do(t, "settle", chromedp.Sleep(300*time.Millisecond))
	ctx, cancel := context.WithTimeout(b.Ctx, 15*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

// LoadTime loads the page at base+"/?load=N"+hash five times and returns
// the fastest time from the request of the page to the end of its
// drawing, as the page measures it: the page's body gets data-ready when
// it is drawn, and data-drawn-at holds performance.now() then. That is
// the page, its script and style, its API requests and its drawing,
// without the browser's own start of a new page. The fastest load is the
// one least slowed by the other processes of a shared machine (go test
// runs packages in parallel, and Chromium competes with the server for
// the same cores). A page that shows an #error fails the test.
func (b *Browser) LoadTime(t testing.TB, base, hash string) time.Duration {
	t.Helper()
	var ms []float64
	for i := range 5 {
		url := fmt.Sprintf("%s/?load=%d%s", base, i, hash)
		b.Do(t, "open "+url, chromedp.Navigate(url))
		b.Do(t, "wait for "+url, chromedp.WaitVisible(chromedp.CSS(`body[data-ready]`)))
		if msg := Eval[string](t, b, `document.getElementById("error")?.textContent || ""`); msg != "" {
			t.Fatalf("%s: the page says %s", url, msg)
		}
		ms = append(ms, Eval[float64](t, b, `parseFloat(document.body.dataset.drawnAt) - performance.getEntriesByType("navigation")[0].requestStart`))
	}
	t.Logf("%s, the last load's timeline (name, start, end in ms): %s", hash, Eval[string](t, b, `JSON.stringify([...performance.getEntries()].map(e => [e.name.replace(/^.*\//, ""), Math.round(e.startTime), Math.round(e.responseEnd || e.startTime + e.duration)]))`))
	slices.Sort(ms)
	t.Logf("%s: loads in %.0f ms", hash, ms)
	return time.Duration(ms[0] * float64(time.Millisecond))
}
