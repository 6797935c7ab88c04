package process_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/process"
)

type reserve struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

type held struct {
	Order string `json:"order"`
}

func TestStepRoundTrip(t *testing.T) {
	send, err := process.Encode("Stock", "Reserve", process.To[reserve]{ID: "s-1", Command: reserve{SKU: "a", Qty: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (process.Send{Aggregate: "Stock", ID: "s-1", Command: "Reserve", Data: []byte(`{"sku":"a","qty":2}`)}); !reflect.DeepEqual(send, want) {
		t.Fatalf("Encode = %+v, want %+v", send, want)
	}
	c, err := process.Decode[reserve](send)
	if err != nil || c != (reserve{SKU: "a", Qty: 2}) {
		t.Fatalf("Decode = %+v, %v", c, err)
	}
	step := process.Step[any]{Input: held{Order: "o-1"}, From: "Idle", To: "Holding", Sends: []process.Send{send}}
	data, err := process.EncodeStep(nil, step, es.RawEvent{SchemaVersion: 3, Data: []byte(`{"order":"o-1"}`)})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"from":"Idle","to":"Holding","input_version":3,"input":{"order":"o-1"},"sends":[{"aggregate":"Stock","id":"s-1","command":"Reserve","data":{"sku":"a","qty":2}}]}`
	if string(data) != want {
		t.Fatalf("EncodeStep =\n%s\nwant\n%s", data, want)
	}
	got, err := process.DecodeStep(data, func(v int, d []byte) (any, error) {
		if v != 3 {
			t.Errorf("input version %d, want 3", v)
		}
		return process.DecodeJSON[held](1, d)
	})
	if err != nil || !reflect.DeepEqual(got.Input, step.Input) || got.From != "Idle" || got.To != "Holding" ||
		len(got.Sends) != 1 || !process.EqualJSON(got.Sends[0].Data, send.Data) {
		t.Fatalf("DecodeStep = %+v, %v", got, err)
	}
}

func TestStepErrors(t *testing.T) {
	if _, err := process.Encode("Stock", "Reserve", process.To[reserve]{ID: ""}); !errors.Is(err, es.ErrInvalidID) {
		t.Errorf("Encode with no id: %v, want es.ErrInvalidID", err)
	}
	if _, err := process.Decode[reserve](process.Send{Data: []byte(`{`)}); err == nil {
		t.Error("Decode of bad JSON succeeded")
	}
	noInput := func(int, []byte) (any, error) { return nil, nil }
	for _, data := range []string{`{`, `{"from":"A","to":"B","input_version":1,"input":{},"extra":1}`} {
		if _, err := process.DecodeStep([]byte(data), noInput); !errors.Is(err, es.ErrCorruptEvent) {
			t.Errorf("DecodeStep(%s): %v, want es.ErrCorruptEvent", data, err)
		}
	}
	if _, err := process.DecodeJSON[held](2, []byte(`{}`)); !errors.Is(err, es.ErrUnknownSchemaVersion) {
		t.Errorf("DecodeJSON v2: %v, want es.ErrUnknownSchemaVersion", err)
	}
	if _, err := process.DecodeJSON[held](1, []byte(`[`)); !errors.Is(err, es.ErrCorruptEvent) {
		t.Errorf("DecodeJSON of bad JSON: %v, want es.ErrCorruptEvent", err)
	}
}

func TestEqualJSONAndHolds(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{`{"a":1,"b":[1,2]}`, `{"b":[1,2],"a":1}`, true},
		{`{"a":1}`, `{"a":2}`, false},
		{`not json`, `not json`, true},
		{`not json`, `{}`, false},
	} {
		if got := process.EqualJSON([]byte(tt.a), []byte(tt.b)); got != tt.want {
			t.Errorf("EqualJSON(%s, %s) = %t, want %t", tt.a, tt.b, got, tt.want)
		}
	}
	recs := []es.Record{{Metadata: es.Metadata{EventID: es.EventID("c1", 0)}}, {Metadata: es.Metadata{EventID: es.EventID("c2", 1)}}}
	if !process.Holds(recs, "c1") || process.Holds(recs, "c2") || process.Holds(nil, "c1") {
		t.Error("Holds finds the wrong commands: only a command's first event counts")
	}
}
