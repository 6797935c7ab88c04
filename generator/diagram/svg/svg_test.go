package svg

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/esgen/esgen/runtime/machine"
)

var door = machine.Machine{
	Name: "Door",
	States: []machine.State{
		{Name: "Closed", Initial: true},
		{Name: "Open"},
		{Name: "Broken", Final: true},
	},
	Transitions: []machine.Transition{
		{From: "Closed", To: "Open", Command: "Push", Events: []string{"Opened"}},
		{From: "Open", To: "Open", Command: "Wave", Events: []string{"Waved"}},
		{From: "Open", To: "Broken", Command: "Kick", Events: []string{"Broke", "AlarmRaised"}},
		{From: "Open", To: "Closed", Command: "Pull"},
	},
}

// svgTexts parses doc as XML and returns the character data of every
// <text> element, failing the test when doc is not well-formed or is not
// an <svg> document.
func svgTexts(t *testing.T, doc []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	var (
		texts  []string
		inText bool
		cur    strings.Builder
		root   string
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
			if tok.Name.Local == "text" {
				inText = true
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				cur.Write(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "text" {
				inText = false
				texts = append(texts, cur.String())
			}
		}
	}
	if root != "svg" {
		t.Fatalf("root element is <%s>, want <svg>", root)
	}
	return texts
}

// CheckMachineSVG fails the test unless doc is well-formed SVG showing the
// name of every state and the label of every transition of m.
func checkMachineSVG(t *testing.T, m machine.Machine, doc []byte) {
	t.Helper()
	have := map[string]bool{}
	for _, s := range svgTexts(t, doc) {
		have[s] = true
	}
	for _, s := range m.States {
		if !have[s.Name] {
			t.Errorf("SVG has no text %q (state)", s.Name)
		}
	}
	for _, tr := range m.Transitions {
		if !have[tr.Label()] {
			t.Errorf("SVG has no text %q (transition %s -> %s)", tr.Label(), tr.From, tr.To)
		}
	}
}

func TestRenderStructure(t *testing.T) {
	for _, hl := range []string{"", "Open"} {
		doc, err := Render(context.Background(), door.DOT(machine.Options{Highlight: hl}))
		if err != nil {
			t.Fatal(err)
		}
		checkMachineSVG(t, door, doc)
		hasFill := bytes.Contains(doc, []byte(`fill="`+machine.HighlightColor+`"`))
		if hasFill != (hl != "") {
			t.Errorf("highlight %q: SVG contains the highlight fill = %v", hl, hasFill)
		}
	}
}

func TestRenderDeterministicAndConcurrent(t *testing.T) {
	dot := door.DOT(machine.Options{})
	want, err := Render(context.Background(), dot)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			got, err := Render(context.Background(), dot)
			if err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(got, want) {
				errs <- errors.New("SVG differs between renders of the same DOT")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestRenderErrors(t *testing.T) {
	_, err := Render(context.Background(), []byte("digraph { a -> "))
	if err == nil || err.Error() != "svg: parse dot: syntax error in line 1 near '-'" && !strings.HasPrefix(err.Error(), "svg: parse dot: syntax error") {
		t.Errorf("bad DOT: err = %v, want a parse error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Render(ctx, door.DOT(machine.Options{})); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want context.Canceled", err)
	}
}
