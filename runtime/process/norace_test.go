//go:build !race

package process_test

// raceDetector reports a test binary built with -race (see race_test.go).
const raceDetector = false
