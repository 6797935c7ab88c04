//go:build race

package jsstore_test

// raceDetector is true in a build with the race detector, which makes the
// code 2 to 20 times slower: the acceptance tests that run at scale run
// smaller there (CI runs them at full size without it).
const raceDetector = true
