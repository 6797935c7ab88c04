// Package lsp is the language server of .esm files that `esgen lsp`
// runs: Serve speaks the Language Server Protocol (3.16) on one stream
// and answers with what the dsl package knows of the files, as esgen
// check and esgen fmt do: diagnostics as the text changes, hover, go to
// definition, references, rename, completion in on clauses, formatting
// and a quick fix for each did-you-mean. docs/lsp.md describes it for
// its users.
//
// A document is checked with the other .esm files of its directory, its
// package, each the editor's text when it is open, else the file on
// disk. The server keeps each file's syntax tree and an index of the
// names written in it (index.go), built from the tree without the
// checker so that it works on files that check with errors; names of
// aggregates and their members are found across the files of the
// package by the aggregate's name.
//
// The protocol's types and method dispatch are glsp's protocol_3_16
// package; the JSON-RPC connection is sourcegraph/jsonrpc2's. Messages
// are handled one at a time, in the order they arrive.
package lsp
