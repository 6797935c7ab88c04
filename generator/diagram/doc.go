// Package diagram draws the state machine of a checked .esm aggregate and
// writes its documentation page: canonical DOT and Mermaid text (through
// runtime/machine, so running programs draw the same text), and a Markdown
// page from templates/aggregate.md.tmpl (see Page). Files returns all of
// them for a file, in the formats asked for, as the files esgen generate
// writes beside the code.
//
// SVG rendering lives in the sub-package svg and reaches Files as
// Options.RenderSVG, so that drawing text never links Graphviz. This
// package does not import package generator either (generator may use it):
// Files returns its own File type.
//
// Eventual aggregates have no state machine: Machine returns a machine with
// a name and no states, HasMachine reports false, Files writes no picture
// for them, and their page documents their events only.
package diagram
