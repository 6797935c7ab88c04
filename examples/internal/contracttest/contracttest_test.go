package contracttest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const ticketSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Ticket",
  "$defs": {
    "TicketOpened.v1": {
      "type": "object",
      "properties": {"title": {"type": "string"}, "at": {"type": "string", "format": "date-time"}},
      "required": ["title", "at"],
      "additionalProperties": false
    },
    "Close": {"type": "object", "properties": {}, "additionalProperties": false}
  }
}`

const desk = `{"title": "Desk", "$defs": {"TicketOpened.v1": {"type": "object"}}}`

func TestContract(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"ticket.schema.json": ticketSchema, "desk.schema.json": desk, "other.json": "not json"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := New(dir)
	if err := c.Validate("Ticket", "TicketOpened.v1", []byte(`{"title":"t","at":"2026-01-02T03:04:05Z"}`)); err != nil {
		t.Error(err)
	}
	for _, tt := range []struct{ agg, name, data, want string }{
		{"Ticket", "TicketOpened.v1", `{"title":"t"}`, "missing property 'at'"},
		{"Ticket", "TicketOpened.v1", `{"title":"t","at":"today"}`, "not valid date-time"},
		{"Ticket", "Close", `{"why":1}`, "additional properties 'why' not allowed"},
		{"Ticket", "TicketClosed.v1", `{}`, "Ticket has no schema TicketClosed.v1"},
		{"Board", "Close", `{}`, "Board has no schema Close"},
		{"Ticket", "Close", `{`, "Ticket Close: "},
	} {
		err := c.Validate(tt.agg, tt.name, []byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s %s: %v, want an error with %q", tt.agg, tt.name, tt.data, err, tt.want)
		}
	}
	if got := c.Validated(); got != 1 {
		t.Errorf("Validated() = %d, want 1", got)
	}
	owners, err := c.Owners("TicketOpened.v1")
	if err != nil || !slices.Equal(owners, []string{"Desk", "Ticket"}) {
		t.Errorf("Owners(TicketOpened.v1) = %v, %v, want [Desk Ticket]", owners, err)
	}
	if owners, err := c.Owners("Close"); err != nil || !slices.Equal(owners, []string{"Ticket"}) {
		t.Errorf("Owners(Close) = %v, %v, want [Ticket]", owners, err)
	}
}

func TestContractNoSchemas(t *testing.T) {
	c := New(t.TempDir())
	if err := c.Validate("Ticket", "Close", []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "no *.schema.json") {
		t.Errorf("Validate without schemas: %v, want no *.schema.json", err)
	}
}

func TestRunsAll(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"-test.v=true", "-test.count=1"}, true},
		{[]string{"-test.run=TestX"}, false},
		{[]string{"-test.v", "-test.skip=TestX"}, false},
		{[]string{"-test.short=true"}, false},
		{[]string{"-test.list=."}, false},
	} {
		if got := RunsAll(tt.args); got != tt.want {
			t.Errorf("RunsAll(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}
