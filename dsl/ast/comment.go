package ast

import "strings"

// Comment is one `//` comment, up to the end of its line.
type Comment struct {
	Pos  Position
	Text string // as written, starting with "//", trailing spaces removed
	// Trailing is set when a token precedes the comment on its line.
	Trailing bool
}

// CommentGroup is a block of comments on consecutive lines with no blank
// line and no token between them, or a single trailing comment.
type CommentGroup struct {
	List []*Comment
}

// Pos returns the position of the first comment.
func (g *CommentGroup) Pos() Position { return g.List[0].Pos }

// Text returns the text of the comments without the comment markers: the
// "//" and one following space are removed from each line, directives
// (IsDirective) are left out, lines are joined with newlines, and leading
// and trailing blank lines are dropped.
func (g *CommentGroup) Text() string {
	if g == nil {
		return ""
	}
	lines := make([]string, 0, len(g.List))
	for _, c := range g.List {
		if IsDirective(c.Text) {
			continue
		}
		t := strings.TrimPrefix(c.Text, "//")
		t = strings.TrimPrefix(t, " ")
		lines = append(lines, strings.TrimRight(t, " \t"))
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}
