package es

import (
	"context"
	"strings"
	"testing"
	"unsafe"
)

// bodyID returns an id sliced from a large string, as one parsed out of a
// request's body is, and that string's first byte.
func bodyID() (id string, body *byte) {
	b := strings.Repeat("x", 1<<20) + "o-42"
	return b[1<<20:], unsafe.StringData(b)
}

// sharesBody reports whether s points into the body bodyID sliced it from.
func sharesBody(s string, body *byte) bool {
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(body))
	return p >= start && p < start+1<<20+4
}

// TestKeysCopied: the lane table and the state cache keep copies of the
// ids they are given, so that an id sliced from a request's body does not
// keep the body alive while its lane idles or its state is cached.
func TestKeysCopied(t *testing.T) {
	ls := newLanes()
	id, body := bodyID()
	l, err := ls.acquire(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	ls.release(l)
	for k := range ls.byID {
		if sharesBody(k, body) {
			t.Error("the lane table's key shares the caller's string")
		}
	}

	c := newStateCache[int](8)
	id, body = bodyID()
	c.put(id, Instance[int]{ID: id, Position: Position{Version: 1}}, -1)
	id2, body2 := bodyID() // the same id, from another body, updating the entry
	slot := c.put(id2, Instance[int]{ID: id2, Position: Position{Version: 2}}, -1)
	for k, i := range c.byID {
		inst := c.slots[i].inst
		if sharesBody(k, body) || sharesBody(inst.ID, body) || sharesBody(k, body2) || sharesBody(inst.ID, body2) {
			t.Errorf("cache entry %s (slot %d of %d) shares a caller's string", k, i, slot)
		}
	}
	if inst, _, ok := c.get("o-42"); !ok || inst.Version != 2 || inst.ID != "o-42" {
		t.Errorf("get = %+v, %t; want version 2 of o-42", inst, ok)
	}
}
