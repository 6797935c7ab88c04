// Package svgcheck checks an SVG drawing of a state machine by its
// structure rather than its bytes: a well-formed XML document with one root
// element, <svg>, whose text shows the name of every state and the label
// of every transition. The golden tests of package generator and the tests
// of generator/diagram/svg use it on what Graphviz draws.
package svgcheck

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/esgen/esgen/runtime/machine"
)

// ErrNotSVG is matched by the errors of Texts and Check for a document
// that is not well-formed XML or whose only root element is not <svg>.
var ErrNotSVG = errors.New("not a well-formed SVG document")

// ErrMissingText is matched by Check's error when the drawing lacks the
// name of a state or the label of a transition.
var ErrMissingText = errors.New("SVG does not show")

// Texts returns the character data of every <text> element of doc, in
// document order.
func Texts(doc []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	var (
		texts []string
		level int // element nesting
		text  int // level of the <text> element being read, 0 outside one
		roots int
		root  string
		cur   strings.Builder
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotSVG, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if level == 0 {
				if roots++; roots > 1 {
					return nil, fmt.Errorf("%w: a second root element <%s>", ErrNotSVG, tok.Name.Local)
				}
				root = tok.Name.Local
			}
			level++
			if text == 0 && tok.Name.Local == "text" {
				text = level
				cur.Reset()
			}
		case xml.CharData:
			if text > 0 {
				cur.Write(tok)
			}
		case xml.EndElement:
			if level == text {
				texts = append(texts, cur.String())
				text = 0
			}
			level--
		}
	}
	switch {
	case roots == 0:
		return nil, fmt.Errorf("%w: no root element", ErrNotSVG)
	case root != "svg":
		return nil, fmt.Errorf("%w: the root element is <%s>, want <svg>", ErrNotSVG, root)
	}
	return texts, nil
}

// Check returns nil when doc is a well-formed SVG document with a <text>
// element holding each state name of m and each transition label
// (Transition.Label: a label of several lines is drawn one <text> per
// line, so each transition is one line). Otherwise its error names
// everything missing.
func Check(m machine.Machine, doc []byte) error {
	texts, err := Texts(doc)
	if err != nil {
		return err
	}
	have := make(map[string]bool, len(texts))
	for _, s := range texts {
		have[s] = true
	}
	var missing []string
	for _, s := range m.States {
		if !have[s.Name] {
			missing = append(missing, fmt.Sprintf("state %q", s.Name))
		}
	}
	for _, t := range m.Transitions {
		if l := t.Label(); !have[l] {
			missing = append(missing, fmt.Sprintf("label %q (%s -> %s)", l, t.From, t.To))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: %w %s", m.Name, ErrMissingText, strings.Join(missing, ", "))
	}
	return nil
}
