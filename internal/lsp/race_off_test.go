//go:build !race

package lsp

// raceEnabled is set when the tests run with the race detector, which
// slows the server several times: latencies are not measured then.
const raceEnabled = false
