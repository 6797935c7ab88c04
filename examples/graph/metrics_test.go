package graph

import (
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/google/go-cmp/cmp"
)

// TestMetricsLog appends Metrics events through two logs on one in-memory
// store, as two processes would: versions stay contiguous, one Append is one
// atomic append (its events share a sequence), metadata is recorded, and the
// history decodes to the events appended.
func TestMetricsLog(t *testing.T) {
	ctx := t.Context()
	store := memstore.New()
	contract.CheckStored(t, store)
	at := time.Date(2026, time.April, 7, 14, 0, 0, 0, time.UTC)
	stamp := es.WithClock(func() time.Time { return at })
	first, second := NewMetricsLog(store, stamp), NewMetricsLog(store, stamp)

	appends := []struct {
		log    *MetricsLog
		events []MetricsEvent
		actor  string
	}{
		{first, []MetricsEvent{
			MetricRecorded{Name: "nodes", Value: 3, At: at},
			MetricRecorded{Name: "edges", Value: 1.5, At: at},
		}, "collector-1"},
		{second, []MetricsEvent{MetricRecorded{Name: "nodes", Value: 4, At: at.Add(time.Minute)}}, "collector-2"},
		{first, []MetricsEvent{MetricsReset{}}, "operator"}, // first's position is stale: it rereads
		{second, []MetricsEvent{MetricRecorded{Name: "nodes", Value: 0, At: at.Add(2 * time.Minute)}}, "collector-2"},
	}
	var want []MetricsEvent
	for i, a := range appends {
		recs, err := a.log.Append(ctx, "graph-activity", a.events, es.WithActor(a.actor))
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		if len(recs) != len(a.events) {
			t.Fatalf("append %d stored %d records, want %d", i, len(recs), len(a.events))
		}
		want = append(want, a.events...)
	}

	recs, got, err := first.History(ctx, "graph-activity")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("History events (-want +got):\n%s", diff)
	}
	type meta struct {
		Version, Sequence uint64
		Type, Actor       string
	}
	var gotMeta []meta
	for _, r := range recs {
		if r.AggregateType != "Metrics" || r.AggregateID != "graph-activity" || !r.Time.Equal(at) || r.SchemaVersion != 1 || r.EventID == "" {
			t.Errorf("record %d metadata = %+v", r.Version, r.Metadata)
		}
		gotMeta = append(gotMeta, meta{r.Version, r.Sequence, r.EventType, r.Actor})
	}
	wantMeta := []meta{
		{1, 1, "MetricRecorded", "collector-1"},
		{2, 1, "MetricRecorded", "collector-1"},
		{3, 2, "MetricRecorded", "collector-2"},
		{4, 3, "MetricsReset", "operator"},
		{5, 4, "MetricRecorded", "collector-2"},
	}
	if diff := cmp.Diff(wantMeta, gotMeta); diff != "" {
		t.Errorf("History metadata (-want +got):\n%s", diff)
	}
	if recs[0].EventID == recs[1].EventID {
		t.Errorf("two events share the id %s", recs[0].EventID)
	}
}
