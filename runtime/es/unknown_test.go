package es

import (
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestUnknownOutcomesBounded: the newest maxUnknownOutcomes commands are
// remembered, the older ones forgotten in the order they came; a
// command forgotten on purpose and remembered again counts from its new
// place; the keys do not share the caller's strings.
func TestUnknownOutcomesBounded(t *testing.T) {
	var u unknownOutcomes[int]
	if _, ok := u.get("a", "c"); ok {
		t.Fatal("the zero value holds a command")
	}
	u.remove("a", "c") // a no-op on the zero value
	at := func(i int) Instance[int] { return Instance[int]{State: i, Position: Position{Version: uint64(i)}} }
	for i := range maxUnknownOutcomes {
		u.put("a", strconv.Itoa(i), at(i))
	}
	u.remove("a", "0")
	u.put("a", "0", at(-1))                     // remembered again: the newest, forgetting none (it left a place)
	u.put("a", "1", at(-2))                     // remembered already: replaced in place, still the oldest
	u.put("a", "new", at(maxUnknownOutcomes))   // forgets the oldest, "1"
	u.put("a", "newer", at(maxUnknownOutcomes)) // and "2"
	for _, tc := range []struct {
		cmd   string
		state int
		ok    bool
	}{{"0", -1, true}, {"1", 0, false}, {"2", 0, false}, {"3", 3, true}, {"new", maxUnknownOutcomes, true}, {"newer", maxUnknownOutcomes, true}} {
		inst, ok := u.get("a", tc.cmd)
		if ok != tc.ok || inst.State != tc.state || (ok && inst.ID != "a") {
			t.Errorf("get(a, %s) = %+v, %t; want state %d, %t", tc.cmd, inst, ok, tc.state, tc.ok)
		}
	}
	if n := len(u.m); n != maxUnknownOutcomes || int(u.n.Load()) != n {
		t.Errorf("%d commands remembered (count %d), want %d", n, u.n.Load(), maxUnknownOutcomes)
	}

	body := strings.Repeat("x", 1<<20) + "id" + "cmd"
	id, cmd := body[1<<20:1<<20+2], body[1<<20+2:]
	u.put(id, cmd, at(7))
	for k, e := range u.m {
		if k.id == id && k.commandID == cmd {
			if unsafe.StringData(k.id) == unsafe.StringData(id) || unsafe.StringData(k.commandID) == unsafe.StringData(cmd) ||
				unsafe.StringData(e.inst.ID) == unsafe.StringData(id) {
				t.Error("a remembered command keeps the caller's string alive")
			}
		}
	}
}
