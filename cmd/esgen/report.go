package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/esgen/esgen/dsl"
)

// diagFlags choose how diagnostics look in text form. Every verb that
// reads .esm files has them.
type diagFlags struct {
	Color string `enum:"auto,always,never" default:"auto" help:"Colour diagnostics: auto (when stderr is a terminal and NO_COLOR is unset), always or never."`
	Caret bool   `help:"Show the source line and a caret under each diagnostic's position even when stderr is not a terminal (on a terminal they always show)."`
}

// reporter prints diagnostics as text: one line each, as compilers do,
// optionally followed by the source line and a caret under the column.
type reporter struct {
	w     io.Writer
	caret bool
	color bool
	srcs  map[string][]byte // file name -> content, for the source lines
	lines map[string][]int  // file name -> offsets of line starts, built on demand
}

// newReporter makes the reporter for stderr with the verb's flags.
func newReporter(e env, f diagFlags, srcs []source) *reporter {
	r := &reporter{
		w:     e.stderr,
		caret: f.Caret || e.stderrTTY,
		color: f.Color == "always" || f.Color == "auto" && e.stderrTTY && !e.noColor,
		srcs:  map[string][]byte{},
		lines: map[string][]int{},
	}
	for _, s := range srcs {
		r.srcs[s.name] = s.data
	}
	return r
}

// ANSI colours of the parts of a diagnostic.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiRed     = "\x1b[1;31m"
	ansiYellow  = "\x1b[1;33m"
	ansiGreen   = "\x1b[1;32m"
	ansiDimBlue = "\x1b[34m"
)

// print writes every diagnostic in order.
func (r *reporter) print(ds dsl.Diagnostics) {
	var b bytes.Buffer
	for _, d := range ds {
		r.line(&b, d)
		if r.caret {
			r.excerpt(&b, d)
		}
	}
	r.w.Write(b.Bytes())
}

// line writes d.String(), coloured when asked.
func (r *reporter) line(b *bytes.Buffer, d dsl.Diagnostic) {
	if !r.color {
		b.WriteString(d.String())
		b.WriteByte('\n')
		return
	}
	sev := ansiRed
	if d.Severity == dsl.SeverityWarning {
		sev = ansiYellow
	}
	fmt.Fprintf(b, "%s%s:%d:%d:%s %s%s[%s]%s: %s%s%s", ansiBold, d.Pos.Filename, d.Pos.Line, d.Pos.Column, ansiReset,
		sev, d.Severity, d.Code, ansiReset, ansiBold, d.Message, ansiReset)
	if d.Suggestion != "" {
		fmt.Fprintf(b, " (%s)", d.Suggestion)
	}
	b.WriteByte('\n')
}

// goWarning prints a warning about a Go file of the output (the user's
// test skeleton), as diagnostics are printed but without a code:
// "order_test.go:42:6: warning: message". line and col are 0 when it
// concerns the whole file; src, the file's content, gives the excerpt.
func (r *reporter) goWarning(name string, line, col int, msg string, src []byte) {
	var b bytes.Buffer
	pos := name
	if line > 0 {
		pos = fmt.Sprintf("%s:%d:%d", name, line, col)
	}
	if r.color {
		fmt.Fprintf(&b, "%s%s:%s %swarning%s: %s%s%s\n", ansiBold, pos, ansiReset, ansiYellow, ansiReset, ansiBold, msg, ansiReset)
	} else {
		fmt.Fprintf(&b, "%s: warning: %s\n", pos, msg)
	}
	if r.caret && line > 0 && src != nil {
		if _, ok := r.srcs[name]; !ok {
			r.srcs[name] = src
		}
		r.excerpt(&b, dsl.Diagnostic{Pos: dsl.Position{Filename: name, Line: line, Column: col}})
	}
	r.w.Write(b.Bytes())
}

// excerptWidth is the most bytes of a source line shown; longer lines are
// cut around the column.
const excerptWidth = 120

// excerpt writes the source line of d and a caret under its column:
//
//	12 |     state Shipped
//	   |           ^
func (r *reporter) excerpt(b *bytes.Buffer, d dsl.Diagnostic) {
	line, ok := r.sourceLine(d.Pos.Filename, d.Pos.Line)
	if !ok {
		return
	}
	col := min(max(d.Pos.Column-1, 0), len(line))
	prefix, suffix := "", ""
	if len(line) > excerptWidth {
		start := max(0, col-excerptWidth/2)
		end := min(len(line), start+excerptWidth)
		start = max(0, end-excerptWidth)
		if start > 0 {
			prefix = "…"
		}
		if end < len(line) {
			suffix = "…"
		}
		line, col = line[start:end], col-start
	}
	num := strconv.Itoa(d.Pos.Line)
	gutter := strings.Repeat(" ", len(num))
	shown, pad := displayLine(line, col)
	if prefix != "" {
		pad = " " + pad
	}
	if r.color {
		fmt.Fprintf(b, "%s %s |%s %s%s%s\n", ansiDimBlue, num, ansiReset, prefix, shown, suffix)
		fmt.Fprintf(b, "%s %s |%s %s%s^%s\n", ansiDimBlue, gutter, ansiReset, pad, ansiGreen, ansiReset)
		return
	}
	fmt.Fprintf(b, " %s | %s%s%s\n", num, prefix, shown, suffix)
	fmt.Fprintf(b, " %s | %s^\n", gutter, pad)
}

// sourceLine returns line n (1-based) of the named file without its line
// break, or false when the file or line is unknown.
func (r *reporter) sourceLine(name string, n int) ([]byte, bool) {
	src, ok := r.srcs[name]
	if !ok || n < 1 {
		return nil, false
	}
	starts, ok := r.lines[name]
	if !ok {
		starts = []int{0}
		for i, c := range src {
			if c == '\n' {
				starts = append(starts, i+1)
			}
		}
		r.lines[name] = starts
	}
	if n > len(starts) {
		return nil, false
	}
	start := starts[n-1]
	end := len(src)
	if n < len(starts) {
		end = starts[n] - 1
	}
	return bytes.TrimSuffix(src[start:end], []byte("\r")), true
}

// displayLine returns the line as safe terminal text (invalid UTF-8 and
// control characters shown as U+FFFD, tabs kept) and the padding that puts
// a caret under byte offset col: a tab under each tab, a space under
// everything else.
func displayLine(line []byte, col int) (shown, pad string) {
	var s, p strings.Builder
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRune(line[i:])
		switch {
		case r == '\t':
		case r == utf8.RuneError && size <= 1, r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
			r = utf8.RuneError
		}
		s.WriteRune(r)
		if i < col {
			if r == '\t' {
				p.WriteByte('\t')
			} else {
				p.WriteByte(' ')
			}
		}
		i += size
	}
	return s.String(), p.String()
}

// jsonDiagnostic is one diagnostic in --error-format json.
type jsonDiagnostic struct {
	File       string `json:"file"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	Severity   string `json:"severity"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion"`
}

// writeJSON writes the diagnostics as one JSON array (empty when none).
func writeJSON(w io.Writer, ds dsl.Diagnostics) error {
	out := make([]jsonDiagnostic, len(ds))
	for i, d := range ds {
		out[i] = jsonDiagnostic{
			File: d.Pos.Filename, Line: d.Pos.Line, Column: d.Pos.Column,
			Severity: d.Severity.String(), Code: d.Code, Name: d.Name,
			Message: d.Message, Suggestion: d.Suggestion,
		}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// writeGitHub writes the diagnostics as GitHub Actions workflow commands,
// which annotate the file and line in the pull request:
//
//	::error file=orders.esm,line=12,col=5,title=E012 unreachable-state::message
func writeGitHub(w io.Writer, ds dsl.Diagnostics) error {
	var b bytes.Buffer
	for _, d := range ds {
		msg := d.Message
		if d.Suggestion != "" {
			msg += " (" + d.Suggestion + ")"
		}
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n",
			d.Severity, ghProperty(d.Pos.Filename), d.Pos.Line, d.Pos.Column,
			ghProperty(d.Code+" "+d.Name), ghData(msg))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// ghData escapes a workflow command's message as the Actions toolkit does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
