package yardstick

import (
	"runtime/debug"
	"testing"
)

// The yardstick: the orders workload of the outside harness of issue 11,
// run through esgen and through hand-written references in one process and
// one run, so that each ratio compares like with like under the same load.
// Every JetStream benchmark starts its own embedded server (file storage in
// a temporary directory, default sync). Command and results:
// docs/benchmarks.md.
//
//	go test -run '^$' -bench . -benchmem -count 5 ./bench/yardstick > yard.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl yard.txt

// Sizes of the replay: orders interleaved, events each.
const (
	replayOrders = 10
	replayEvents = 1000
)

// BenchmarkHotCommand: AddNote on a cached order on JetStream (impl=esgen,
// Repository.Handle) against a checked publish of the same payload
// (impl=raw).
func BenchmarkHotCommand(b *testing.B) {
	run(b, hotJS(newJSEnv(b)))
}

// BenchmarkLifecycle: Submit, ValidatePayment and Fulfill on a new order
// on JetStream (impl=esgen) against three checked publishes on a new
// subject (impl=raw).
func BenchmarkLifecycle(b *testing.B) {
	run(b, lifecycleJS(newJSEnv(b)))
}

// BenchmarkReplay: the 1,000 events of one order among 10,000 of ten
// interleaved orders, read whole: Repository.Load with nothing cached and
// no snapshot (impl=esgen), against batched direct gets of the raw
// payloads on one reused subscription (impl=raw) and of esgen's own
// messages (impl=raw-envelopes).
func BenchmarkReplay(b *testing.B) {
	env := newJSEnv(b)
	run(b, replayJS(b, env, replayOrders, replayEvents))
}

// BenchmarkMemoryHotCommand: AddNote on a cached order on the in-memory
// store (impl=esgen; impl=esgen-cmdid with a command id from the caller)
// against the hand-written handler (impl=handwritten).
func BenchmarkMemoryHotCommand(b *testing.B) {
	run(b, hotMemory())
}

// run benchmarks each implementation as sub-benchmark impl=<name>. Beside
// time and allocations, each reports cpu-ns/op: the CPU time the whole
// process (benchmark, client library, embedded server, garbage collector)
// spent per operation. On two cores the server works while the client
// decodes, so wall time hides work that CPU time shows, and that another
// process's load on the machine would expose.
func run(b *testing.B, impls []impl) {
	for _, im := range impls {
		b.Run("impl="+im.name, func(b *testing.B) {
			p := im.setup(b)
			// Each implementation starts with no free memory kept from the
			// one before: the first to run would otherwise grow the heap
			// from the operating system (and fault every new page in) while
			// the later ones reuse the pages the earlier ones freed. In the
			// in-memory benchmark, whose stores keep every event, that
			// alone made the first implementation up to 1.5 times slower.
			debug.FreeOSMemory()
			b.ReportAllocs()
			cpu0, ok := processCPU()
			for b.Loop() {
				if err := p.op(); err != nil {
					b.Fatal(err)
				}
			}
			if cpu1, ok1 := processCPU(); ok && ok1 {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
