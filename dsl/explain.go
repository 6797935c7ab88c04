package dsl

import (
	"fmt"
	"go/format"
	"slices"
	"strings"

	"github.com/esgen/esgen/internal/goname"
)

// ExplainCodes are the codes whose diagnostics carry a counterexample
// (Diagnostic.Trace), which Explain prints as a test.
var ExplainCodes = []string{codeCycleNeverEnds, codeWaitsForever, codeAlwaysRefused, codeNeverArrives, codeTimerNeverFires}

// Explain returns, for every diagnostic of ds with the given code and a
// counterexample, the diagnostic and its counterexample as a
// given-when-then test in the style of the test skeletons esgen generates
// (runtime/estest for an aggregate, runtime/process/processtest for a
// process), ready to paste into the package's tests. Fields are left at
// their zero value: fill in those the decisions need. It returns "" when
// no diagnostic of ds has that code.
func Explain(ds Diagnostics, code string) string {
	var b strings.Builder
	names := map[string]int{}
	for _, d := range ds {
		if d.Code != code || d.Trace == nil {
			continue
		}
		name := "Test" + d.Trace.machine() + goname.Exported(strings.ReplaceAll(d.Name, "-", "_"))
		names[name]++
		if n := names[name]; n > 1 {
			name += fmt.Sprint(n)
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Trace.GoTest(d, name))
	}
	return b.String()
}

// machine is the Go name of the trace's aggregate or process.
func (t *Trace) machine() string {
	if t.Aggregate != nil {
		return goname.Exported(t.Aggregate.Name)
	}
	return goname.Exported(t.Process.Name)
}

// GoTest returns the trace as a Go test function named name, with d's
// message in its doc comment, gofmt'd.
func (t *Trace) GoTest(d Diagnostic, name string) string {
	var b strings.Builder
	if t.Process != nil && !slices.ContainsFunc(t.Steps, func(s TraceStep) bool { return s.Input != nil }) {
		// Nothing to run: the finding holds from the start.
		b.WriteString(wrapComment(fmt.Sprintf("%s %s at %s:%d:%d needs no test: %s.", d.Code, d.Name, d.Pos.Filename, d.Pos.Line, d.Pos.Column, t.End)))
		return b.String()
	}
	b.WriteString(wrapComment(fmt.Sprintf("%s shows %s %s at %s:%d:%d: %s.", name, d.Code, d.Name, d.Pos.Filename, d.Pos.Line, d.Pos.Column, t.End)))
	b.WriteString("func " + name + "(t *testing.T) {\n")
	if t.Aggregate != nil {
		t.aggregateTest(&b)
	} else {
		t.processTest(&b)
	}
	b.WriteString("}\n")
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		return b.String() // not expected: the text is built to be Go
	}
	return string(src)
}

// aggregateTest writes the body of an aggregate's test: the events of
// every step but the last given, the last one's command and events.
func (t *Trace) aggregateTest(b *strings.Builder) {
	a := t.Aggregate
	b.WriteString("// The fields are left zero: fill in those your decisions need.\n")
	b.WriteString("estest.For(t, " + goname.UnderTest(a.Name) + "()).\n")
	last := len(t.Steps) - 1
	b.WriteString("Given(")
	if last > 0 {
		b.WriteString("\n")
	}
	for i, s := range t.Steps[:last] {
		for _, e := range s.Events {
			b.WriteString(goname.Exported(e) + "{}, ")
		}
		b.WriteString("// " + s.String() + t.loopNote(i) + "\n")
	}
	b.WriteString(").\n")
	s := t.Steps[last]
	b.WriteString("When(" + goname.Exported(s.Command) + "{}). // " + s.String() + t.loopNote(last) + "\n")
	events := make([]string, len(s.Events))
	for i, e := range s.Events {
		events[i] = goname.Exported(e) + "{}"
	}
	b.WriteString("Then(" + strings.Join(events, ", ") + ")\n")
}

// loopNote marks the first step of the cycle.
func (t *Trace) loopNote(i int) string {
	if i == t.Loop {
		return " (the cycle starts here)"
	}
	return ""
}

// processTest writes the body of a process's test: the inputs of every
// step but the last given, the last one's input, and the state it leads
// to; the aggregates' moves the process ignores as comments.
func (t *Trace) processTest(b *strings.Builder) {
	p := t.Process
	last := -1
	for i, s := range t.Steps {
		if s.Input != nil {
			last = i
		}
	}
	b.WriteString("// The fields are left zero: fill in those your decisions need.\n")
	b.WriteString("processtest.For(t, " + goname.UnderTest(p.Name) + "()).\n")
	b.WriteString("Given(")
	if last > 0 {
		b.WriteString("\n")
	}
	for _, s := range t.Steps[:last] {
		if s.Input != nil {
			b.WriteString(t.inputType(s.Input) + "{}, ")
		}
		b.WriteString("// " + s.String() + "\n")
	}
	b.WriteString(").\n")
	s := t.Steps[last]
	b.WriteString("When(" + t.inputType(s.Input) + "{}). // " + s.String() + "\n")
	b.WriteString("ThenState(" + goname.Exported(p.Name) + "StateName, " + fmt.Sprintf("%q", s.To) + ")\n")
	for _, s := range t.Steps[last+1:] {
		b.WriteString("// Then " + s.String() + "\n")
	}
}

// inputType is the Go type of a process input, as the generator names it.
func (t *Trace) inputType(in *Input) string {
	if in.Kind == InputEvent {
		return goname.Exported(in.Event.Name)
	}
	return goname.Exported(t.Process.Name) + goname.Exported(in.Name)
}

// wrapComment returns text as // comment lines of at most 80 columns.
func wrapComment(text string) string {
	var b strings.Builder
	line := "//"
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > 80 && line != "//" {
			b.WriteString(line + "\n")
			line = "//"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
	return b.String()
}
