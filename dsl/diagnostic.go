package dsl

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a diagnostic stops generation.
type Severity int

const (
	// SeverityError stops generation: esgen check and esgen generate exit 1.
	SeverityError Severity = iota + 1
	// SeverityWarning is reported but does not stop generation (unless
	// esgen check --strict).
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// Diagnostic is one positioned message about a .esm file.
type Diagnostic struct {
	Pos      Position
	Severity Severity
	// Code is the stable code of the check, such as "E012". Codes never
	// change meaning; docs/language.md lists every one.
	Code string
	// Name is the stable short name of the check, such as "unreachable-state".
	Name string
	// Message says what is wrong, in one sentence without a trailing period.
	Message string
	// Suggestion is a did-you-mean or a fix, shown after the message; empty
	// when there is none.
	Suggestion string
	// Fix is the edit that applies a did-you-mean Suggestion naming a
	// replacement: nil when the suggestion names none (or there is none).
	Fix *Fix
	// Trace is the counterexample of a finding of the liveness and
	// protocol analysis (E045 to E047, W015, W016): the shortest run from
	// the initial state that shows it; nil for other diagnostics.
	Trace *Trace
}

// Fix is a machine-applicable edit of the source: the bytes from Pos up
// to End (exclusive, on the same line) are replaced by Text. Editors offer
// it as a quick fix.
type Fix struct {
	Pos, End Position
	Text     string
}

// replaceFix returns the fix that replaces old, written at pos, by text.
func replaceFix(pos Position, old, text string) *Fix {
	end := pos
	end.Offset += len(old)
	end.Column += len(old)
	return &Fix{Pos: pos, End: end, Text: text}
}

// String formats the diagnostic on one line as compilers do:
//
//	orders.esm:12:5: error[E012]: state Shipped is unreachable from Draft (did you mean ...?)
func (d Diagnostic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s[%s]: %s", d.Pos.Filename, d.Pos.Line, d.Pos.Column, d.Severity, d.Code, d.Message)
	if d.Suggestion != "" {
		b.WriteString(" (")
		b.WriteString(d.Suggestion)
		b.WriteString(")")
	}
	return b.String()
}

// Diagnostics is a list of diagnostics, sorted by position once Sort has
// run (Parse, Check, Load and Format return them sorted).
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity == SeverityError })
}

// Sort orders the diagnostics by file, offset, then code, stably.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.Filename, b.Pos.Filename),
			cmp.Compare(a.Pos.Offset, b.Pos.Offset),
			cmp.Compare(a.Code, b.Code),
		)
	})
}

// Err returns nil when ds holds no error, else an *Error holding every
// diagnostic (warnings included).
func (ds Diagnostics) Err() error {
	if !ds.HasErrors() {
		return nil
	}
	return &Error{Diagnostics: ds}
}

// Error is an error made of diagnostics, for callers that want one error
// value; use errors.As to reach the diagnostics.
type Error struct {
	Diagnostics Diagnostics
}

// Error returns the diagnostics, one per line.
func (e *Error) Error() string {
	lines := make([]string, len(e.Diagnostics))
	for i, d := range e.Diagnostics {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}
