package inspect_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/inspect"
	"github.com/esgen/esgen/runtime/machine"
)

// TestTransitions checks the table of states after events: a
// transition's first event moves its source to its target, further
// events apply to the target, the first declared pair wins, and a
// transition without events moves nothing.
func TestTransitions(t *testing.T) {
	m := machine.Machine{
		Name:   "Door",
		States: []machine.State{{Name: "Closed", Initial: true}, {Name: "Open"}, {Name: "Broken", Final: true}},
		Transitions: []machine.Transition{
			{From: "Closed", To: "Open", Command: "Push", Events: []string{"Opened"}},
			{From: "Closed", To: "Broken", Command: "Kick", Events: []string{"Jammed", "AlarmRaised"}},
			{From: "Open", To: "Open", Command: "Wave", Events: []string{"Waved"}},
			{From: "Open", To: "Closed", Command: "Pull"},
			{From: "Closed", To: "Open", Command: "Shove", Events: []string{"Opened"}},
		},
	}
	got := inspect.Transitions(m)
	want := map[[2]string]string{
		{"Closed", "Opened"}:      "Open",
		{"Closed", "Jammed"}:      "Broken",
		{"Broken", "AlarmRaised"}: "Broken",
		{"Open", "Waved"}:         "Open",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Transitions = %v, want %v", got, want)
	}
}

// TestDefinitionStates checks the state data of a definition: one JSON
// value per record, the state after it, and the error of the first
// record that does not decode, with the states before it.
func TestDefinitionStates(t *testing.T) {
	typ := orderType(t)
	if typ.Name != "Order" || len(typ.Machine.States) != 5 || len(typ.SVG) == 0 {
		t.Fatalf("Definition gave %s with %d states and %d bytes of SVG", typ.Name, len(typ.Machine.States), len(typ.SVG))
	}
	recs := []es.Record{
		{Metadata: es.Metadata{Version: 1, EventType: "OrderSubmitted", SchemaVersion: 2}, Data: []byte(`{"items":[{"sku":"tea","qty":1,"price_cents":450}],"submitted_at":"2026-01-02T09:00:00Z","channel":"web"}`)},
		{Metadata: es.Metadata{Version: 2, EventType: "OrderCancelled", SchemaVersion: 1}, Data: []byte(`{"reason":"no"}`)},
	}
	states, err := typ.States(context.Background(), recs)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 2 {
		t.Fatalf("%d states for 2 records", len(states))
	}
	var s0, s1 struct {
		State string         `json:"state"`
		Data  map[string]any `json:"data"`
	}
	if err := json.Unmarshal(states[0], &s0); err != nil || s0.State != "Submitted" || s0.Data["items"] == nil {
		t.Errorf("state after v1: %s (%v)", states[0], err)
	}
	if err := json.Unmarshal(states[1], &s1); err != nil || s1.State != "Cancelled" || s1.Data["reason"] != "no" {
		t.Errorf("state after v2: %s (%v)", states[1], err)
	}

	recs[1].EventType = "OrderVanished"
	states, err = typ.States(context.Background(), recs)
	if !errors.Is(err, es.ErrUnknownEventType) || !strings.HasPrefix(err.Error(), "version 2: ") || len(states) != 1 {
		t.Errorf("an unknown event at v2: %d states, error %v; want 1 state and ErrUnknownEventType", len(states), err)
	}
}
