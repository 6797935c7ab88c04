package diagram

import "strings"

// mdEscaper escapes the characters that Markdown (CommonMark with GitHub's
// tables) would read as syntax in running text and in table cells.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "|", `\|`, "#", `\#`,
)

// mdText returns s as literal Markdown text.
func mdText(s string) string { return mdEscaper.Replace(s) }

// codeCell returns s as a Markdown code span for a table cell: as code,
// with pipes escaped (GitHub reads \| inside a code span in a table as a
// pipe, and an unescaped one as the end of the cell).
func codeCell(s string) string { return code(strings.ReplaceAll(s, "|", `\|`)) }

// code returns s as a Markdown code span in running text: the fence is
// longer than any run of backticks in s.
func code(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r", ""), "\n", " ")
	run, longest := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// htmlEscaper keeps doc comments from being read as raw HTML.
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// paragraphs returns a doc comment as Markdown paragraphs: doc comments
// are Markdown prose, kept line for line, except that raw HTML is shown
// as text; surrounding blank lines are dropped.
func paragraphs(doc string) string {
	return htmlEscaper.Replace(strings.TrimSpace(strings.ReplaceAll(doc, "\r", "")))
}

// cell returns a doc comment on one line for a table cell: line breaks
// become spaces, pipes are escaped, raw HTML is shown as text.
func cell(doc string) string {
	return strings.ReplaceAll(htmlEscaper.Replace(strings.Join(strings.Fields(doc), " ")), "|", `\|`)
}
