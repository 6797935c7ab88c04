package dsl

import (
	"path/filepath"
	"strings"
	"testing"
)

// checkFixes fails unless every did-you-mean of ds carries the fix that
// replaces the misspelt name written at the diagnostic by the suggested
// one, every fix belongs to a did-you-mean, and applying a fix makes the
// diagnostic go away. It returns the number of fixes seen.
func checkFixes(t *testing.T, name string, src []byte, ds Diagnostics) int {
	t.Helper()
	n := 0
	for _, d := range ds {
		want, isDYM := strings.CutPrefix(d.Suggestion, "did you mean ")
		want = strings.TrimSuffix(want, "?")
		if !isDYM {
			if d.Fix != nil {
				t.Errorf("%s: %v has a fix %+v but no did-you-mean", name, d, *d.Fix)
			}
			continue
		}
		if d.Fix == nil {
			t.Errorf("%s: %v suggests %s but has no fix", name, d, want)
			continue
		}
		n++
		f := d.Fix
		if f.Text != want {
			t.Errorf("%s: %v: fix text %q, want %q", name, d, f.Text, want)
		}
		if f.Pos != d.Pos {
			t.Errorf("%s: %v: fix starts at %+v, not at the diagnostic", name, d, f.Pos)
		}
		if f.End.Line != f.Pos.Line || f.End.Offset-f.Pos.Offset != f.End.Column-f.Pos.Column || f.End.Offset <= f.Pos.Offset || f.End.Offset > len(src) {
			t.Errorf("%s: %v: fix range %+v..%+v is not a range of one line of the input", name, d, f.Pos, f.End)
			continue
		}
		old := string(src[f.Pos.Offset:f.End.Offset])
		if strings.ContainsAny(old, " \t\n") || old == want {
			t.Errorf("%s: %v: fix replaces %q, not one misspelt word", name, d, old)
		}
		fixed := string(src[:f.Pos.Offset]) + f.Text + string(src[f.End.Offset:])
		_, after := Load(d.Pos.Filename, []byte(fixed))
		for _, a := range after {
			if a.Code == d.Code && a.Pos.Offset == d.Pos.Offset {
				t.Errorf("%s: %v: still reported after the fix:\n%s", name, d, fixed)
			}
		}
	}
	return n
}

// TestFixOfEveryDidYouMean checks the fixes of the diagnostic cases.
func TestFixOfEveryDidYouMean(t *testing.T) {
	total := 0
	for _, c := range readDiagCases(t) {
		_, ds := Load("input.esm", c.input)
		total += checkFixes(t, filepath.Base(c.path), c.input, ds)
	}
	if total < 10 {
		t.Errorf("only %d fixes in the diagnostic cases; the test lost its inputs", total)
	}
}

// TestFixOfEachLookup covers every lookup that suggests a name, processes
// included. The last case keeps the base clean (a comment with non-ASCII
// text changes nothing), so that each other case's fix is its own.
func TestFixOfEachLookup(t *testing.T) {
	const base = `package p

import "time"

type Line { qty int }

aggregate Order {
    state Draft initial
    state Open { at time.Time }
    state Done final
    command Submit { lines []Line }
    command Close { reason string }
    event Submitted { at time.Time }
    event Closed { reason string }
    on Submit: Draft -> Open emits Submitted
    on Close: Open -> Done emits Closed
    evolve Draft on Submitted: hook
    after 1h in Open: Close { reason = "late" }
}

process Flow {
    correlate Order by id
    state Idle initial
    state Waiting
    state Closing
    state Over final
    on Order.Submitted: Idle -> Waiting
    on Order.Closed: Waiting, Closing -> Over
    on rejected Order.Close: Closing -> Over
    after 1h in Waiting: Waiting -> Closing sends Order.Close
}
`
	cases := []struct{ old, new, want string }{
		{"state Open { at time.Time }", "state Open { at tme.Time }", "time"},
		{"type Line { qty int }", "type Line { qty int }\ntype Bag { l Lnie }", "Line"},
		{"on Submit: Draft", "on Sbumit: Draft", "Submit"},
		{"Draft -> Open emits", "Draft -> Opne emits", "Open"},
		{"emits Submitted\n", "emits Submited\n", "Submitted"},
		{"evolve Draft on Submitted", "evolve Drfat on Submitted", "Draft"},
		{"evolve Draft on Submitted", "evolve Draft on Submited", "Submitted"},
		{"after 1h in Open: Close", "after 1h in Open: Closs", "Close"},
		{`Close { reason = "late" }`, `Close { raeson = "late" }`, "reason"},
		{"correlate Order by", "correlate Ordre by", "Order"},
		{"on Order.Submitted:", "on Order.Submited:", "Submitted"},
		{"on rejected Order.Close:", "on rejected Order.Clsoe:", "Close"},
		{"Idle -> Waiting\n", "Idle -> Wiating\n", "Waiting"},
		{"sends Order.Close", "sends Order.Closs", "Close"},
		{"    state Draft initial", "    // Brouillon: état initial, déjà 🙂\n    state Draft initial", ""},
	}
	for _, c := range cases {
		src := strings.Replace(base, c.old, c.new, 1)
		if src == base {
			t.Fatalf("case %q does not apply", c.old)
		}
		_, ds := Load("p.esm", []byte(src))
		n := checkFixes(t, c.new, []byte(src), ds)
		if c.want == "" {
			if len(ds) != 0 {
				t.Errorf("%q: want no diagnostic, got\n%s", c.new, formatDiags(ds))
			}
			continue
		}
		if n != 1 {
			t.Errorf("%q: want one fix to %s, got %d in\n%s", c.new, c.want, n, formatDiags(ds))
		}
		for _, d := range ds {
			if d.Fix != nil && d.Fix.Text != c.want {
				t.Errorf("%q: fix to %s, want %s", c.new, d.Fix.Text, c.want)
			}
		}
	}
}
