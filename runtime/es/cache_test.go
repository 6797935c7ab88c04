package es

import (
	"slices"
	"testing"
)

// order lists the cached ids from most to least recently used, and checks
// that the links agree both ways and with the index.
func (c *stateCache[S]) order(t *testing.T) []string {
	t.Helper()
	var ids []string
	prev := int32(-1)
	for i := c.head; i >= 0; i = c.slots[i].next {
		s := c.slots[i]
		if s.prev != prev {
			t.Fatalf("slot %d (%s) links back to %d, want %d", i, s.inst.ID, s.prev, prev)
		}
		if c.byID[s.inst.ID] != i {
			t.Fatalf("slot %d holds %s, which the index places in %d", i, s.inst.ID, c.byID[s.inst.ID])
		}
		ids = append(ids, s.inst.ID)
		prev = i
	}
	if c.tail != prev || len(ids) != len(c.byID) {
		t.Fatalf("tail %d after walking to %d; %d ids listed, %d indexed", c.tail, prev, len(ids), len(c.byID))
	}
	return ids
}

type cacheOp struct {
	do      string // get, put, remove
	id      string
	version uint64
	hint    int32 // for put
}

func put(id string, version uint64) cacheOp { return cacheOp{"put", id, version, -1} }
func putAt(id string, version uint64, hint int32) cacheOp {
	return cacheOp{"put", id, version, hint}
}
func get(id string) cacheOp    { return cacheOp{do: "get", id: id} }
func remove(id string) cacheOp { return cacheOp{do: "remove", id: id} }

// TestStateCache: least recently used entries leave first; a hit, a put
// and a newer state renew an entry; an older state does not replace a
// newer one; removed entries free their slot for the next one; a put's
// slot hint is used only while the slot holds the same aggregate.
func TestStateCache(t *testing.T) {
	tests := []struct {
		name      string
		size      int
		ops       []cacheOp
		want      []string // most recent first
		versions  map[string]uint64
		wantSlots int
	}{
		{"fills in order", 3, []cacheOp{put("a", 1), put("b", 1), put("c", 1)},
			[]string{"c", "b", "a"}, nil, 3},
		{"evicts the least recently used", 2, []cacheOp{put("a", 1), put("b", 1), put("c", 1)},
			[]string{"c", "b"}, nil, 2},
		{"a hit renews", 2, []cacheOp{put("a", 1), put("b", 1), get("a"), put("c", 1)},
			[]string{"c", "a"}, nil, 2},
		{"a put renews", 2, []cacheOp{put("a", 1), put("b", 1), put("a", 2), put("c", 1)},
			[]string{"c", "a"}, map[string]uint64{"a": 2}, 2},
		{"an older state is ignored", 3, []cacheOp{put("a", 5), put("a", 4)},
			[]string{"a"}, map[string]uint64{"a": 5}, 1},
		{"remove frees a slot", 3, []cacheOp{put("a", 1), put("b", 1), put("c", 1), remove("b"), put("d", 1)},
			[]string{"d", "c", "a"}, nil, 3},
		{"remove head and tail", 3, []cacheOp{put("a", 1), put("b", 1), put("c", 1), remove("c"), remove("a")},
			[]string{"b"}, nil, 3},
		{"remove all, then refill", 2, []cacheOp{put("a", 1), put("b", 1), remove("a"), remove("b"), put("c", 1), put("d", 1), put("e", 1)},
			[]string{"e", "d"}, nil, 2},
		{"a miss changes nothing", 2, []cacheOp{put("a", 1), get("x"), remove("x")},
			[]string{"a"}, nil, 1},
		{"size 0 caches nothing", 0, []cacheOp{put("a", 1)},
			nil, nil, 0},
		{"size 1", 1, []cacheOp{put("a", 1), put("b", 1), get("b")},
			[]string{"b"}, nil, 1},
		{"a hint to the right slot", 2, []cacheOp{put("a", 1), put("b", 1), putAt("a", 2, 0)},
			[]string{"a", "b"}, map[string]uint64{"a": 2, "b": 1}, 2},
		{"a hint to a slot reused by another aggregate", 1, []cacheOp{put("a", 1), put("b", 1), putAt("a", 2, 0)},
			[]string{"a"}, map[string]uint64{"a": 2}, 1},
		{"a hint to a freed slot", 2, []cacheOp{put("a", 1), put("b", 1), remove("a"), putAt("a", 2, 0)},
			[]string{"a", "b"}, map[string]uint64{"a": 2, "b": 1}, 2},
		{"a hint past the slots", 2, []cacheOp{put("a", 1), putAt("b", 3, 7)},
			[]string{"b", "a"}, map[string]uint64{"a": 1, "b": 3}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newStateCache[int](tt.size)
			for _, o := range tt.ops {
				switch o.do {
				case "get":
					inst, slot, ok := c.get(o.id)
					if ok != (inst.ID == o.id) || ok != (slot >= 0) {
						t.Fatalf("get(%s) = %+v, %d, %t", o.id, inst, slot, ok)
					}
				case "put":
					c.put(o.id, Instance[int]{ID: o.id, State: int(o.version), Position: Position{Version: o.version}}, o.hint)
				case "remove":
					c.remove(o.id)
				}
			}
			if got := c.order(t); !slices.Equal(got, tt.want) {
				t.Errorf("cache holds %q, want %q", got, tt.want)
			}
			for id, v := range tt.versions {
				if inst, _, ok := c.get(id); !ok || inst.ID != id || inst.Version != v || inst.State != int(v) {
					t.Errorf("get(%s) = %+v, %t; want version %d", id, inst, ok, v)
				}
			}
			if len(c.slots) != tt.wantSlots {
				t.Errorf("%d slots allocated, want %d", len(c.slots), tt.wantSlots)
			}
		})
	}
}
