//go:build !unix

package lsp

// cpuSeconds is the CPU time the process has used; -1: this system's is
// not read.
func cpuSeconds() float64 { return -1 }
