package ast

import "strings"

// Directive is a comment addressed to esgen rather than to readers: a
// comment `// esgen:NAME ARGS`, such as `// esgen:ignore W003 the
// participle is ours`. CommentGroup.Text leaves directives out of doc
// comments, so they never reach generated code or pages.
type Directive struct {
	Comment *Comment
	// Target is the position of the first token of the declaration the
	// directive is attached to: the one it is the doc comment of, or the
	// one whose first line it ends. Target.Line is 0 when it is attached
	// to none.
	Target Position
}

// DirectivePrefix starts the text of a directive after `//` and optional
// blanks.
const DirectivePrefix = "esgen:"

// IsDirective reports whether a comment's text, `//` included, is a
// directive: `//`, optional blanks, "esgen:" and a letter.
func IsDirective(text string) bool {
	rest, ok := strings.CutPrefix(text, "//")
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(strings.TrimLeft(rest, " \t"), DirectivePrefix)
	return ok && rest != "" && ('a' <= rest[0] && rest[0] <= 'z' || 'A' <= rest[0] && rest[0] <= 'Z')
}
