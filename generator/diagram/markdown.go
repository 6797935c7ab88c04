package diagram

import (
	"bytes"
	"fmt"
	"text/template"

	"github.com/esgen/esgen/internal/marker"
	"github.com/esgen/esgen/templates"
)

// Markdown returns the Markdown page of a page built by NewPage, laid out
// by templates/aggregate.md.tmpl.
func Markdown(p Page) ([]byte, error) { return markdown(p, "") }

// markdown is Markdown marked as generated from the .esm file source (see
// internal/marker; none when empty).
func markdown(p Page, source string) ([]byte, error) {
	t, err := template.New(templates.AggregatePage).Option("missingkey=error").ParseFS(templates.FS(), templates.AggregatePage)
	if err != nil {
		return nil, fmt.Errorf("diagram: parse %s: %w", templates.AggregatePage, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("diagram: page of %s: %w", p.Name, err)
	}
	return markPage(collapseBlankLines(b.Bytes()), source), nil
}

// markPage puts the generated-file comments, and a blank line, above a
// page.
func markPage(md []byte, source string) []byte {
	return marker.XML.Mark(append([]byte("\n"), md...), source)
}

// collapseBlankLines turns runs of blank lines into one and ends the text
// with exactly one newline, so that the template can be written for
// readability without its conditionals leaving gaps in the page.
func collapseBlankLines(b []byte) []byte {
	lines := bytes.Split(b, []byte("\n"))
	out := make([]byte, 0, len(b))
	blank := true // drop blank lines at the start
	inFence := false
	for _, l := range lines {
		if bytes.HasPrefix(l, []byte("```")) {
			inFence = !inFence
		}
		isBlank := len(bytes.TrimSpace(l)) == 0
		if isBlank && blank && !inFence {
			continue
		}
		blank = isBlank
		out = append(out, l...)
		out = append(out, '\n')
	}
	return append(bytes.TrimRight(out, "\n"), '\n')
}
