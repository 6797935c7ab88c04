// Package templates holds the text templates of the pages esgen writes
// beside the generated code, embedded in the esgen binary so that it needs
// no files at run time.
//
// aggregate.md.tmpl is the Markdown page of one aggregate, process.md.tmpl
// that of a process manager. It is executed
// by generator/diagram with a value whose fields are documented there
// (diagram.Page); every string in it is already escaped for Markdown, so
// the template only lays the page out.
package templates

import (
	"embed"
	"io/fs"
)

// AggregatePage is the name of the Markdown page template of an aggregate
// in FS.
const AggregatePage = "aggregate.md.tmpl"

// ProcessPage is the name of the Markdown page template of a process
// manager in FS.
const ProcessPage = "process.md.tmpl"

//go:embed *.tmpl
var files embed.FS

// FS returns the embedded templates, read-only.
func FS() fs.FS { return files }
