package jsstore

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
)

// TestSnapshotKey: every valid id gets a key the bucket accepts, and no two
// refs share one.
func TestSnapshotKey(t *testing.T) {
	refs := []es.Ref{
		{Type: "Order", ID: "o-1"},
		{Type: "Order", ID: "a/b_c-D9"},
		{Type: "Order", ID: "=T3JkZXI"},
		{Type: "Order", ID: "Order"},
		{Type: "Order", ID: `quo"te`},
		{Type: "Order", ID: "ünï"},
		{Type: "Order", ID: "a:b"},
		{Type: "Or-der", ID: "x"},
		{Type: "Orden", ID: "o-1"},
	}
	want := []string{
		"Order.o-1",
		"Order.a/b_c-D9",
		"Order.=PVQzSmtaWEk",
		"Order.Order",
		"Order.=cXVvInRl",
		"Order.=w7xuw68",
		"Order.=YTpi",
		"Or-der.x",
		"Orden.o-1",
	}
	seen := map[string]es.Ref{}
	for i, ref := range refs {
		key := snapshotKey(ref)
		if key != want[i] {
			t.Errorf("snapshotKey(%+v) = %q, want %q", ref, key, want[i])
		}
		for j := 0; j < len(key); j++ {
			c := key[j]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '/' || c == '=' || c == '.') {
				t.Errorf("key %q has %q, which bucket keys do not allow", key, c)
			}
		}
		if other, dup := seen[key]; dup {
			t.Errorf("%+v and %+v share key %q", ref, other, key)
		}
		seen[key] = ref
	}
}
