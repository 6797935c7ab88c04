package estest_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// A fine in two versions, as esgen would generate it: v2 (upcast) adds a
// kind; its hook must carry the amount, the reason and the time.
type (
	fineV1 struct {
		Amount int       `json:"amount"`
		Reason string    `json:"reason"`
		At     stamp     `json:"at"` // a type of the consumer's package
		Notes  []string  `json:"notes"`
		When   time.Time `json:"when"`
	}
	fined struct {
		Amount int
		Reason string
		At     stamp
		Notes  []string
		When   time.Time
		Kind   string
	}
	stamp struct{ Unix int64 }
)

// fineCodec decodes version 1 through hook.
type fineCodec struct{ hook func(fineV1) fined }

func (fineCodec) Encode([]byte, fined) (es.RawEvent, error) {
	return es.RawEvent{}, errors.New("unused")
}

func (c fineCodec) Decode(eventType string, version int, data []byte) (fined, error) {
	var v fineV1
	if err := json.Unmarshal(data, &v); err != nil {
		return fined{}, err
	}
	return c.hook(v), nil
}

func fineCases() []estest.Upcast {
	old := func() fineV1 { return fineV1{Amount: 70, Reason: "reason-71", Notes: []string{"n"}} }
	return []estest.Upcast{{
		Event: "Fined", Version: 1, Hook: "UpcastFinedV1",
		NewOld: func() any { return old() },
		Changes: []estest.UpcastChange{
			{Field: "amount", GoName: "Amount", Old: fineV1{Amount: 71, Reason: "reason-71", Notes: []string{"n"}}},
			{Field: "reason", GoName: "Reason", Old: fineV1{Amount: 70, Reason: "reason-71-changed", Notes: []string{"n"}}},
			{Field: "at", GoName: "At", Fill: true},
			{Field: "notes", GoName: "Notes", Fill: true},
		},
	}}
}

func lostFine(field, goName string) string {
	return "Fined v1: UpcastFinedV1: changing field " + field + " of Fined v1 does not change the event UpcastFinedV1 returns: every stored Fined v1 would load with its " + field + " lost. " +
		"Copy it in UpcastFinedV1 (" + goName + ": old." + goName + "), or, if the new version deliberately does not carry it, say so in the .esm: event Fined v2 upcast: drop " + field
}

func TestCheckUpcasts(t *testing.T) {
	calls := 0
	tests := []struct {
		name string
		hook func(fineV1) fined
		want []string
	}{
		{name: "a hook that carries every field passes", hook: func(o fineV1) fined {
			return fined{Amount: o.Amount, Reason: o.Reason, At: o.At, Notes: o.Notes, When: o.When, Kind: "late"}
		}},
		{name: "a hook that forgets the amount and a field the test fills", hook: func(o fineV1) fined {
			return fined{Reason: o.Reason, Notes: o.Notes, Kind: "late"}
		}, want: []string{lostFine("amount", "Amount"), lostFine("at", "At")}},
		{name: "a hook that is not pure", hook: func(o fineV1) fined {
			calls++
			return fined{Amount: o.Amount + calls, Reason: o.Reason, At: o.At, Notes: o.Notes}
		}, want: []string{`Fined v1: UpcastFinedV1: UpcastFinedV1 is not pure: the same Fined v1 gave estest_test.fined{Amount:71, Reason:"reason-71", At:estest_test.stamp{Unix:0}, Notes:[]string{"n"}, When:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), Kind:""}, then estest_test.fined{Amount:72, Reason:"reason-71", At:estest_test.stamp{Unix:0}, Notes:[]string{"n"}, When:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), Kind:""}`}},
		{name: "a nil upcaster", hook: nil, want: []string{
			"Fined v1: UpcastFinedV1: decoding version 1 panicked: runtime error: invalid memory address or nil pointer dereference (is your Upcaster, with its method UpcastFinedV1, passed to the definition?)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			def := es.Definition[struct{}, struct{}, fined]{Type: "Member", Events: fineCodec{hook: tt.hook}}
			estest.CheckUpcasts(rec, def, fineCases())
			checkErrs(t, rec.errs, tt.want)
		})
	}
	rec := &recorder{}
	estest.CheckUpcasts(rec, es.Definition[struct{}, struct{}, fined]{Type: "Member"}, fineCases())
	checkErrs(t, rec.errs, []string{`CheckUpcasts: the definition of "Member" has no event codec`})
}
