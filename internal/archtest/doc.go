// Package archtest holds the test that keeps docs/architecture.md true:
// every import of every package of the module, and of the code esgen
// generates, must be an arrow of its diagram, and every arrow an import.
package archtest
