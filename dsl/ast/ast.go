// Package ast is the syntax tree of a .esm file as parsed, before names are
// resolved. Every node carries its position. (Placeholder until the grammar lands.)
package ast

// File is a parsed .esm file.
type File struct{}
