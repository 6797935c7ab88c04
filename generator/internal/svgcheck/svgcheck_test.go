package svgcheck

import (
	"errors"
	"slices"
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

func TestCheck(t *testing.T) {
	m := machine.Machine{
		Name:   "Door",
		States: []machine.State{{Name: "Closed", Initial: true}, {Name: "Open"}},
		Transitions: []machine.Transition{
			{From: "Closed", To: "Open", Command: "Push", Events: []string{"Opened", "Logged"}},
			{From: "Open", To: "Closed", Command: "Pull"},
		},
	}
	tests := []struct {
		name, doc string
		wantErr   string
		is        error
	}{
		{name: "complete", doc: `<svg><text>Closed</text><text>Open</text><text>Push / Opened, Logged</text><text>Pull</text></svg>`},
		{
			name:    "state and label missing",
			doc:     `<svg><text>Closed</text><text>Push / Opened</text><text>Pull</text></svg>`,
			wantErr: `Door: SVG does not show state "Open", label "Push / Opened, Logged" (Closed -> Open)`,
			is:      ErrMissingText,
		},
		{
			name:    "a name outside <text> does not count",
			doc:     `<svg><title>Open</title><text>Closed</text><text>Push / Opened, Logged</text><text>Pull</text></svg>`,
			wantErr: `Door: SVG does not show state "Open"`,
			is:      ErrMissingText,
		},
		{name: "malformed", doc: `<svg>`, wantErr: "not a well-formed SVG document: XML syntax error on line 1: unexpected EOF", is: ErrNotSVG},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(m, []byte(tt.doc))
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
