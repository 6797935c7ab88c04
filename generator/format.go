package generator

import (
	"bytes"
	"fmt"
	"go/format"
)

// This file formats generated Go. gofmt is most of the cost of generation,
// and one file can hold most of the output (the codecs of thousands of
// events), so a file is formatted in chunks, on every core, and the chunks
// are joined: the result is byte for byte what gofmt writes for the whole
// file (TestFormatChunksAsGofmt).
//
// A file is cut only before a top-level declaration that has a doc
// comment. gofmt puts exactly one blank line there, whatever precedes it,
// and nothing it aligns (struct fields, one-line functions in a row)
// spans a blank line; so each chunk formats alone as it would in place.

// unformatted is a generated file as jennifer writes it, before gofmt.
type unformatted struct {
	name string
	once bool
	src  []byte
}

// minChunk is the smallest chunk worth formatting on its own: below it,
// the fixed cost of a format.Source call outweighs the parallelism.
const minChunk = 32 << 10

// chunk is the index-th part, src[start:end], of the file-th generated file.
type chunk struct {
	file, index int
	start, end  int
}

// chunks cuts src, unformatted Go, into pieces of at least size bytes
// (but the last), each but the first starting with the doc comment of a
// top-level declaration. The first holds the package clause and imports.
func chunks(src []byte, size int) [][2]int {
	var out [][2]int
	start := 0
	for _, cut := range docStarts(src) {
		if cut-start >= size {
			out = append(out, [2]int{start, cut})
			start = cut
		}
	}
	return append(out, [2]int{start, len(src)})
}

// docStarts returns the offsets in src, unformatted but valid Go as
// jennifer writes it (every top-level item on lines of its own), of the
// first line of every doc comment directly above a top-level func, type,
// var or const declaration.
func docStarts(src []byte) []int {
	const (
		code = iota
		lineComment
		blockComment
		interpreted // "..." or '...'
		raw         // `...`
	)
	var (
		starts       []int
		state        = code
		quote        byte
		depth        int // nesting of (), [] and {}
		escaped      bool
		lineStart    = true
		commentGroup = -1 // offset of the current run of top-level comment lines
	)
	for i := 0; i < len(src); i++ {
		c := src[i]
		if lineStart && state == code {
			lineStart = false
			if depth == 0 {
				rest := src[i:]
				switch {
				case bytes.HasPrefix(rest, []byte("//")):
					if commentGroup < 0 {
						commentGroup = i
					}
				case bytes.HasPrefix(rest, []byte("func ")), bytes.HasPrefix(rest, []byte("type ")),
					bytes.HasPrefix(rest, []byte("var ")), bytes.HasPrefix(rest, []byte("const ")):
					if commentGroup >= 0 {
						starts = append(starts, commentGroup)
					}
					commentGroup = -1
				default:
					commentGroup = -1
				}
			}
		}
		switch state {
		case code:
			switch c {
			case '\n':
				lineStart = true
			case '/':
				if i+1 < len(src) && src[i+1] == '/' {
					state = lineComment
					i++
				} else if i+1 < len(src) && src[i+1] == '*' {
					state = blockComment
					i++
				}
			case '"', '\'':
				state, quote, escaped = interpreted, c, false
			case '`':
				state = raw
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				depth--
			}
		case lineComment:
			if c == '\n' {
				state, lineStart = code, true
			}
		case blockComment:
			if c == '*' && i+1 < len(src) && src[i+1] == '/' {
				state = code
				i++
			}
		case interpreted:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == quote:
				state = code
			}
		case raw:
			if c == '`' {
				state = code
			}
		}
	}
	return starts
}

// chunkPrefix makes a chunk of declarations a Go file for format.Source;
// formatted, it becomes formattedPrefix, cut from the result.
const (
	chunkPrefix     = "package p\n"
	formattedPrefix = "package p\n\n"
)

// formatChunk formats one chunk of a file: the first as the file it
// starts (with the imports grouped), the others as declarations. join adds
// the blank lines of spaceDecls.
func formatChunk(f unformatted, c chunk) ([]byte, error) {
	if c.index == 0 {
		out, err := format.Source(f.src[c.start:c.end])
		if err != nil {
			return nil, fmt.Errorf("format %s: %w", f.name, err)
		}
		return groupImports(out), nil
	}
	src := make([]byte, 0, len(chunkPrefix)+c.end-c.start)
	src = append(append(src, chunkPrefix...), f.src[c.start:c.end]...)
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("format %s: %w", f.name, err)
	}
	body, ok := bytes.CutPrefix(out, []byte(formattedPrefix))
	if !ok {
		return nil, fmt.Errorf("format %s: a chunk at byte %d does not start with declarations", f.name, c.start)
	}
	return body, nil
}

// join puts the formatted chunks of a file back together, one blank line
// before each chunk after the first, as gofmt puts before a declaration
// with a doc comment, and the blank lines of spaceDecls within each.
func join(parts [][]byte) []byte {
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n+n/32)
	for i, p := range parts {
		if i > 0 {
			out = append(out, '\n')
		}
		out = appendSpaced(out, p)
	}
	return out
}
