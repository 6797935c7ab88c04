package es

import (
	"context"
	"iter"
)

// Scanner is a Store that can read every record it holds, of every
// aggregate, in the order stored: what a reader of the whole store needs
// (the trail of one business transaction across aggregates, an in-memory
// feed of a process manager). Both stores of this module implement it.
type Scanner interface {
	// Scan yields every stored record whose Sequence is greater than
	// after, of every aggregate, in the order of their sequences (the
	// events of one append in their order), as stored when Scan is
	// called. A failure yields one error and ends the loop; breaking out
	// of the loop stops reading. It reads the whole store from after on:
	// its cost grows with the store, not with what the caller keeps.
	Scan(ctx context.Context, after uint64) iter.Seq2[Record, error]
}
