//go:build !unix

package yardstick

import "time"

// processCPU cannot tell the process's CPU time here: the benchmarks do
// not report cpu-ns/op.
func processCPU() (time.Duration, bool) { return 0, false }
