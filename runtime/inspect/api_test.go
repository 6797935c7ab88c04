package inspect_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/inspect"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/machine"
)

// appender appends raw events to a store, one command at a time.
type appender struct {
	t     *testing.T
	store *jsstore.Store
	at    map[es.Ref]es.AppendResult
}

// add appends events (type:payload) to ref and returns their records.
func (a *appender) add(ref es.Ref, cmd, corr, cause string, events ...string) []es.Record {
	a.t.Helper()
	return a.addBy("tester", ref, cmd, corr, cause, events...)
}

// addBy is add with the actor of the command.
func (a *appender) addBy(actor string, ref es.Ref, cmd, corr, cause string, events ...string) []es.Record {
	a.t.Helper()
	prev := a.at[ref]
	req := &es.AppendRequest{
		Ref: ref, ExpectedVersion: prev.Version, ExpectedSequence: prev.Sequence, CommandID: cmd,
		Time: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), CorrelationID: corr, CausationID: cause, Actor: actor,
	}
	for _, e := range events {
		typ, data, _ := strings.Cut(e, ":")
		req.Events = append(req.Events, es.RawEvent{Type: typ, SchemaVersion: 1, Data: []byte(data)})
	}
	res, err := a.store.Append(a.t.Context(), req)
	if err != nil {
		a.t.Fatal(err)
	}
	a.at[ref] = res
	return req.Records(res.Sequence)
}

// door is a machine whose Kick emits two events.
var door = machine.Machine{
	Name:   "Door",
	States: []machine.State{{Name: "Closed", Initial: true}, {Name: "Open"}, {Name: "Broken", Final: true}},
	Transitions: []machine.Transition{
		{From: "Closed", To: "Open", Command: "Push", Events: []string{"Opened"}},
		{From: "Open", To: "Closed", Command: "Pull", Events: []string{"Closed"}},
		{From: "Closed", To: "Broken", Command: "Kick", Events: []string{"Jammed", "AlarmRaised"}},
	},
}

// keeper is a process that closes doors left open.
var keeper = machine.Machine{
	Name:   "Keeper",
	States: []machine.State{{Name: "Watching", Initial: true}, {Name: "Closing"}, {Name: "Done", Final: true}},
	Transitions: []machine.Transition{
		{From: "Watching", To: "Closing", Command: "Door.Opened", Events: []string{"Door.Pull"}},
		{From: "Closing", To: "Done", Command: "Door.Closed"},
	},
}

// TestAPI checks what the page reads: the types in order with their
// counts, lists filtered and searched, one history with the states,
// odd events, causes and trails, a process's states from its steps, a
// type no Type describes, the diagram, and the errors.
func TestAPI(t *testing.T) {
	js := startJetStream(t)
	a := &appender{t: t, store: newStore(t, js), at: map[es.Ref]es.AppendResult{}}
	d1, d2, d3 := es.Ref{Type: "Door", ID: "d-1"}, es.Ref{Type: "Door", ID: "d-2"}, es.Ref{Type: "Door", ID: "d-3"}
	k1 := es.Ref{Type: "Keeper", ID: "d-1"}
	opened := a.add(d1, "open-1", "flow-1", "open-1", `Opened:{"by":"ann"}`)
	step := a.add(k1, "keep-1", "flow-1", opened[0].EventID, `Opened:{"from":"Watching","to":"Closing","input":{}}`)
	closed := a.add(d1, "close-1", "flow-1", commandID(step[0].EventID), `Closed:{}`)
	a.add(k1, "keep-2", "flow-1", closed[0].EventID, `Closed:{"from":"Closing","to":"Done","input":{}}`)
	a.add(d2, "kick-2", "flow-2", "kick-2", `Jammed:{}`, `AlarmRaised:{"level":3}`)
	a.add(d3, "open-3", "flow-3", "open-3", `Opened:{}`)
	a.add(d3, "open-3b", "flow-3", "open-3b", `Opened:{"again":true}`) // no transition takes Opened from Open
	a.add(es.Ref{Type: "Widget", ID: "w-1"}, "w", "flow-4", "w", `Made:{}`)
	// A process described without its machine.
	a.add(es.Ref{Type: "Porter", ID: "p-1"}, "porter-1", "flow-5", "porter-1", `Opened:{"from":"Idle","to":"Busy","input":{}}`)
	_, srv := serve(t, js,
		inspect.Type{Name: "Door", Machine: door, SVG: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><g class="node"><title>Closed</title></g></svg>`)},
		inspect.Type{Name: "Keeper", Machine: keeper, Process: true},
		inspect.Type{Name: "Gate", Machine: door},
		inspect.Type{Name: "Porter", Process: true})
	ctx := t.Context()

	var meta struct {
		Stream string `json:"stream"`
		Prefix string `json:"prefix"`
		Events int    `json:"events"`
		Types  []struct {
			Name      string         `json:"name"`
			Known     bool           `json:"known"`
			Process   bool           `json:"process"`
			Stateless bool           `json:"stateless"`
			Instances int            `json:"instances"`
			Events    int            `json:"events"`
			Counts    map[string]int `json:"counts"`
		} `json:"types"`
	}
	getJSON(ctx, t, srv.URL+"/api/meta", &meta)
	var types []string
	for _, ty := range meta.Types {
		types = append(types, fmt.Sprintf("%s known=%t process=%t stateless=%t %d/%d %v", ty.Name, ty.Known, ty.Process, ty.Stateless, ty.Instances, ty.Events, ty.Counts))
	}
	want := []string{
		"Door known=true process=false stateless=false 3/6 map[Broken:1 Closed:1 Open:1]",
		"Gate known=true process=false stateless=false 0/0 map[]",
		"Keeper known=true process=true stateless=false 1/2 map[Done:1]",
		"Porter known=true process=true stateless=false 1/1 map[Busy:1]",
		"Widget known=false process=false stateless=true 1/1 map[]",
	}
	if meta.Stream != "EVENTS" || meta.Prefix != "events" || meta.Events != 10 || strings.Join(types, "\n") != strings.Join(want, "\n") {
		t.Errorf("meta: stream %s prefix %s, %d events, types:\n%s\nwant EVENTS events 9 and\n%s", meta.Stream, meta.Prefix, meta.Events, strings.Join(types, "\n"), strings.Join(want, "\n"))
	}

	type listJSON struct {
		Matched   int `json:"matched"`
		Instances []struct {
			ID    string `json:"id"`
			State string `json:"state"`
			Odd   int    `json:"odd"`
		} `json:"instances"`
	}
	for _, c := range []struct{ query, want string }{
		{"type=Door", "3: d-3 Open odd 1, d-2 Broken odd 0, d-1 Closed odd 0"},
		{"type=Door&limit=1", "3: d-3 Open odd 1"},
		{"type=Door&state=Broken", "1: d-2 Broken odd 0"},
		{"type=Door&state=", "0: "},
		{"type=Door&q=D-1", "1: d-1 Closed odd 0"},
		{"type=Widget", "1: w-1  odd 0"},
	} {
		var l listJSON
		getJSON(ctx, t, srv.URL+"/api/instances?"+c.query, &l)
		var rows []string
		for _, in := range l.Instances {
			rows = append(rows, fmt.Sprintf("%s %s odd %d", in.ID, in.State, in.Odd))
		}
		if got := fmt.Sprintf("%d: %s", l.Matched, strings.Join(rows, ", ")); got != c.want {
			t.Errorf("instances?%s = %q, want %q", c.query, got, c.want)
		}
	}

	type historyJSON struct {
		Initial string `json:"initial"`
		Events  []struct {
			Version   uint64          `json:"version"`
			EventType string          `json:"event_type"`
			CommandID string          `json:"command_id"`
			From      string          `json:"from"`
			State     string          `json:"state"`
			Odd       bool            `json:"odd"`
			Payload   json.RawMessage `json:"payload"`
			StateData json.RawMessage `json:"state_data"`
			Cause     *struct {
				Type, ID  string
				Version   uint64
				EventType string `json:"event_type"`
			} `json:"cause"`
			Trail int `json:"trail"`
		} `json:"events"`
	}
	history := func(typ, id string) string {
		t.Helper()
		var h historyJSON
		getJSON(ctx, t, srv.URL+"/api/instance?type="+typ+"&id="+id, &h)
		rows := []string{"initial " + h.Initial}
		for _, e := range h.Events {
			row := fmt.Sprintf("v%d %s %s->%s odd=%t trail=%d %s", e.Version, e.EventType, e.From, e.State, e.Odd, e.Trail, e.Payload)
			if e.Cause != nil {
				row += fmt.Sprintf(" cause %s %s v%d %s", e.Cause.Type, e.Cause.ID, e.Cause.Version, e.Cause.EventType)
			}
			if e.StateData != nil {
				row += " state data"
			}
			rows = append(rows, row)
		}
		return strings.Join(rows, "\n")
	}
	for _, c := range []struct{ typ, id, want string }{
		{"Door", "d-1", `initial Closed
v1 Opened Closed->Open odd=false trail=4 {"by":"ann"}
v2 Closed Open->Closed odd=false trail=4 {} cause Keeper d-1 v1 Opened`},
		{"Keeper", "d-1", `initial Watching
v1 Opened Watching->Closing odd=false trail=4 {"from":"Watching","to":"Closing","input":{}} cause Door d-1 v1 Opened
v2 Closed Closing->Done odd=false trail=4 {"from":"Closing","to":"Done","input":{}} cause Door d-1 v2 Closed`},
		{"Door", "d-2", `initial Closed
v1 Jammed Closed->Broken odd=false trail=2 {}
v2 AlarmRaised Broken->Broken odd=false trail=2 {"level":3}`},
		{"Door", "d-3", `initial Closed
v1 Opened Closed->Open odd=false trail=2 {}
v2 Opened Open->Open odd=true trail=2 {"again":true}`},
		{"Widget", "w-1", `initial 
v1 Made -> odd=false trail=1 {}`},
		{"Porter", "p-1", `initial 
v1 Opened Idle->Busy odd=false trail=1 {"from":"Idle","to":"Busy","input":{}}`},
	} {
		if got := history(c.typ, c.id); got != c.want {
			t.Errorf("%s %s:\n%s\nwant\n%s", c.typ, c.id, got, c.want)
		}
	}

	var trail struct {
		Records []struct {
			Type, ID  string
			Version   uint64
			EventID   string `json:"event_id"`
			Causation string `json:"causation_id"`
		} `json:"records"`
	}
	getJSON(ctx, t, srv.URL+"/api/trail?correlation=flow-1", &trail)
	var recs []string
	for _, r := range trail.Records {
		recs = append(recs, fmt.Sprintf("%s/%s v%d %s<-%s", r.Type, r.ID, r.Version, r.EventID, r.Causation))
	}
	if got, want := strings.Join(recs, " "), "Door/d-1 v1 open-1-1<-open-1 Keeper/d-1 v1 keep-1-1<-open-1-1 Door/d-1 v2 close-1-1<-keep-1 Keeper/d-1 v2 keep-2-1<-close-1-1"; got != want {
		t.Errorf("trail of flow-1:\n%s\nwant\n%s", got, want)
	}

	for _, c := range []struct {
		path   string
		status int
		body   string
	}{
		{"/api/diagram?type=Door", http.StatusOK, "<title>Closed</title>"},
		{"/api/diagram?type=Keeper", http.StatusNoContent, ""},
		{"/api/diagram?type=Nope", http.StatusNoContent, ""},
		{"/api/instances?type=Nope", http.StatusNotFound, `{"error":"the stream holds no \"Nope\""}`},
		{"/api/instances?type=Door&limit=x", http.StatusBadRequest, `{"error":"limit \"x\": want a positive number"}`},
		{"/api/instance?type=Door&id=d-9", http.StatusNotFound, `{"error":"the stream holds no Door \"d-9\""}`},
		{"/api/instance?type=Door&id=a.b", http.StatusBadRequest, `invalid`},
		{"/api/trail?correlation=nope", http.StatusNotFound, `{"error":"the stream holds no record of correlation \"nope\""}`},
		{"/", http.StatusOK, `<script src="app.js" defer></script>`},
		{"/app.js", http.StatusOK, `const drawing = {`},
	} {
		resp, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.Contains(string(body), c.body) {
			t.Errorf("GET %s: %s %q, want %d with %q", c.path, resp.Status, body, c.status, c.body)
		}
	}
}

// commandID is the command id of an event id.
func commandID(eventID string) string { return eventID[:strings.LastIndexByte(eventID, '-')] }

// TestLive checks the live updates without a browser: an event appended
// after a client connected reaches it within a second, with its state.
func TestLive(t *testing.T) {
	js := startJetStream(t)
	a := &appender{t: t, store: newStore(t, js), at: map[es.Ref]es.AppendResult{}}
	a.add(es.Ref{Type: "Door", ID: "d-1"}, "c1", "c1", "c1", `Opened:{}`)
	ins, srv := serve(t, js, inspect.Type{Name: "Door", Machine: door})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/live", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	start := time.Now()
	a.add(es.Ref{Type: "Door", ID: "d-1"}, "c2", "c2", "c2", `Closed:{}`)
	timeout := time.After(time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the live stream ended")
			}
			if !strings.HasPrefix(l, "data: {\"type\"") {
				continue
			}
			var c struct {
				Type, ID, State string
				Version         uint64
				EventType       string `json:"event_type"`
			}
			if err := json.Unmarshal([]byte(strings.TrimPrefix(l, "data: ")), &c); err != nil {
				t.Fatal(err)
			}
			if c.Type != "Door" || c.ID != "d-1" || c.Version != 2 || c.EventType != "Closed" || c.State != "Closed" {
				t.Errorf("change %+v", c)
			}
			t.Logf("the change arrived after %v", time.Since(start).Round(time.Millisecond))
			// Close ends the stream of every client.
			ins.Close()
			for range lines {
			}
			return
		case <-timeout:
			t.Fatal("no change within a second")
		}
	}
}

// TestNoStream checks the error for a stream the server does not have:
// it names the streams it has.
func TestNoStream(t *testing.T) {
	js := startJetStream(t)
	newStore(t, js)
	_, err := inspect.New(t.Context(), js, inspect.Config{Stream: "ORDERS"})
	if err == nil || err.Error() != "inspect: no stream ORDERS: the server has EVENTS: nats: API error: code=404 err_code=10059 description=stream not found" {
		t.Errorf("error %v", err)
	}
}
