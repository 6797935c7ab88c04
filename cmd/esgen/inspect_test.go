package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/internal/browsertest"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/process"
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

// lendingESM is a loan whose reservation lapses: an aggregate timer, run
// by the LoanTimers process esgen generates beside Loan.
const lendingESM = `// Package lending lends tools.
package lending

// Loan is one borrowing of a tool.
aggregate Loan {
    state New initial
    state Reserved { tool string }
    state Out { tool string }
    state Returned final
    state Cancelled final { reason string }

    command Reserve { tool string }
    command PickUp
    command Return
    command Cancel { reason string }

    event LoanReserved { tool string }
    event ToolPickedUp
    event ToolReturned
    event LoanCancelled { reason string }

    on Reserve: New -> Reserved emits LoanReserved
    on PickUp: Reserved -> Out emits ToolPickedUp
    on Return: Out -> Returned emits ToolReturned
    on Cancel: Reserved -> Cancelled emits LoanCancelled

    // A tool not picked up within two days goes back on the shelf.
    after 48h in Reserved: Cancel { reason = "not picked up" }
}
`

// TestInspectAggregateTimers checks that esgen inspect describes the
// process that runs an aggregate's timers from the .esm, as it describes
// a declared process: its type name, its states (the aggregate's), its
// diagram with the timer's edge, and the state after each of its steps,
// stored as the generated LoanTimers stores them (a step per event of the
// loan, named by the event; a firing as esgen.timer, sending Cancel).
func TestInspectAggregateTimers(t *testing.T) {
	dir := t.TempDir()
	esm := filepath.Join(dir, "lending.esm")
	if err := os.WriteFile(esm, []byte(lendingESM), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: data})
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
	store, err := jsstore.New(t.Context(), js)
	if err != nil {
		t.Fatal(err)
	}
	at := map[es.Ref]es.AppendResult{}
	appendTo := func(ref es.Ref, actor string, ev es.RawEvent) {
		t.Helper()
		prev := at[ref]
		res, err := store.Append(t.Context(), &es.AppendRequest{
			Ref: ref, ExpectedVersion: prev.Version, ExpectedSequence: prev.Sequence,
			CommandID: fmt.Sprintf("c-%s-%d", ref.ID, prev.Version+1), Time: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC),
			CorrelationID: "corr-" + ref.ID, Actor: actor, Events: []es.RawEvent{ev},
		})
		if err != nil {
			t.Fatal(err)
		}
		at[ref] = res
	}
	// event stores an event of the loan, and the step of LoanTimers that
	// follows it from `from` to `to`.
	event := func(id, typ, payload, from, to string) {
		t.Helper()
		appendTo(es.Ref{Type: "Loan", ID: id}, "tester", es.RawEvent{Type: typ, SchemaVersion: 1, Data: []byte(payload)})
		step, err := process.EncodeStep(nil, process.Step[any]{From: from, To: to},
			es.RawEvent{SchemaVersion: 1, Data: []byte(`{"type":"` + typ + `"}`)})
		if err != nil {
			t.Fatal(err)
		}
		appendTo(es.Ref{Type: "LoanTimers", ID: id}, "LoanTimers", es.RawEvent{Type: typ, SchemaVersion: 1, Data: step})
	}
	event("l-1", "LoanReserved", `{"tool":"drill"}`, "New", "Reserved")
	fired, err := process.EncodeStep(nil, process.Step[any]{From: "Reserved", To: "Reserved",
		Sends: []process.Send{{Aggregate: "Loan", ID: "l-1", Command: "Cancel", Data: []byte(`{"reason":"not picked up"}`)}}},
		es.RawEvent{SchemaVersion: 1, Data: []byte(`{"timer":"ReservedAfter48h","due":"2026-03-06T05:06:07Z"}`)})
	if err != nil {
		t.Fatal(err)
	}
	appendTo(es.Ref{Type: "LoanTimers", ID: "l-1"}, "LoanTimers", es.RawEvent{Type: "esgen.timer", SchemaVersion: 1, Data: fired})
	event("l-1", "LoanCancelled", `{"reason":"not picked up"}`, "Reserved", "Cancelled")
	event("l-2", "LoanReserved", `{"tool":"ladder"}`, "New", "Reserved")
	event("l-2", "ToolPickedUp", `{}`, "Reserved", "Out")
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
		done <- run([]string{"inspect", "-data", data, esm}, env{ctx: ctx, stdout: w, stderr: &stderr})
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no URL printed: %v; stderr: %s", err, stderr.String())
	}
	m := regexp.MustCompile(`^esgen inspect: stream EVENTS on (http://127\.0\.0\.1:\d+/)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q; stderr: %s", line, stderr.String())
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

	type stateJSON struct {
		Name    string `json:"name"`
		Initial bool   `json:"initial"`
		Final   bool   `json:"final"`
	}
	type typeJSON struct {
		Name      string         `json:"name"`
		Known     bool           `json:"known"`
		Process   bool           `json:"process"`
		Diagram   bool           `json:"diagram"`
		States    []stateJSON    `json:"states"`
		Instances int            `json:"instances"`
		Events    int            `json:"events"`
		Counts    map[string]int `json:"counts"`
	}
	var meta struct {
		Types []typeJSON `json:"types"`
	}
	if err := json.Unmarshal(get("api/meta"), &meta); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ty := range meta.Types {
		names = append(names, ty.Name)
	}
	if got, want := strings.Join(names, " "), "Loan LoanTimers"; got != want {
		t.Fatalf("types %q, want %q", got, want)
	}
	want := typeJSON{
		Name: "LoanTimers", Known: true, Process: true, Diagram: true,
		States: []stateJSON{
			{Name: "New", Initial: true}, {Name: "Reserved"}, {Name: "Out"},
			{Name: "Returned", Final: true}, {Name: "Cancelled", Final: true},
		},
		Instances: 2, Events: 5, Counts: map[string]int{"Cancelled": 1, "Out": 1},
	}
	if got := meta.Types[1]; !reflect.DeepEqual(got, want) {
		t.Errorf("LoanTimers in meta:\n%+v\nwant\n%+v", got, want)
	}

	var hist struct {
		Events []struct {
			Version   int    `json:"version"`
			EventType string `json:"event_type"`
			From      string `json:"from"`
			State     string `json:"state"`
			Odd       bool   `json:"odd"`
		} `json:"events"`
	}
	if err := json.Unmarshal(get("api/instance?type=LoanTimers&id=l-1"), &hist); err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range hist.Events {
		steps = append(steps, fmt.Sprintf("v%d %s %s->%s odd=%v", e.Version, e.EventType, e.From, e.State, e.Odd))
	}
	wantSteps := []string{
		"v1 LoanReserved New->Reserved odd=false",
		"v2 esgen.timer Reserved->Reserved odd=false",
		"v3 LoanCancelled Reserved->Cancelled odd=false",
	}
	if !slices.Equal(steps, wantSteps) {
		t.Errorf("the steps of LoanTimers l-1:\n%s\nwant\n%s", strings.Join(steps, "\n"), strings.Join(wantSteps, "\n"))
	}

	svg := string(get("api/diagram?type=LoanTimers"))
	// Graphviz writes a "-" of an id as "&#45;".
	for _, s := range []string{`id="state&#45;Reserved"`, `id="entry&#45;New"`, `class="node label edge&#45;Reserved&#45;Reserved"`, `>after 48h / Loan.Cancel</text>`, `>Loan.ToolPickedUp</text>`} {
		if !strings.Contains(svg, s) {
			t.Errorf("the diagram of LoanTimers has no %s:\n%s", s, svg)
		}
	}
	// In Chromium, the firing's step is drawn on the diagram: Reserved
	// filled, the path from the entry to it, the timer's loop last.
	t.Run("browser", func(t *testing.T) {
		b := browsertest.New(t)
		b.Do(t, "open LoanTimers l-1 at its firing", chromedp.Navigate(m[1]+"#/i/LoanTimers/l-1?v=2"),
			chromedp.WaitVisible(chromedp.CSS(`#diagram svg .esgen-current`)))
		if got := b.Text(t, "#diagram svg .esgen-current > title"); got != "Reserved" {
			t.Errorf("highlighted state %q, want Reserved", got)
		}
		if got := b.Text(t, "#version"); got != "version 2 of 3" {
			t.Errorf("slider says %q, want version 2 of 3", got)
		}
		edges := `[...new Set([...document.querySelectorAll("#diagram svg SEL")].map(e => e.dataset.esgenEdge))]`
		if got, want := strings.Join(browsertest.Eval[[]string](t, b, strings.Replace(edges, "SEL", ".esgen-taken", 1)), " "), "[*]->New New->Reserved Reserved->Reserved"; got != want {
			t.Errorf("path drawn %q, want %q", got, want)
		}
		if got, want := strings.Join(browsertest.Eval[[]string](t, b, strings.Replace(edges, "SEL", ".esgen-last", 1)), " "), "Reserved->Reserved"; got != want {
			t.Errorf("last edge %q, want %q", got, want)
		}
		if errs := b.ConsoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %q", errs)
		}
	})
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
