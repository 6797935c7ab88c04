//go:build !race

package jsstore_test

// raceDetector is true in a build with the race detector (race_test.go).
const raceDetector = false
