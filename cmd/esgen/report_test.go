package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
)

func diag(file string, line, col int, sev dsl.Severity, msg, sugg string) dsl.Diagnostic {
	return dsl.Diagnostic{
		Pos:      dsl.Position{Filename: file, Line: line, Column: col},
		Severity: sev, Code: "E012", Name: "unreachable-state", Message: msg, Suggestion: sugg,
	}
}

func TestReporterText(t *testing.T) {
	src := "package p\n\taggregate X {\n  state Lost\r\nbad\xff\x01x\n"
	long := strings.Repeat("a", 200) + "Z" + strings.Repeat("b", 200)
	tests := []struct {
		name  string
		caret bool
		color bool
		d     dsl.Diagnostic
		file  string
		want  string
	}{
		{
			name: "plain", d: diag("x.esm", 3, 9, dsl.SeverityError, "state Lost is unreachable", ""),
			want: "x.esm:3:9: error[E012]: state Lost is unreachable\n",
		},
		{
			name: "caret", caret: true, d: diag("x.esm", 3, 9, dsl.SeverityError, "state Lost is unreachable", "did you mean Last?"),
			want: "x.esm:3:9: error[E012]: state Lost is unreachable (did you mean Last?)\n" +
				" 3 |   state Lost\n" +
				"   |         ^\n",
		},
		{
			name: "caret after a tab", caret: true, d: diag("x.esm", 2, 2, dsl.SeverityWarning, "w", ""),
			want: "x.esm:2:2: warning[E012]: w\n" +
				" 2 | \taggregate X {\n" +
				"   | \t^\n",
		},
		{
			name: "invalid UTF-8 and control characters shown safely", caret: true, d: diag("x.esm", 4, 6, dsl.SeverityError, "junk", ""),
			want: "x.esm:4:6: error[E012]: junk\n" +
				" 4 | bad\uFFFD\uFFFDx\n" +
				"   |      ^\n",
		},
		{
			name: "position at the end of the file", caret: true, d: diag("x.esm", 5, 1, dsl.SeverityError, "eof", ""),
			want: "x.esm:5:1: error[E012]: eof\n" +
				" 5 | \n" +
				"   | ^\n",
		},
		{
			name: "unknown line prints no excerpt", caret: true, d: diag("x.esm", 9, 1, dsl.SeverityError, "far", ""),
			want: "x.esm:9:1: error[E012]: far\n",
		},
		{
			name: "unknown file prints no excerpt", caret: true, d: diag("y.esm", 1, 1, dsl.SeverityError, "other", ""),
			want: "y.esm:1:1: error[E012]: other\n",
		},
		{
			name: "long line is cut around the column", caret: true, file: long, d: diag("x.esm", 1, 201, dsl.SeverityError, "here", ""),
			want: "x.esm:1:201: error[E012]: here\n" +
				" 1 | …" + strings.Repeat("a", 60) + "Z" + strings.Repeat("b", 59) + "…\n" +
				"   |  " + strings.Repeat(" ", 60) + "^\n",
		},
		{
			name: "colour", color: true, caret: true, d: diag("x.esm", 1, 1, dsl.SeverityError, "m", "s"),
			want: "\x1b[1mx.esm:1:1:\x1b[0m \x1b[1;31merror[E012]\x1b[0m: \x1b[1mm\x1b[0m (s)\n" +
				"\x1b[34m 1 |\x1b[0m package p\n" +
				"\x1b[34m   |\x1b[0m \x1b[1;32m^\x1b[0m\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			content := src
			if tt.file != "" {
				content = tt.file
			}
			r := newReporter(env{stderr: &b}, diagFlags{Color: "never", Caret: tt.caret}, []source{{name: "x.esm", data: []byte(content)}})
			r.color = tt.color
			r.print(dsl.Diagnostics{tt.d})
			if got := b.String(); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestReporterAuto(t *testing.T) {
	tests := []struct {
		tty, noColor bool
		flags        diagFlags
		caret, color bool
	}{
		{flags: diagFlags{Color: "auto"}},
		{tty: true, flags: diagFlags{Color: "auto"}, caret: true, color: true},
		{tty: true, noColor: true, flags: diagFlags{Color: "auto"}, caret: true},
		{tty: true, flags: diagFlags{Color: "never"}, caret: true},
		{flags: diagFlags{Color: "always"}, color: true},
		{flags: diagFlags{Color: "auto", Caret: true}, caret: true},
	}
	for _, tt := range tests {
		r := newReporter(env{stderrTTY: tt.tty, noColor: tt.noColor}, tt.flags, nil)
		if r.caret != tt.caret || r.color != tt.color {
			t.Errorf("tty=%v NO_COLOR=%v %+v: caret=%v color=%v, want %v %v", tt.tty, tt.noColor, tt.flags, r.caret, r.color, tt.caret, tt.color)
		}
	}
}

func TestWriteGitHub(t *testing.T) {
	var b bytes.Buffer
	ds := dsl.Diagnostics{
		diag("dir,a:b.esm", 3, 9, dsl.SeverityError, "100% wrong\nreally", "did you mean x?"),
		diag("a.esm", 1, 2, dsl.SeverityWarning, "w: x, y", ""),
	}
	if err := writeGitHub(&b, ds); err != nil {
		t.Fatal(err)
	}
	want := "::error file=dir%2Ca%3Ab.esm,line=3,col=9,title=E012 unreachable-state::100%25 wrong%0Areally (did you mean x?)\n" +
		"::warning file=a.esm,line=1,col=2,title=E012 unreachable-state::w: x, y\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := writeJSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != "[]\n" {
		t.Errorf("no diagnostics: %q, want []", b.String())
	}
	b.Reset()
	if err := writeJSON(&b, dsl.Diagnostics{diag("a.esm", 1, 2, dsl.SeverityWarning, `say "hi"`, "")}); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "file": "a.esm",
    "line": 1,
    "column": 2,
    "severity": "warning",
    "code": "E012",
    "name": "unreachable-state",
    "message": "say \"hi\"",
    "suggestion": ""
  }
]
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestReporterGoWarning(t *testing.T) {
	src := []byte("package p\n\nfunc TestOrderCancelFromDraft(t *testing.T) {}\n")
	tests := []struct {
		name         string
		caret, color bool
		line, col    int
		want         string
	}{
		{name: "plain", line: 3, col: 6, want: "order_test.go:3:6: warning: gone\n"},
		{name: "caret", caret: true, line: 3, col: 6, want: "order_test.go:3:6: warning: gone\n" +
			" 3 | func TestOrderCancelFromDraft(t *testing.T) {}\n" +
			"   |      ^\n"},
		{name: "whole file", caret: true, want: "order_test.go: warning: gone\n"},
		{name: "colour", color: true, line: 3, col: 6, want: ansiBold + "order_test.go:3:6:" + ansiReset + " " + ansiYellow + "warning" + ansiReset + ": " + ansiBold + "gone" + ansiReset + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			r := &reporter{w: &b, caret: tt.caret, color: tt.color, srcs: map[string][]byte{}, lines: map[string][]int{}}
			r.goWarning("order_test.go", tt.line, tt.col, "gone", src)
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}
