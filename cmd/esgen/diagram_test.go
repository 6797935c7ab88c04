package main

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
)

// mustLoad checks .esm text that must be clean.
func mustLoad(t *testing.T, name, src string) *dsl.File {
	t.Helper()
	f, ds := dsl.Load(name, []byte(src))
	if f == nil {
		t.Fatalf("%s:\n%v", name, ds.Err())
	}
	return f
}

// machineText declares an aggregate with a state machine, its names
// prefixed with the aggregate's so that several fit in one file.
func machineText(name string) string {
	return strings.ReplaceAll(`aggregate X {
    lives forever
    state XClosed initial
    state XOpen
    command XPush
    command XPull
    event XPushed
    event XPulled
    on XPush: XClosed -> XOpen emits XPushed
    on XPull: XOpen -> XClosed emits XPulled
}
`, "X", name)
}

// eventualText declares an eventual aggregate.
const eventualText = `eventual aggregate Metrics {
    event MetricRecorded { value float64 }
}
`

func TestDiagramPick(t *testing.T) {
	orders := mustLoad(t, "orders.esm", "package p\n"+machineText("Order"))
	graph := mustLoad(t, "graph.esm", "package p\n"+machineText("Graph")+eventualText)
	two := mustLoad(t, "two.esm", "package p\n"+machineText("Order")+machineText("Counter"))
	eventual := mustLoad(t, "metrics.esm", "package p\n"+eventualText)
	src, err := os.ReadFile("../../testdata/golden/process/booking.esm")
	if err != nil {
		t.Fatal(err)
	}
	booking := mustLoad(t, "booking.esm", string(src))

	tests := []struct {
		name    string
		f       *dsl.File
		agg     string
		want    string
		wantErr string
		usage   bool
	}{
		{name: "only machine", f: orders, want: "Order"},
		{name: "only machine beside an eventual one", f: graph, want: "Graph"},
		{name: "named", f: two, agg: "Counter", want: "Counter"},
		{name: "several need a name", f: two, usage: true,
			wantErr: "diagram: x.esm has several aggregates with a state machine; name one of Order, Counter"},
		{name: "unknown", f: two, agg: "Ordre", usage: true,
			wantErr: "diagram: x.esm has no aggregate Ordre; aggregates with a state machine: Order, Counter"},
		{name: "eventual named", f: graph, agg: "Metrics", usage: true,
			wantErr: "diagram: Metrics is an eventual aggregate: it has no state machine to draw; aggregates with a state machine: Graph"},
		{name: "no machine at all", f: eventual,
			wantErr: "diagram: x.esm has no aggregate with a state machine"},
		{name: "unknown in a file without machines", f: eventual, agg: "X", usage: true,
			wantErr: "diagram: x.esm has no aggregate X; the file has no aggregate with a state machine"},
		{name: "a process named", f: booking, agg: "Stay", want: "Stay"},
		{name: "an aggregate beside a process", f: booking, agg: "Room", want: "Room"},
		{name: "processes are listed", f: booking, usage: true,
			wantErr: "diagram: x.esm has several aggregates with a state machine; name one of Room, Charge, Stay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := diagramCmd{Aggregate: tt.agg}.pick(tt.f, "x.esm")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %s", err, tt.wantErr)
				}
				var ee exitError
				if isUsage := errors.As(err, &ee) && ee.code == exitUsage; isUsage != tt.usage {
					t.Errorf("usage error = %v, want %v", isUsage, tt.usage)
				}
				return
			}
			if err != nil || m.Name != tt.want || len(m.States) == 0 {
				t.Fatalf("pick = %v, %v; want %s", m, err, tt.want)
			}
		})
	}
}
