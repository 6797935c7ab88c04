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
// change of a 1,000-line file to its diagnostics: in rounds of 20
// changes, 18 must be answered within 100 ms. The machines that run the
// tests are shared, and a wall-clock time says little of the server when
// other processes take the cores; so a round counts only when the
// process had the CPU it asked for (its CPU time at least 80% of the
// round's wall time), and up to six rounds are measured until one
// counts. Whatever the load, the CPU time a change costs must stay
// within 50 ms, so that diagnostics arrive within 100 ms whenever the
// server has half a core.
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
	minCPU := time.Duration(-1)
	passed, counted := false, 0 // counted: failed rounds that had the CPU
	var failed []time.Duration
	for round := 1; round <= 6; round++ {
		var times []time.Duration
		cpu0, wall0 := cpuSeconds(), time.Now()
		for range 20 {
			d, _ := latency(t, c, uri, edit, v)
			v++
			times = append(times, d)
		}
		wall, cpuUsed := time.Since(wall0), -1.0
		if cpu0 >= 0 {
			cpuUsed = cpuSeconds() - cpu0
			perChange := time.Duration(cpuUsed / 20 * float64(time.Second))
			if minCPU < 0 || perChange < minCPU {
				minCPU = perChange
			}
		}
		slices.Sort(times)
		p90 := times[17]
		share := cpuUsed / wall.Seconds()
		t.Logf("round %d: median %v, 90th percentile %v, max %v; CPU %.0f%% of the wall time (20 changes)",
			round, times[len(times)/2], p90, times[len(times)-1], 100*share)
		if p90 <= 100*time.Millisecond {
			passed = true
			break
		}
		if cpuUsed < 0 || share >= 0.8 {
			counted++
			failed = times
		} // else other processes had the CPU: measure again
	}
	if !passed && counted > 0 {
		t.Errorf("the 90th percentile of the diagnostics' latency is more than 100 ms in %d rounds that had the CPU (the last: %v)", counted, failed)
	}
	if minCPU >= 0 {
		t.Logf("CPU time per change: %v", minCPU)
		if minCPU > 50*time.Millisecond {
			t.Errorf("a change costs %v of CPU time, more than 50 ms", minCPU)
		}
	}
	if !passed && counted == 0 {
		t.Log("every round shared the CPU with other processes: the wall-clock latency was not checked")
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
