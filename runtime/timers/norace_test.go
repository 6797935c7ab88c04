//go:build !race

package timers_test

// slowdown scales the durations of the JetStream conformance suite (see
// race_test.go).
const slowdown = 1

// raceDetector is true in a build with the race detector.
const raceDetector = false
