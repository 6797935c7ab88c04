package timers_test

import "testing"

// skipTimedUnderRace skips a test that holds the server's scheduler or a
// killed child to bounds of a few hundred milliseconds when the race
// detector slows the code (and the embedded server) down 2 to 20 times:
// the plain `go test ./...` of CI runs it, the race run looks for data
// races in the rest.
func skipTimedUnderRace(t *testing.T) {
	t.Helper()
	if raceDetector {
		t.Skip("its time bounds assume code without the race detector; go test without -race runs it")
	}
}
