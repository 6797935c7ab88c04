package dsl

import "testing"

// TestIsName pins which words a rename may use.
func TestIsName(t *testing.T) {
	for s, want := range map[string]bool{
		"Order": true, "order_id": true, "_x": true, "Été": true, "v2": true, "process": true, "id": true,
		"": false, "state": false, "on": false, "a b": false, "1a": false, "a.b": false, "a//c": false,
		"a-b": false, "\"a\"": false, " a": false, "a\n": false, "30m": false, "é\u00a0": false,
	} {
		if got := IsName(s); got != want {
			t.Errorf("IsName(%q) = %v, want %v", s, got, want)
		}
	}
}
