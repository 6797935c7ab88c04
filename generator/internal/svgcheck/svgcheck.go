// Package svgcheck checks an SVG drawing of a state machine by its
// structure rather than its bytes: a well-formed XML document with one root
// element, <svg>, with no opaque background, whose groups carry the ids and
// classes machine.Machine.DOT gives (a page finds states and edges by
// them), and whose text shows the name of every state and the label of
// every transition. The golden tests of package generator and the tests of
// generator/diagram/svg use it on what Graphviz draws.
package svgcheck

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/esgen/esgen/runtime/machine"
)

// ErrNotSVG is matched by the errors of Texts and Check for a document
// that is not well-formed XML or whose only root element is not <svg>.
var ErrNotSVG = errors.New("not a well-formed SVG document")

// ErrMissingText is matched by Check's error when the drawing lacks the
// name of a state or the label of a transition, or an element with the id
// and class it should have.
var ErrMissingText = errors.New("SVG does not show")

// ErrBackground is matched by Check's error when the drawing paints a
// background: it must be transparent to read on light and dark pages.
var ErrBackground = errors.New("SVG paints a background")

// group is one <g> element with an id: its classes and the character data
// of the <text> elements directly in it.
type group struct {
	classes []string
	texts   []string
}

// drawing is what Check reads of a document.
type drawing struct {
	texts      []string          // every <text>, in document order
	groups     map[string]*group // <g> elements by id
	duplicates []string          // ids used more than once
	background string            // the fill of a background polygon, if any
}

// Texts returns the character data of every <text> element of doc, in
// document order.
func Texts(doc []byte) ([]string, error) {
	d, err := read(doc)
	if err != nil {
		return nil, err
	}
	return d.texts, nil
}

// read parses doc.
func read(doc []byte) (*drawing, error) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	d := &drawing{groups: map[string]*group{}}
	var (
		level  int // element nesting
		text   int // level of the <text> element being read, 0 outside one
		roots  int
		root   string
		cur    strings.Builder
		open   []*group // the <g> elements around, nil for one without an id
		graphs []int    // levels of the graph's <g>, whose first drawn child is read
		first  = map[int]bool{}
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
			if n := len(graphs); n > 0 && graphs[n-1] == level && !first[level] && tok.Name.Local != "title" {
				first[level] = true
				if fill := attr(tok, "fill"); tok.Name.Local == "polygon" && fill != "none" && fill != "transparent" {
					d.background = fill
				}
			}
			level++
			switch tok.Name.Local {
			case "g":
				var g *group
				if id := attr(tok, "id"); id != "" {
					g = &group{classes: strings.Fields(attr(tok, "class"))}
					if d.groups[id] != nil {
						d.duplicates = append(d.duplicates, id)
					}
					d.groups[id] = g
					if slices.Contains(g.classes, "graph") {
						graphs = append(graphs, level)
					}
				}
				open = append(open, g)
			case "text":
				if text == 0 {
					text = level
					cur.Reset()
				}
			}
		case xml.CharData:
			if text > 0 {
				cur.Write(tok)
			}
		case xml.EndElement:
			if level == text {
				d.texts = append(d.texts, cur.String())
				if n := len(open); n > 0 && open[n-1] != nil {
					open[n-1].texts = append(open[n-1].texts, cur.String())
				}
				text = 0
			}
			if tok.Name.Local == "g" && len(open) > 0 {
				open = open[:len(open)-1]
				if n := len(graphs); n > 0 && graphs[n-1] == level {
					graphs = graphs[:n-1]
				}
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
	return d, nil
}

// attr returns the value of the attribute name of the element, or "".
func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// Check returns nil when doc is a well-formed SVG document that paints no
// background, with every id used once, and shows m as machine.Machine.DOT
// draws it:
//
//   - each state is a group with the id machine.StateID and the class
//     "state" (and "initial", "final" when it is), holding a <text> with
//     its name; an initial state is entered by the group
//     machine.EntryID from the group machine.StartID; a final state leads
//     by the group machine.ExitID to the group machine.EndID;
//   - the edge from A to B is three groups with the class
//     machine.EdgeID(A, B): the label machine.LabelID, holding one <text>
//     per transition label (Transition.Label), and the halves
//     machine.EdgeID and machine.HeadID.
//
// Otherwise its error names everything missing.
func Check(m machine.Machine, doc []byte) error {
	d, err := read(doc)
	if err != nil {
		return err
	}
	if d.background != "" {
		return fmt.Errorf("%s: %w (fill %q)", m.Name, ErrBackground, d.background)
	}
	if len(d.duplicates) > 0 {
		return fmt.Errorf("%s: %w: ids used more than once: %s", m.Name, ErrNotSVG, strings.Join(d.duplicates, ", "))
	}
	var missing []string
	seen := map[string]bool{}
	miss := func(what string) {
		if !seen[what] {
			seen[what] = true
			missing = append(missing, what)
		}
	}
	need := func(id string, classes ...string) *group {
		g := d.groups[id]
		if g == nil {
			miss(fmt.Sprintf("element %q", id))
			return nil
		}
		for _, c := range classes {
			if !slices.Contains(g.classes, c) {
				miss(fmt.Sprintf("class %q on %q", c, id))
			}
		}
		return g
	}
	for _, s := range m.States {
		classes := []string{"state"}
		if s.Initial {
			classes = append(classes, "initial")
			need(machine.StartID, "start")
			need(machine.EntryID(s.Name), "entry")
		}
		if s.Final {
			classes = append(classes, "final")
			need(machine.EndID(s.Name), "end")
			need(machine.ExitID(s.Name), "exit")
		}
		if g := need(machine.StateID(s.Name), classes...); g != nil && !slices.Contains(g.texts, s.Name) {
			miss(fmt.Sprintf("state %q", s.Name))
		}
	}
	for _, t := range m.Transitions {
		edge := machine.EdgeID(t.From, t.To)
		need(edge, "transition", edge)
		need(machine.HeadID(t.From, t.To), "transition", edge)
		if g := need(machine.LabelID(t.From, t.To), "label", edge); g != nil && !slices.Contains(g.texts, t.Label()) {
			miss(fmt.Sprintf("label %q (%s -> %s)", t.Label(), t.From, t.To))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: %w %s", m.Name, ErrMissingText, strings.Join(missing, ", "))
	}
	return nil
}
