//go:build !unix

package process_test

import "time"

// processCPU cannot tell the process's CPU time here: the benchmark
// reports CPU ratios of 0.
func processCPU() time.Duration { return 0 }
