package lsp

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/esgen/esgen/dsl"
)

// bigFile returns a .esm file of exactly lines lines that checks clean:
// aggregates of about a hundred lines each, every state with fields and
// a doc comment, a command, an event and an on clause per state, and a
// process reacting to the first aggregate's events. It also returns the
// line (0-based) and column of a state name in an on clause, to edit.
func bigFile(lines int) (string, protocol.Position) {
	var b strings.Builder
	n := 0
	line := func(format string, args ...any) {
		fmt.Fprintf(&b, format+"\n", args...)
		n++
	}
	line("// Package big is generated to measure the language server.")
	line("package big")
	line("")
	line(`import "time"`)
	line("")
	var edit protocol.Position
	const steps = 10 // states per aggregate: 10 per step, 105 lines per aggregate
	for a := 0; n+110 < lines-20; a++ {
		A := fmt.Sprintf("Agg%d", a)
		line("// %s is aggregate number %d.", A, a)
		line("aggregate %s {", A)
		line("    id string")
		line("    // %sDraft is where it starts.", A)
		line("    state %sDraft initial", A)
		for i := 1; i <= steps; i++ {
			final := ""
			if i == steps {
				final = " final"
			}
			line("    // %sStep%d is step %d of %d.", A, i, i, steps)
			line("    state %sStep%d%s {", A, i, final)
			line("        count int")
			line("        at    time.Time")
			line("    }")
		}
		for i := 1; i <= steps; i++ {
			line("    command %sAdvance%d { count int; at time.Time }", A, i)
		}
		for i := 1; i <= steps; i++ {
			line("    // %sAdvanced%d records step %d.", A, i, i)
			line("    event %sAdvanced%d { count int; at time.Time }", A, i)
		}
		for i := 1; i <= steps; i++ {
			from := fmt.Sprintf("%sStep%d", A, i-1)
			if i == 1 {
				from = A + "Draft"
			}
			if a == 0 && i == steps/2 {
				edit = protocol.Position{Line: protocol.UInteger(n), Character: protocol.UInteger(len(fmt.Sprintf("    on %sAdvance%d: ", A, i)))}
			}
			line("    on %sAdvance%d: %s -> %sStep%d emits %sAdvanced%d", A, i, from, A, i, A, i)
		}
		line("}")
		line("")
	}
	line("// Watch follows aggregate Agg0.")
	line("process Watch {")
	line("    correlate Agg0 by id")
	line("    state Idle initial")
	line("    state Seen final")
	line("    on Agg0.Agg0Advanced1: Idle -> Seen")
	line("}")
	for n < lines {
		line("// padding %d", n)
	}
	return b.String(), edit
}

// TestBigFile checks the generated file: its size and that it is clean.
func TestBigFile(t *testing.T) {
	src, edit := bigFile(1000)
	if got := strings.Count(src, "\n"); got != 1000 {
		t.Errorf("%d lines, want 1000", got)
	}
	if _, ds := dsl.Load("big.esm", []byte(src)); len(ds) != 0 {
		t.Errorf("the big file has diagnostics:\n%v", ds)
	}
	lineText := strings.Split(src, "\n")[edit.Line]
	if !strings.HasPrefix(lineText[edit.Character:], "Agg0Step4 -> ") {
		t.Errorf("the edit is at %q", lineText[edit.Character:])
	}
}

// latency sends one change of the big file and returns how long the
// diagnostics of its version took to arrive, and how many there were.
// Odd versions misspell a state, even ones spell it right again.
func latency(tb testing.TB, c *testClient, uri string, edit protocol.Position, version int) (time.Duration, int) {
	rng := protocol.Range{Start: edit, End: protocol.Position{Line: edit.Line, Character: edit.Character + 9}}
	text := "Agg0Step4"
	if version%2 == 1 {
		text = "Agg0Stepp"
	}
	start := time.Now()
	p := c.changeP(uri, version, &rng, text)
	ds, elapsed := p.Diagnostics, p.arrived.Sub(start)
	if want := version % 2; len(ds) < want || want == 0 && len(ds) != 0 {
		tb.Fatalf("version %d: %d diagnostics", version, len(ds))
	}
	return elapsed, len(ds)
}

// TestDiagnosticsLatency measures, through the protocol, the time from a
// change of a 1,000-line file to its diagnostics, and requires 18 of 20
// changes in a row to be answered within 100 ms. The machines that run
// the tests are shared: a round spoilt by other processes is measured
// again, up to five rounds. A server that needs more than 100 ms of work
// per change fails every round.
func TestDiagnosticsLatency(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector slows the server several times")
	}
	src, edit := bigFile(1000)
	c := startServer(t)
	c.initialize()
	const uri = "untitled:big.esm"
	c.open(uri, src)
	v := 2
	for round := 1; ; round++ {
		var times []time.Duration
		for range 20 {
			d, _ := latency(t, c, uri, edit, v)
			v++
			times = append(times, d)
		}
		slices.Sort(times)
		p90 := times[17]
		t.Logf("round %d: diagnostics of a 1,000-line file after a change: median %v, 90th percentile %v, max %v (20 changes)",
			round, times[len(times)/2], p90, times[len(times)-1])
		if p90 <= 100*time.Millisecond {
			return
		}
		if round == 5 {
			t.Fatalf("the 90th percentile of the diagnostics' latency is %v, more than 100 ms, in 5 rounds (last: %v)", p90, times)
		}
	}
}

// BenchmarkDiagnosticsAfterChange measures, through the protocol, one
// change of a 1,000-line file and the wait for its diagnostics. Besides
// the time, it reports the CPU time the process spent per change
// (server and test client, as the system counts it), which depends less
// on what else the machine runs.
func BenchmarkDiagnosticsAfterChange(b *testing.B) {
	src, edit := bigFile(1000)
	c := startServer(b)
	c.initialize()
	const uri = "untitled:big.esm"
	c.open(uri, src)
	v := 2
	cpu0 := cpuSeconds()
	b.ResetTimer()
	for b.Loop() {
		latency(b, c, uri, edit, v)
		v++
	}
	if cpu0 >= 0 {
		b.ReportMetric((cpuSeconds()-cpu0)*1000/float64(b.N), "cpu-ms/op")
	}
}
