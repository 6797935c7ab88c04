package dsl

import (
	"fmt"
	"strings"
	"testing"
)

// generateESM returns a valid .esm file of at least lines lines: value
// types and aggregates of 8 states, 8 commands and 8 events in two
// versions, with fields, doc comments, branches and a self-loop.
func generateESM(lines int) []byte {
	var b strings.Builder
	b.WriteString("// Package bench is generated for benchmarks.\npackage bench\n\nimport \"time\"\n")
	seen, counted := 0, 0 // lines seen in b[:counted]
	for i := 0; ; i++ {
		if n := strings.Count(b.String()[counted:], "\n"); n > 0 {
			seen += n
			counted = b.Len()
		}
		if seen >= lines {
			break
		}
		fmt.Fprintf(&b, "\n// Item%d is a value type.\ntype Item%d {\n    sku   string\n    qty   int\n    price int64\n}\n", i, i)
		fmt.Fprintf(&b, "\n// Agg%d is a generated aggregate.\naggregate Agg%d {\n    id string\n    snapshot every 100\n\n", i, i)
		for s := 0; s < 8; s++ {
			flag := ""
			switch s {
			case 0:
				flag = " initial"
			case 7:
				flag = " final"
			}
			if s == 0 { // the state with no events holds no data
				fmt.Fprintf(&b, "    // S%dx%d is a state.\n    state S%dx%d%s\n", i, s, i, s, flag)
				continue
			}
			fmt.Fprintf(&b, "    // S%dx%d is a state.\n    state S%dx%d%s {\n        items []Item%d\n        at    time.Time\n    }\n", i, s, i, s, flag, i)
		}
		b.WriteString("\n")
		for c := 0; c < 8; c++ {
			fmt.Fprintf(&b, "    // Do%dx%d is a command.\n    command Do%dx%d {\n        reason string\n        count  int\n    }\n", i, c, i, c)
		}
		b.WriteString("\n")
		for e := 0; e < 8; e++ {
			fmt.Fprintf(&b, "    // Step%dx%dDone is an event.\n    event Step%dx%dDone v1 {\n        reason string\n        at     time.Time\n    }\n", i, e, i, e)
			fmt.Fprintf(&b, "    event Step%dx%dDone v2 {\n        reason string\n        at     time.Time\n        count  int = 1\n    }\n", i, e)
		}
		b.WriteString("\n")
		for c := 0; c < 7; c++ {
			fmt.Fprintf(&b, "    on Do%dx%d: S%dx%d -> S%dx%d emits Step%dx%dDone\n", i, c, i, c, i, c+1, i, c)
		}
		on := fmt.Sprintf("on Do%dx7", i)
		fmt.Fprintf(&b, "    %s: S%dx0, S%dx1 -> S%dx7 emits Step%dx7Done\n%s| S%dx2 -> S%dx2\n}\n",
			on, i, i, i, i, strings.Repeat(" ", 4+len(on)), i, i)
	}
	return []byte(b.String())
}

// TestGeneratedESMIsClean keeps the benchmark input honest: it must load
// with no diagnostic and be formatted.
func TestGeneratedESMIsClean(t *testing.T) {
	src := generateESM(2000)
	m, diags := Load("bench.esm", src)
	if len(diags) != 0 || m == nil {
		t.Fatalf("generated input has diagnostics:\n%s", formatDiags(diags))
	}
	out, _ := Format("bench.esm", src)
	if string(out) != string(src) {
		t.Fatal("generated input is not formatted")
	}
}

// BenchmarkParseCheck loads a generated 10,000-line file (many aggregates).
func BenchmarkParseCheck(b *testing.B) {
	src := generateESM(10000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if m, diags := Load("bench.esm", src); m == nil {
			b.Fatal(diags.Err())
		}
	}
}

// BenchmarkParse and BenchmarkLex split BenchmarkParseCheck's time.
func BenchmarkParse(b *testing.B) {
	src := generateESM(10000)
	for b.Loop() {
		if f, diags := Parse("bench.esm", src); f == nil {
			b.Fatal(diags.Err())
		}
	}
}

func BenchmarkLex(b *testing.B) {
	src := generateESM(10000)
	for b.Loop() {
		if _, err := lexBytes("bench.esm", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFormat formats the generated 10,000-line file.
func BenchmarkFormat(b *testing.B) {
	src := generateESM(10000)
	for b.Loop() {
		if out, diags := Format("bench.esm", src); out == nil {
			b.Fatal(diags.Err())
		}
	}
}
