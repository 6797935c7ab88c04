package lsp

import (
	"unicode/utf16"
	"unicode/utf8"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// text is a document's content with the byte offsets of its lines, to
// convert between byte offsets (what dsl positions carry) and LSP
// positions (0-based lines, columns in UTF-16 code units).
type text struct {
	src   string
	lines []int // byte offset of the start of each line
}

// newText indexes src. A line ends at "\n"; a "\r" before it belongs to
// the line, as it does for LSP clients (which count "\r\n" as one break:
// the "\r" is past every column a client sends).
func newText(src string) *text {
	lines := make([]int, 1, len(src)/32+1)
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &text{src: src, lines: lines}
}

// lineEnd returns the offset of the end of line l, before its "\n" (and
// a "\r" before it).
func (t *text) lineEnd(l int) int {
	end := len(t.src)
	if l+1 < len(t.lines) {
		end = t.lines[l+1] - 1
	}
	if end > t.lines[l] && t.src[end-1] == '\r' {
		end--
	}
	return end
}

// position returns the LSP position of byte offset off, which is clamped
// to the text. An offset inside a multi-byte character counts from the
// character's start.
func (t *text) position(off int) protocol.Position {
	off = max(0, min(off, len(t.src)))
	// The line holding off: the last line start <= off.
	lo, hi := 0, len(t.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	col := 0
	for i := t.lines[lo]; i < off; {
		r, n := utf8.DecodeRuneInString(t.src[i:])
		if i+n > off {
			break
		}
		col += utf16Len(r)
		i += n
	}
	return protocol.Position{Line: protocol.UInteger(lo), Character: protocol.UInteger(col)}
}

// offset returns the byte offset of an LSP position. A line past the end
// is the end of the text; a column past the end of its line is the end of
// the line, as the protocol says; a column in the middle of a surrogate
// pair is the start of its character.
func (t *text) offset(p protocol.Position) int {
	l := int(p.Line)
	if l >= len(t.lines) {
		return len(t.src)
	}
	end := t.lineEnd(l)
	col := int(p.Character)
	i := t.lines[l]
	for i < end && col > 0 {
		r, n := utf8.DecodeRuneInString(t.src[i:])
		w := utf16Len(r)
		if w > col {
			break
		}
		col -= w
		i += n
	}
	return i
}

// rangeOf returns the LSP range of the bytes [start, end).
func (t *text) rangeOf(start, end int) protocol.Range {
	return protocol.Range{Start: t.position(start), End: t.position(end)}
}

// utf16Len is the number of UTF-16 code units of r (an invalid byte,
// decoded as the replacement character, is one).
func utf16Len(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}
