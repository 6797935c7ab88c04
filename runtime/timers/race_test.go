//go:build race

package timers_test

// slowdown scales the durations of the JetStream conformance suite: the
// race detector makes the code 2 to 20 times slower, and the suite's
// timers are due a few Units after the calls that arm them, so the calls
// must stay well within a Unit.
const slowdown = 4

// raceDetector is true in a build with the race detector.
const raceDetector = true
