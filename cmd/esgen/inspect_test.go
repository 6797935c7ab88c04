package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
)

// TestInspect runs esgen inspect on the JetStream files of a stopped
// application, as a person would after the orders demo: it prints its
// URL, serves the orders' states from orders.esm and their diagram, and
// stops when interrupted.
func TestInspect(t *testing.T) {
	dir := t.TempDir()
	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	store, err := jsstore.New(t.Context(), js, jsstore.WithStream("SHOP"), jsstore.WithSubjectPrefix("shop"))
	if err != nil {
		t.Fatal(err)
	}
	repo := orders.NewOrderRepository(store, orders.Decider{})
	items := []orders.LineItem{{SKU: "tea", Qty: 1, PriceCents: 450}}
	for _, c := range []struct {
		id  string
		cmd orders.OrderCommand
	}{
		{"o-1", orders.Submit{Items: items}},
		{"o-1", orders.ValidatePayment{PaymentID: "p-1"}},
		{"o-2", orders.Submit{Items: items}},
		{"o-2", orders.Cancel{Reason: "no"}},
	} {
		if _, err := repo.Handle(t.Context(), c.id, c.cmd); err != nil {
			t.Fatal(err)
		}
	}
	nc.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		t.Fatal(err)
	}

	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	out, w := io.Pipe()
	var stderr strings.Builder
	done := make(chan int, 1)
	go func() {
		defer w.Close()
		done <- run([]string{"inspect", "-data", dir, "-stream", "SHOP", filepath.Join("..", "..", "examples", "orders.esm")}, env{ctx: ctx, stdout: w, stderr: &stderr})
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no URL printed: %v; stderr: %s", err, stderr.String())
	}
	m := regexp.MustCompile(`^esgen inspect: stream SHOP on (http://127\.0\.0\.1:\d+/)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q, want the stream and a loopback URL", line)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	get := func(path string) []byte {
		t.Helper()
		resp, err := http.Get(m[1] + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s %v: %s", path, resp.Status, err, body)
		}
		return body
	}
	var list struct {
		Type struct {
			Counts map[string]int `json:"counts"`
		} `json:"type"`
		Instances []struct {
			ID    string `json:"id"`
			State string `json:"state"`
		} `json:"instances"`
	}
	if err := json.Unmarshal(get("api/instances?type=Order"), &list); err != nil {
		t.Fatal(err)
	}
	if got, want := list.Type.Counts, map[string]int{"Validated": 1, "Cancelled": 1}; len(got) != 2 || got["Validated"] != 1 || got["Cancelled"] != 1 {
		t.Errorf("counts %v, want %v", got, want)
	}
	if len(list.Instances) != 2 || list.Instances[0].ID != "o-2" || list.Instances[0].State != "Cancelled" || list.Instances[1].State != "Validated" {
		t.Errorf("instances %+v", list.Instances)
	}
	if svg := string(get("api/diagram?type=Order")); !strings.Contains(svg, "<title>Submitted</title>") {
		t.Errorf("the diagram has no state Submitted:\n%s", svg)
	}
	if page := string(get("")); !strings.Contains(page, `<script src="app.js"`) {
		t.Errorf("the page:\n%s", page)
	}
	stop()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d after an interrupt, want 0; stderr: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("esgen inspect did not stop when interrupted")
	}
}

// TestInspectNATS runs esgen inspect against a server it connects to, as
// beside a running application: an order handled while it serves shows
// within a second.
func TestInspectNATS(t *testing.T) {
	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
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
	store, err := jsstore.New(t.Context(), js)
	if err != nil {
		t.Fatal(err)
	}
	repo := orders.NewOrderRepository(store, orders.Decider{})
	items := []orders.LineItem{{SKU: "tea", Qty: 1, PriceCents: 450}}
	if _, err := repo.Handle(t.Context(), "o-1", orders.Submit{Items: items}); err != nil {
		t.Fatal(err)
	}

	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	out, w := io.Pipe()
	var stderr strings.Builder
	done := make(chan int, 1)
	go func() {
		defer w.Close()
		done <- run([]string{"inspect", "-nats", srv.ClientURL(), filepath.Join("..", "..", "examples", "orders.esm")}, env{ctx: ctx, stdout: w, stderr: &stderr})
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no URL printed: %v; stderr: %s", err, stderr.String())
	}
	m := regexp.MustCompile(`^esgen inspect: stream EVENTS on (http://127\.0\.0\.1:\d+/)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q", line)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	state := func() string {
		resp, err := http.Get(m[1] + "api/instance?type=Order&id=o-1")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var h struct {
			Events []struct {
				State string `json:"state"`
			} `json:"events"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil || len(h.Events) == 0 {
			t.Fatalf("history of o-1: %v %+v", err, h)
		}
		return h.Events[len(h.Events)-1].State
	}
	if got := state(); got != "Submitted" {
		t.Fatalf("o-1 is %s, want Submitted", got)
	}
	if _, err := repo.Handle(t.Context(), "o-1", orders.Cancel{Reason: "no"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for {
		var list struct {
			Instances []struct {
				State string `json:"state"`
			} `json:"instances"`
		}
		resp, err := http.Get(m[1] + "api/instances?type=Order")
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
		if err == nil && len(list.Instances) == 1 && list.Instances[0].State == "Cancelled" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("o-1 not listed as Cancelled within a second: %+v %v", list, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if code := <-done; code != 0 {
		t.Errorf("exit code %d; stderr: %s", code, stderr.String())
	}
}
