package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

func TestLongFlags(t *testing.T) {
	var c cli
	k, err := kong.New(&c, kong.Vars{"default_formats": "svg,md"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"generate -out dir -pkg p -formats=none x.esm", "generate --out dir --pkg p --formats=none x.esm"},
		{"fmt -w -l -d -wl x.esm", "fmt -w -l -d -wl x.esm"},
		{"diagram -format svg -highlight Draft -o f.svg x.esm", "diagram --format svg --highlight Draft -o f.svg x.esm"},
		{"check -error-format json -strict -caret -color=never -", "check --error-format json --strict --caret --color=never -"},
		{"check -unknown -- -out", "check -unknown -- -out"},
	}
	for _, tt := range tests {
		got := strings.Join(longFlags(k, strings.Fields(tt.in)), " ")
		if got != tt.want {
			t.Errorf("longFlags(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestRunRecoversPanics checks that a panic below a verb becomes an
// internal-error message and exit 1, never a crash.
func TestRunRecoversPanics(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"version"}, env{stdout: panicWriter{}, stderr: &errb, stdin: strings.NewReader("")})
	if code != exitFail {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.HasPrefix(errb.String(), "esgen: internal error: boom\n") {
		t.Errorf("stderr = %q", errb.String())
	}
	_ = out
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("boom") }
