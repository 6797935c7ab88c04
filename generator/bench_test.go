package generator

import (
	"bytes"
	"context"
	"fmt"
	"syscall"
	"testing"

	"github.com/esgen/esgen/dsl"
)

// benchModel is a generated aggregate of n states and 5n transitions, each
// state the source of five transitions to pseudo-randomly chosen states (so
// that shortest histories, which the test skeleton writes out, stay short).
// Its vocabulary is that of a large real machine: n/10 commands and n/10
// events, at most 100 each; with distinctEvents, every transition emits an
// event of its own instead (5n events). States and events carry two
// fields, a slice of a value type and a string, so that Evolve has fields
// to copy and the codecs have work to do.
func benchModel(n int, distinctEvents bool) *dsl.File {
	b := newModel("bench.esm", "bench")
	item := b.value("Item", "", fd("sku", tb("string")), fd("qty", tb("int")))
	a := b.aggregate("Machine", "")
	states := make([]*dsl.State, n)
	for i := range states {
		states[i] = a.state(fmt.Sprintf("S%d", i), "", i == 0, false, fd("items", tslice(tv(item))), fd("note", tb("string")))
	}
	commands := make([]*dsl.Command, min(100, max(1, n/10)))
	for i := range commands {
		commands[i] = a.command(fmt.Sprintf("C%d", i), "", fd("note", tb("string")))
	}
	event := func(i int) *dsl.Event {
		return a.event(fmt.Sprintf("E%d", i), "", ver("", false, fd("items", tslice(tv(item))), fd("note", tb("string"))))
	}
	var events []*dsl.Event
	if !distinctEvents {
		events = make([]*dsl.Event, len(commands))
		for i := range events {
			events[i] = event(i)
		}
	}
	for i := range 5 * n {
		src := states[i/5]
		to := states[(i/5*7+(i%5)*13+1)%n]
		var ev *dsl.Event
		if distinctEvents {
			ev = event(i)
		} else {
			// The five transitions of a state emit five different events,
			// so that each (state, event) pair has one target.
			ev = events[(i/5+(i%5)*(len(events)/5+1))%len(events)]
		}
		a.on(commands[(i/5+i%5)%len(commands)], "", br(from(src), to, ev))
	}
	return b.f
}

// BenchmarkGenerate generates the code of benchModel at two sizes, ten
// times apart, to show that generation scales linearly, and the larger one
// with an event per transition, the worst case for output size.
func BenchmarkGenerate(b *testing.B) {
	for _, bm := range []struct {
		n        int
		distinct bool
	}{{100, false}, {1000, false}, {1000, true}} {
		f := benchModel(bm.n, bm.distinct)
		name := fmt.Sprintf("states=%d/transitions=%d", bm.n, 5*bm.n)
		if bm.distinct {
			name += "/distinct_events"
		}
		b.Run(name, func(b *testing.B) {
			var lines int
			cpu := cpuTime()
			for b.Loop() {
				files, err := Generate(context.Background(), f, Options{})
				if err != nil {
					b.Fatal(err)
				}
				lines = 0
				for _, file := range files {
					lines += bytes.Count(file.Data, []byte("\n"))
				}
			}
			b.ReportMetric(float64(lines), "lines")
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system, in
// nanoseconds: on a shared machine it measures the work of an operation
// when wall time (ns/op) also measures the other processes.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
