// Package outdir writes generated files into an output directory and
// compares them with what is already there.
//
// Write is all-or-nothing: every file is staged in memory and in temporary
// files beside its target before any target is replaced, and a failure at
// any point removes the temporary files and restores every target already
// replaced, so an output directory is never left half-written. Files whose
// bytes are already on disk are not touched (their modification time is
// kept, so build tools see no change), and files marked Once (the user's
// test skeleton) are written only when absent and never overwritten. A
// file made from what was on disk (the skeleton with the cases of new
// transitions appended) names those bytes in Set.Expect, and is written
// only over exactly them: an edit made since it was read fails the write
// (ErrChanged) and is never lost.
//
// Diff generates nothing and writes nothing: it reports every file that is
// missing or stale on disk as a unified diff. Once files are not compared:
// they belong to the user after their first write (a skeleton to which
// cases are to be added is passed as an ordinary file, and compared).
package outdir
