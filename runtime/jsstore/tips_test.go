package jsstore

import (
	"strconv"
	"testing"

	"github.com/esgen/esgen/runtime/es"
)

// TestTips: a tip is replaced by a newer one, by an older one only when
// that is known to be the newest (a stream made again), and the map keeps
// at most maxTips aggregates, the one set last among them.
func TestTips(t *testing.T) {
	var ts tips
	ref := es.Ref{Type: "T", ID: "a"}
	if _, ok := ts.get(ref); ok {
		t.Fatal("a tip in an empty map")
	}
	ts.set(ref, 10, 3, false)
	ts.set(ref, 7, 2, false)
	if got, _ := ts.get(ref); got != (tip{10, 3}) {
		t.Errorf("after an older tip: %+v, want {10 3}", got)
	}
	ts.set(ref, 12, 4, false)
	if got, _ := ts.get(ref); got != (tip{12, 4}) {
		t.Errorf("after a newer tip: %+v, want {12 4}", got)
	}
	ts.set(ref, 5, 1, true)
	if got, _ := ts.get(ref); got != (tip{5, 1}) {
		t.Errorf("after an older tip known to be the newest: %+v, want {5 1}", got)
	}
	for i := range maxTips + 10 {
		ts.set(es.Ref{Type: "T", ID: strconv.Itoa(i)}, uint64(i+1), 1, true)
	}
	if len(ts.m) != maxTips {
		t.Errorf("%d tips kept, want %d", len(ts.m), maxTips)
	}
	if got, ok := ts.get(es.Ref{Type: "T", ID: strconv.Itoa(maxTips + 9)}); !ok || got.seq != maxTips+10 {
		t.Errorf("the tip set last: %+v %t", got, ok)
	}
}
