package generator

import (
	"bytes"
	"go/format"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/esgen/esgen/dsl"
)

func TestDocStarts(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // the text at each start, up to the end of its line
	}{
		{
			name: "doc comments of top-level declarations",
			src: "package p\n\nimport (\n\"fmt\"\n)\n// A is.\n// More.\ntype A struct{\nx int\n}\n" +
				"func (A) m () {}\n// B is.\nfunc B () {\n// inside\nfmt.Println (\"}\")\n}\n// C.\nvar C = 1\n// D.\nconst D = 2\n",
			want: []string{"// A is.", "// B is.", "// C.", "// D."},
		},
		{
			name: "comments inside bodies and literals are not top level",
			src: "package p\nfunc f () {\nx := `\n// no\nfunc g () {`\n// no\nfunc h () {}\n}\n" +
				"func g () {\ns := \"{\\\"\"\nr := '{'\n/* { */\n// no\ntype T int\n}\n// yes\nfunc h () {}\n",
			want: []string{"// yes"},
		},
		{
			name: "a comment apart from the declaration is not its doc",
			src:  "package p\n// free\n\nfunc f () {}\n// free\nx\n// doc\nfunc g () {}\n",
			want: []string{"// doc"},
		},
		{name: "no declaration", src: "package p\n// Package p.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, i := range docStarts([]byte(tt.src)) {
				line, _, _ := strings.Cut(tt.src[i:], "\n")
				got = append(got, line)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("docStarts = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFormatChunksAsGofmt checks that formatting a file in chunks, cut at
// every place chunks may cut it, gives the bytes of gofmt on the whole file,
// and that those bytes are gofmt's fixed point: on every golden case and
// on generated machines large enough to hold every kind of declaration.
func TestFormatChunksAsGofmt(t *testing.T) {
	models := map[string]*dsl.File{
		"bench-100":         benchModel(100, false),
		"bench-37-distinct": benchModel(37, true),
	}
	for _, c := range loadGoldenCases(t) {
		if c.model != nil {
			models[c.name] = c.model
		}
	}
	for name, f := range models {
		steps, err := fileSteps(f, f.Package, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range steps {
			raw, err := step()
			if err != nil {
				t.Fatal(err)
			}
			whole, err := format.Source(raw.src)
			if err != nil {
				t.Fatalf("%s/%s: %v", name, raw.name, err)
			}
			whole = spaceDecls(groupImports(whole))
			if again, err := format.Source(whole); err != nil || !bytes.Equal(again, whole) {
				t.Errorf("%s/%s: not gofmt'd (%v):\n%s", name, raw.name, err, diff.Diff("generated", whole, "gofmt", again))
			}
			spans := chunks(raw.src, 1)
			if len(spans) < 2 && len(raw.src) > 4000 {
				t.Errorf("%s/%s: %d bytes in one chunk", name, raw.name, len(raw.src))
			}
			parts := make([][]byte, len(spans))
			for i, s := range spans {
				if parts[i], err = formatChunk(raw, chunk{index: i, start: s[0], end: s[1]}); err != nil {
					t.Fatal(err)
				}
			}
			if chunked := join(parts); !bytes.Equal(chunked, whole) {
				t.Errorf("%s/%s: formatted in %d chunks, it differs from gofmt's output:\n%s",
					name, raw.name, len(spans), diff.Diff("gofmt", whole, "chunks", chunked))
			}
		}
	}
}
