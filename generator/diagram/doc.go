// Package diagram draws the state machine of a checked .esm aggregate and
// writes its documentation page: canonical DOT and Mermaid text (through
// runtime/machine, so running programs draw the same text), and a Markdown
// page from templates/aggregate.md.tmpl. SVG rendering lives in the
// sub-package svg, so that only programs that need pictures link Graphviz.
//
// Eventual aggregates have no state machine: Machine returns a machine with
// a name and no states, DOT and Mermaid draw an empty diagram, HasMachine
// reports false, and Markdown writes the events part of the page only.
package diagram
