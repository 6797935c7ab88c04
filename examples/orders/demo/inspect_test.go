package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/internal/browsertest"
	"github.com/esgen/esgen/runtime/inspect"
	"github.com/esgen/esgen/runtime/natsserver"
)

var screenshots = flag.Bool("screenshots", false, "write the screenshots of the Fulfilment process in docs/inspect.md")

// svg reads a diagram esgen generated beside the example's code.
func svg(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestInspectDemo runs the demo on a kept directory and opens its
// Fulfilment stream in the inspector as the application would mount it:
// the order whose payment timed out reads back as a chain of causes across
// the Order, the Fulfilment process and the Payment, each record with the
// state it led to, and the payment's state data at each version.
func TestInspectDemo(t *testing.T) {
	dir := t.TempDir()
	runDemo(t, options{DataDir: dir})
	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ins, err := inspect.New(t.Context(), js, inspect.Config{
		Stream: fulfilmentStream,
		Types: []inspect.Type{
			inspect.Definition(orders.NewOrderDefinition(orders.Decider{}), orders.OrderMachine(), svg(t, "order.svg")),
			inspect.Definition(orders.NewPaymentDefinition(orders.PaymentRules{}), orders.PaymentMachine(), svg(t, "payment.svg")),
			inspect.Definition(orders.NewShipmentDefinition(orders.ShipmentRules{}), orders.ShipmentMachine(), svg(t, "shipment.svg")),
			{Name: "Fulfilment", Process: true, SVG: svg(t, "fulfilment.svg")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(ins)
	defer func() {
		ins.Close() // ends the live streams of open pages, which Close waits for
		hs.Close()
	}()
	get := func(path string, v any) {
		t.Helper()
		resp, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}

	var trail struct {
		Records []struct {
			Type, ID  string
			Version   uint64
			EventType string `json:"event_type"`
		} `json:"records"`
	}
	get("/api/trail?correlation=checkout-order-12", &trail)
	var chain []string
	for _, r := range trail.Records {
		var h struct {
			Events []struct {
				EventType string `json:"event_type"`
				State     string `json:"state"`
				Odd       bool   `json:"odd"`
				StateData any    `json:"state_data"`
				Cause     *struct {
					Type, ID string
					Version  uint64
				} `json:"cause"`
			} `json:"events"`
		}
		get(fmt.Sprintf("/api/instance?type=%s&id=%s", r.Type, r.ID), &h)
		e := h.Events[r.Version-1]
		link := "-"
		if e.Cause != nil {
			link = fmt.Sprintf("%s/%s v%d", e.Cause.Type, e.Cause.ID, e.Cause.Version)
		}
		chain = append(chain, fmt.Sprintf("%s/%s v%d %s -> %s (caused by %s, odd %t, state data %t)", r.Type, r.ID, r.Version, r.EventType, e.State, link, e.Odd, e.StateData != nil))
	}
	want := []string{
		"Order/order-12 v1 OrderSubmitted -> Submitted (caused by -, odd false, state data true)",
		"Fulfilment/order-12 v1 OrderSubmitted -> Paying (caused by Order/order-12 v1, odd false, state data false)",
		"Payment/order-12 v1 PaymentRequested -> Pending (caused by Fulfilment/order-12 v1, odd false, state data true)",
		"Fulfilment/order-12 v2 PaymentOverdue -> Voiding (caused by Fulfilment/order-12 v1, odd false, state data false)",
		"Payment/order-12 v2 PaymentVoided -> Voided (caused by Fulfilment/order-12 v2, odd false, state data true)",
		"Fulfilment/order-12 v3 PaymentVoided -> Abandoned (caused by Payment/order-12 v2, odd false, state data false)",
		"Order/order-12 v2 OrderCancelled -> Cancelled (caused by Fulfilment/order-12 v3, odd false, state data true)",
	}
	if got := strings.Join(chain, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("the trail of order-12:\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}

	// In a browser: the process on its diagram, and the trail.
	if browsertest.Find() == "" {
		t.Log(browsertest.NoChromium)
		return
	}
	b := browsertest.New(t)
	b.Do(t, "open Fulfilment order-12", chromedp.Navigate(hs.URL+"/#/i/Fulfilment/order-12"), chromedp.WaitVisible(chromedp.CSS(`#diagram svg .esgen-current`)))
	if got := b.Text(t, "#current"); got != "Abandoned" {
		t.Errorf("Fulfilment order-12 is %q, want Abandoned", got)
	}
	if got := b.Text(t, "#cause"); got != "Payment order-12 v2 PaymentVoided" {
		t.Errorf("the cause of its last step is %q", got)
	}
	if *screenshots {
		b.Screenshot(t, filepath.Join("..", "..", "..", "docs", "inspect-process.png"))
	}
	b.Do(t, "open the trail", chromedp.Click(chromedp.CSS("#trail")), chromedp.WaitVisible(chromedp.CSS("#trail-records")))
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll("#trail-records tbody tr").length`); n != 7 {
		t.Errorf("the trail page lists %d records, want 7", n)
	}
	if *screenshots {
		b.Screenshot(t, filepath.Join("..", "..", "..", "docs", "inspect-trail.png"))
	}
	if errs := b.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
