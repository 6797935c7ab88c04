package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"time"
)

// exportedSpan is what the demo reads of a span the stdout exporter wrote
// (stdouttrace encodes the SDK's tracetest.SpanStub as JSON).
type exportedSpan struct {
	Name        string
	SpanContext spanRef
	Parent      spanRef
	StartTime   time.Time
	EndTime     time.Time
	Attributes  []exportedAttribute
	Events      []struct {
		Name       string
		Attributes []exportedAttribute
	}
	Links []struct {
		SpanContext spanRef
	}
	Status struct {
		Code        string
		Description string
	}
}

// spanRef names a span: its trace and span ids, in hex.
type spanRef struct {
	TraceID string
	SpanID  string
}

// valid reports whether r names a span: the exporter writes zeros for the
// parent of a root span.
func (r spanRef) valid() bool { return strings.Trim(r.SpanID, "0") != "" }

// exportedAttribute is an attribute as the exporter writes it.
type exportedAttribute struct {
	Key   string
	Value struct {
		Type  string
		Value json.RawMessage
	}
}

// String formats a as key=value on one line, a string without its quotes.
func (a exportedAttribute) String() string {
	var s string
	if a.Value.Type == "STRING" && json.Unmarshal(a.Value.Value, &s) == nil {
		return a.Key + "=" + s
	}
	var b bytes.Buffer
	if json.Compact(&b, a.Value.Value) != nil {
		return a.Key + "=" + string(a.Value.Value)
	}
	return a.Key + "=" + b.String()
}

// decodeSpans reads the stdout exporter's output: one JSON object per span.
func decodeSpans(data []byte) ([]exportedSpan, error) {
	var spans []exportedSpan
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var s exportedSpan
		err := dec.Decode(&s)
		if errors.Is(err, io.EOF) {
			return spans, nil
		}
		if err != nil {
			return nil, err
		}
		spans = append(spans, s)
	}
}

// spanTree prints spans trace by trace, the earliest first: each root, its
// attributes, events and links, then its children in the order they
// started. A link names the span it points to when that span is among
// spans.
func (p *printer) spanTree(spans []exportedSpan) {
	byID := map[string]*exportedSpan{}
	children := map[string][]*exportedSpan{}
	var roots []*exportedSpan
	for i := range spans {
		byID[spans[i].SpanContext.SpanID] = &spans[i]
	}
	for i := range spans {
		s := &spans[i]
		if s.Parent.valid() && byID[s.Parent.SpanID] != nil {
			children[s.Parent.SpanID] = append(children[s.Parent.SpanID], s)
		} else {
			roots = append(roots, s)
		}
	}
	byStart := func(a, b *exportedSpan) int { return a.StartTime.Compare(b.StartTime) }
	slices.SortStableFunc(roots, byStart)
	for _, c := range children {
		slices.SortStableFunc(c, byStart)
	}
	var walk func(s *exportedSpan, depth int)
	walk = func(s *exportedSpan, depth int) {
		indent := strings.Repeat("  ", depth)
		p.printf("   %s%s  span %s, %s\n", indent, s.Name, s.SpanContext.SpanID, s.EndTime.Sub(s.StartTime).Round(time.Microsecond))
		if len(s.Attributes) > 0 {
			p.printf("   %s    %s\n", indent, attributes(s.Attributes))
		}
		for _, e := range s.Events {
			p.printf("   %s    event %s  %s\n", indent, e.Name, attributes(e.Attributes))
		}
		for _, l := range s.Links {
			to := "a span not exported here"
			if t := byID[l.SpanContext.SpanID]; t != nil {
				to = t.Name
			}
			p.printf("   %s    link to %s: trace %s span %s\n", indent, to, l.SpanContext.TraceID, l.SpanContext.SpanID)
		}
		if s.Status.Code == "Error" {
			p.printf("   %s    status Error: %s\n", indent, s.Status.Description)
		}
		for _, c := range children[s.SpanContext.SpanID] {
			walk(c, depth+1)
		}
	}
	for _, r := range roots {
		p.printf("   trace %s\n", r.SpanContext.TraceID)
		if r.Parent.valid() {
			p.printf("     (child of span %s, not exported here)\n", r.Parent.SpanID)
		}
		walk(r, 1)
	}
}

// attributes formats attrs on one line.
func attributes(attrs []exportedAttribute) string {
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		parts[i] = a.String()
	}
	return strings.Join(parts, " ")
}
