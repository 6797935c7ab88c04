package jsstore_test

import (
	"testing"

	"github.com/esgen/esgen/runtime/jsstore"
)

func TestIsTombstone(t *testing.T) {
	envelope := []byte{0xE5, 1}
	for _, c := range []struct {
		subject string
		data    []byte
		want    bool
	}{
		{"events.archived.Order.o-1", []byte(`{"v":3}`), true},
		{"events.archived.Order.o-1", envelope, false},          // an envelope is never a tombstone
		{"events.archived.o-1", envelope, false},                // an event of an aggregate of type archived
		{"events.archived.o-1", []byte(`{"v":3}`), false},       // no type and id
		{"events.archived.Order.o.1", []byte(`{"v":3}`), false}, // an id is one token
		{"other.archived.Order.o-1", []byte(`{"v":3}`), false},  // another prefix
		{"events.Order.o-1", []byte(`{"v":3}`), false},
		{"events.archived.Order.o-1", nil, false},
	} {
		if got := jsstore.IsTombstone("events", c.subject, c.data); got != c.want {
			t.Errorf("IsTombstone(%q, % x) = %v, want %v", c.subject, c.data, got, c.want)
		}
	}
}
