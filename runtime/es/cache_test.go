package es

import (
	"maps"
	"slices"
	"testing"
)

// contents lists the cached ids, and checks that the index and the slots
// agree.
func (c *stateCache[S]) contents(t *testing.T) []string {
	t.Helper()
	var ids []string
	for i, s := range c.slots {
		if !s.live {
			continue
		}
		if c.byID[s.inst.ID] != int32(i) {
			t.Fatalf("slot %d holds %s, which the index places in %d", i, s.inst.ID, c.byID[s.inst.ID])
		}
		ids = append(ids, s.inst.ID)
	}
	if len(ids) != len(c.byID) {
		t.Fatalf("%d live slots, %d ids indexed: %v", len(ids), len(c.byID), slices.Collect(maps.Keys(c.byID)))
	}
	slices.Sort(ids)
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

// TestStateCache: a full cache replaces the first entry not used since the
// hand last passed (CLOCK), so an entry used again survives one not used;
// an older state does not replace a newer one; removed entries free their
// slot for the next one; a put's slot hint is used only while the slot
// holds the same aggregate.
func TestStateCache(t *testing.T) {
	tests := []struct {
		name      string
		size      int
		ops       []cacheOp
		want      []string // cached ids, sorted
		versions  map[string]uint64
		wantSlots int
	}{
		{"fills", 3, []cacheOp{put("a", 1), put("b", 1), put("c", 1)},
			[]string{"a", "b", "c"}, nil, 3},
		{"replaces an unused entry", 2, []cacheOp{put("a", 1), put("b", 1), get("a"), put("c", 1)},
			[]string{"a", "c"}, nil, 2},
		{"gives a used entry a second chance", 2, []cacheOp{put("a", 1), put("b", 1), put("c", 1), get("b"), put("d", 1)},
			// c replaced a; the hand cleared b, which is used again, so d replaces c.
			[]string{"b", "d"}, nil, 2},
		{"with all entries used, the hand goes round", 2, []cacheOp{put("a", 1), put("b", 1), get("a"), get("b"), put("c", 1)},
			[]string{"b", "c"}, nil, 2},
		{"a newer state is stored", 2, []cacheOp{put("a", 1), put("a", 2)},
			[]string{"a"}, map[string]uint64{"a": 2}, 1},
		{"an older state is ignored", 3, []cacheOp{put("a", 5), put("a", 4)},
			[]string{"a"}, map[string]uint64{"a": 5}, 1},
		{"remove frees a slot", 3, []cacheOp{put("a", 1), put("b", 1), put("c", 1), remove("b"), put("d", 1)},
			[]string{"a", "c", "d"}, nil, 3},
		{"remove all, then refill", 2, []cacheOp{put("a", 1), put("b", 1), remove("a"), remove("b"), put("c", 1), put("d", 1), put("e", 1)},
			// c and d reuse the freed slots 1 and 0; neither is used
			// again, and the hand, at slot 0, replaces d.
			[]string{"c", "e"}, nil, 2},
		{"a miss changes nothing", 2, []cacheOp{put("a", 1), get("x"), remove("x")},
			[]string{"a"}, nil, 1},
		{"size 0 caches nothing", 0, []cacheOp{put("a", 1)},
			nil, nil, 0},
		{"size 1", 1, []cacheOp{put("a", 1), get("a"), put("b", 1)},
			[]string{"b"}, nil, 1},
		{"a hint to the right slot", 2, []cacheOp{put("a", 1), put("b", 1), putAt("a", 2, 0)},
			[]string{"a", "b"}, map[string]uint64{"a": 2, "b": 1}, 2},
		{"a hint to a slot reused by another aggregate", 1, []cacheOp{put("a", 1), put("b", 1), putAt("a", 2, 0)},
			[]string{"a"}, map[string]uint64{"a": 2}, 1},
		{"a hint to a freed slot", 2, []cacheOp{put("a", 1), put("b", 1), remove("a"), putAt("a", 2, 0)},
			[]string{"a", "b"}, map[string]uint64{"a": 2, "b": 1}, 2},
		{"a hint past the slots", 2, []cacheOp{put("a", 1), putAt("b", 3, 7)},
			[]string{"a", "b"}, map[string]uint64{"a": 1, "b": 3}, 2},
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
			if got := c.contents(t); !slices.Equal(got, tt.want) {
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
