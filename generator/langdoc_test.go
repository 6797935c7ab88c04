package generator

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
)

// hooksSection is the section of docs/language.md that explains, on one
// example, when Evolve and upcasts are generated and when a hook is
// demanded.
const hooksSection = "## What is generated and what you write\n"

// TestLanguageDocHooks keeps that section true: its .esm example must be
// formatted and check clean, and every Go excerpt shown after it must
// appear, line for line (indentation aside), in what Generate writes for
// the example.
func TestLanguageDocHooks(t *testing.T) {
	doc, err := os.ReadFile("../docs/language.md")
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(doc, []byte(hooksSection))
	if start < 0 {
		t.Fatalf("docs/language.md has no section %q", strings.TrimSpace(hooksSection))
	}
	section := string(doc[start+len(hooksSection):])
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	esm := fencedBlocks(section, "esm")
	excerpts := fencedBlocks(section, "go")
	if len(esm) != 1 || len(excerpts) == 0 {
		t.Fatalf("the section has %d esm and %d go blocks, want one esm example and Go excerpts", len(esm), len(excerpts))
	}
	src := []byte(esm[0])
	if formatted, ds := dsl.Format("parcels.esm", src); ds.HasErrors() || !bytes.Equal(formatted, src) {
		t.Errorf("the example is not formatted (%v):\n%s", ds.Err(), formatted)
	}
	f, ds := dsl.Load("parcels.esm", src)
	if len(ds) > 0 {
		t.Fatalf("the example does not check clean:\n%s", diagText(ds))
	}
	files, err := Generate(t.Context(), f, Options{NoTests: true})
	if err != nil {
		t.Fatal(err)
	}
	var generated [][]string
	for _, f := range files {
		generated = append(generated, trimmedLines(string(f.Data)))
	}
	for _, ex := range excerpts {
		want := trimmedLines(ex)
		found := false
		for _, lines := range generated {
			if containsRun(lines, want) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("this excerpt is not in the generated code:\n%s", ex)
		}
	}
}

// fencedBlocks returns the content of every ```lang block of markdown.
func fencedBlocks(markdown, lang string) []string {
	var blocks []string
	open := "```" + lang + "\n"
	for {
		i := strings.Index(markdown, open)
		if i < 0 {
			return blocks
		}
		rest := markdown[i+len(open):]
		end := strings.Index(rest, "```\n")
		if end < 0 {
			return blocks
		}
		blocks = append(blocks, rest[:end])
		markdown = rest[end:]
	}
}

func trimmedLines(s string) []string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return lines
}

// containsRun reports whether want occurs in lines as consecutive lines.
func containsRun(lines, want []string) bool {
	for i := 0; i+len(want) <= len(lines); i++ {
		match := true
		for j, w := range want {
			if lines[i+j] != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
