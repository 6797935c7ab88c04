//go:build race

package process_test

// raceDetector reports a test binary built with -race, which runs the
// code 2 to 20 times slower.
const raceDetector = true
