package estest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/esgen/esgen/runtime/es"
)

// Upcast is one upcast hook of an aggregate's events (a method of its
// Upcaster, for an event version marked upcast in the .esm), with values
// to check it on. esgen generates the table of every hook of an aggregate
// (orderUpcastHooks in order_gen_test.go) from the .esm.
type Upcast struct {
	Event string // the event, as the .esm names it
	// Version is the version the hook reads: 1 for UpcastOrderSubmittedV1,
	// which makes version 2 of it.
	Version int
	// Hook is the Upcaster method.
	Hook string
	// NewOld returns a value of the version the hook reads (the struct
	// OrderSubmittedV1), every field the test can build set.
	NewOld func() any
	// Changes are the old version with one field changed, each a field
	// that the next version has under the same name and type and that the
	// .esm does not drop: its value must reach the newest version.
	Changes []UpcastChange
}

// UpcastChange is the old version of an Upcast with one field changed.
type UpcastChange struct {
	Field  string // "amount_cents", as the .esm names it
	GoName string // "AmountCents", the field's Go name
	// Old is the old version with the field changed. With Fill, nil: the
	// test could not write a value of the field's type, and CheckUpcasts
	// fills the field of NewOld's value with one it makes by reflection;
	// a field it cannot fill is logged as not checked.
	Old  any
	Fill bool
	// Computed says the next version has no field of this name and type
	// (it renames or converts it): the hook computes the fields that
	// replace it from it.
	Computed bool
}

// CheckUpcasts checks, on every case, what an upcast hook promises. A
// payload of the case's old version is decoded with the definition's
// event codec, which upcasts it through the hook (and the steps after it)
// to the newest version:
//
//   - decoding succeeds;
//   - the hook is pure: the same payload decodes to the same event again;
//   - every field of the old version that the .esm does not drop
//     (upcast: drop f) reaches the result: changing it changes the
//     decoded event. A field the next version has under the same name and
//     type must be carried; one it renames or converts (Computed) must be
//     used to compute what replaces it. A hook that forgets either would
//     load every stored event of that version without it.
//
// Fields new in the next version are the hook's to fill and are not
// checked. Failures are reported through t, each
// naming the hook and the field.
func CheckUpcasts[S, C, E any](t testing.TB, def es.Definition[S, C, E], cases []Upcast) {
	t.Helper()
	if def.Events == nil {
		t.Errorf("CheckUpcasts: the definition of %q has no event codec", def.Type)
		return
	}
	if len(cases) == 0 {
		t.Logf("CheckUpcasts: %q has no upcast hook to check", def.Type)
	}
	for _, c := range cases {
		checkUpcast(t, def.Events, c)
	}
}

func checkUpcast[E any](t testing.TB, codec es.EventCodec[E], c Upcast) {
	t.Helper()
	name := fmt.Sprintf("%s v%d: %s", c.Event, c.Version, c.Hook)
	decode := func(old any) (got E, ok bool) {
		t.Helper()
		data, err := json.Marshal(old)
		if err != nil {
			t.Errorf("%s: encoding %#v: %v", name, old, err)
			return got, false
		}
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("%s: decoding version %d panicked: %v (is your Upcaster, with its method %s, passed to the definition?)", name, c.Version, r, c.Hook)
				ok = false
			}
		}()
		got, err = codec.Decode(c.Event, c.Version, data)
		if err != nil {
			t.Errorf("%s: decoding %s: %v", name, data, err)
			return got, false
		}
		return got, true
	}
	got, ok := decode(c.NewOld())
	if !ok {
		return
	}
	if again, ok := decode(c.NewOld()); ok && !reflect.DeepEqual(again, got) {
		t.Errorf("%s: %s is not pure: the same %s v%d gave %#v, then %#v", name, c.Hook, c.Event, c.Version, got, again)
	}
	for _, ch := range c.Changes {
		old, ok := ch.Old, true
		if ch.Fill {
			old, ok = filled(c.NewOld(), ch.GoName)
		}
		if !ok {
			t.Logf("%s: field %s not checked: the test cannot make a value of its type", name, ch.Field)
			continue
		}
		other, ok := decode(old)
		if !ok {
			continue
		}
		if reflect.DeepEqual(other, got) && ch.Computed {
			t.Errorf("%s: changing field %s of %s v%d does not change the event %s returns: every stored %s v%d would load without what its %s held. "+
				"Compute from it (old.%s) the field of v%d that replaces it, or, if the new version deliberately does not use it, say so in the .esm: event %s v%d upcast: drop %s",
				name, ch.Field, c.Event, c.Version, c.Hook, c.Event, c.Version, ch.Field,
				ch.GoName, c.Version+1, c.Event, c.Version+1, ch.Field)
			continue
		}
		if reflect.DeepEqual(other, got) {
			t.Errorf("%s: changing field %s of %s v%d does not change the event %s returns: every stored %s v%d would load with its %s lost. "+
				"Copy it in %s (%s: old.%s), or, if the new version deliberately does not carry it, say so in the .esm: event %s v%d upcast: drop %s",
				name, ch.Field, c.Event, c.Version, c.Hook, c.Event, c.Version, ch.Field,
				c.Hook, ch.GoName, ch.GoName, c.Event, c.Version+1, ch.Field)
		}
	}
}
