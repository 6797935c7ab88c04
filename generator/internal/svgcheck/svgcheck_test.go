package svgcheck

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/machine"
)

func TestTexts(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string
		wantErr   string
	}{
		{
			name: "texts in order, entities decoded, nested elements read",
			doc: `<?xml version="1.0"?>
<!-- comment -->
<svg><g><text>Draft</text><text>Submit / A &amp; B</text></g><title>x</title><text>a<tspan>b</tspan>c</text></svg>`,
			want: []string{"Draft", "Submit / A & B", "abc"},
		},
		{name: "no text", doc: `<svg/>`},
		{name: "empty", doc: ``, wantErr: "not a well-formed SVG document: no root element"},
		{name: "unclosed", doc: `<svg><text>Draft</svg>`, wantErr: "not a well-formed SVG document: XML syntax error on line 1: element <text> closed by </svg>"},
		{name: "truncated", doc: `<svg><text>Draft</text>`, wantErr: "not a well-formed SVG document: XML syntax error on line 1: unexpected EOF"},
		{name: "bad entity", doc: `<svg><text>&nbsp;</text></svg>`, wantErr: "not a well-formed SVG document: XML syntax error on line 1: invalid character entity &nbsp;"},
		{name: "other root", doc: `<html><text>Draft</text></html>`, wantErr: "not a well-formed SVG document: the root element is <html>, want <svg>"},
		{name: "two roots", doc: `<svg></svg><svg></svg>`, wantErr: "not a well-formed SVG document: a second root element <svg>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Texts([]byte(tt.doc))
			if tt.wantErr != "" {
				if !errors.Is(err, ErrNotSVG) || err.Error() != tt.wantErr {
					t.Fatalf("Texts = %q, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("Texts = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// doorSVG is a drawing of door with every element Check looks for; each
// case of TestCheck changes one thing of it.
const doorSVG = `<svg><g id="graph0" class="graph esgen"><title>Door</title>
<g id="start" class="node start"><ellipse fill="gray"/></g>
<g id="state-Closed" class="node state initial"><title>Closed</title><path fill="#f3f4f6"/><text>Closed</text></g>
<g id="state-Open" class="node state final"><path fill="#f3f4f6"/><text>Open</text></g>
<g id="end-Open" class="node end"><ellipse/></g>
<g id="entry-Closed" class="edge entry"><path/></g>
<g id="label-Closed-Open" class="node label edge-Closed-Open"><text>Push / Opened, Logged</text></g>
<g id="edge-Closed-Open" class="edge transition edge-Closed-Open"><path/></g>
<g id="head-Closed-Open" class="edge transition edge-Closed-Open"><path/></g>
<g id="label-Open-Closed" class="node label edge-Open-Closed"><text>Pull</text><text>Kick</text></g>
<g id="edge-Open-Closed" class="edge transition edge-Open-Closed"><path/></g>
<g id="head-Open-Closed" class="edge transition edge-Open-Closed"><path/></g>
<g id="exit-Open" class="edge exit"><path/></g>
</g></svg>`

func TestCheck(t *testing.T) {
	m := machine.Machine{
		Name:   "Door",
		States: []machine.State{{Name: "Closed", Initial: true}, {Name: "Open", Final: true}},
		Transitions: []machine.Transition{
			{From: "Closed", To: "Open", Command: "Push", Events: []string{"Opened", "Logged"}},
			{From: "Open", To: "Closed", Command: "Pull"},
			{From: "Open", To: "Closed", Command: "Kick"},
		},
	}
	tests := []struct {
		name, old, new string
		wantErr        string
		is             error
	}{
		{name: "complete"},
		{
			name: "a state name missing",
			old:  "<text>Open</text>", new: "<text>Ope</text>",
			wantErr: `Door: SVG does not show state "Open"`,
			is:      ErrMissingText,
		},
		{
			name:    "a label outside its label's group does not count",
			old:     `<g id="label-Open-Closed" class="node label edge-Open-Closed"><text>Pull</text>`,
			new:     `<text>Pull</text><g id="label-Open-Closed" class="node label edge-Open-Closed">`,
			wantErr: `Door: SVG does not show label "Pull" (Open -> Closed)`,
			is:      ErrMissingText,
		},
		{
			name: "a name outside <text> does not count",
			old:  "<text>Closed</text>", new: "",
			wantErr: `Door: SVG does not show state "Closed"`,
			is:      ErrMissingText,
		},
		{
			name: "ids and classes missing, each named once",
			old:  `<g id="head-Open-Closed" class="edge transition edge-Open-Closed">`, new: `<g id="head-Open-Closed" class="edge">`,
			wantErr: `Door: SVG does not show class "transition" on "head-Open-Closed", class "edge-Open-Closed" on "head-Open-Closed"`,
			is:      ErrMissingText,
		},
		{
			name: "markers missing",
			old:  `<g id="end-Open" class="node end"><ellipse/></g>`, new: `<g id="start-Open" class="node end"><ellipse/></g>`,
			wantErr: `Door: SVG does not show element "end-Open"`,
			is:      ErrMissingText,
		},
		{
			name: "final class missing",
			old:  `class="node state final"`, new: `class="node state"`,
			wantErr: `Door: SVG does not show class "final" on "state-Open"`,
			is:      ErrMissingText,
		},
		{
			name: "an id twice",
			old:  `<g id="exit-Open"`, new: `<g id="start"`,
			wantErr: `Door: not a well-formed SVG document: ids used more than once: start`,
			is:      ErrNotSVG,
		},
		{
			name: "a white background",
			old:  `<title>Door</title>`, new: `<title>Door</title><polygon fill="white" stroke="none"/>`,
			wantErr: `Door: SVG paints a background (fill "white")`,
			is:      ErrBackground,
		},
		{
			name: "a transparent background is none",
			old:  `<title>Door</title>`, new: `<title>Door</title><polygon fill="transparent" stroke="none"/>`,
		},
		{name: "malformed", old: "</svg>", new: "", wantErr: "not a well-formed SVG document: XML syntax error on line 14: unexpected EOF", is: ErrNotSVG},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := doorSVG
			if tt.old != "" {
				if !strings.Contains(doc, tt.old) {
					t.Fatalf("the drawing has no %s", tt.old)
				}
				doc = strings.Replace(doc, tt.old, tt.new, 1)
			}
			err := Check(m, []byte(doc))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.is) || err.Error() != tt.wantErr {
				t.Fatalf("Check = %v, want %q (matching %v)", err, tt.wantErr, tt.is)
			}
		})
	}
}
