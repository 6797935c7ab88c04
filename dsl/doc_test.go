package dsl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
)

// languageDoc is the language reference; two of its sections are generated.
const languageDoc = "../docs/language.md"

// TestLanguageDoc keeps the generated sections of docs/language.md
// current: the diagnostic codes (from the code table and the cases in
// testdata/diag) and the grammar (from EBNF). -update rewrites them.
func TestLanguageDoc(t *testing.T) {
	doc, err := os.ReadFile(languageDoc)
	if err != nil {
		t.Fatal(err)
	}
	got := string(doc)
	got = replaceSection(t, got, "codes", codesSection(t))
	got = replaceSection(t, got, "ebnf", "```ebnf\n"+EBNF()+"\n```\n")
	if got == string(doc) {
		return
	}
	if *update {
		if err := os.WriteFile(languageDoc, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("docs/language.md is out of date with the code table, testdata/diag or the grammar; "+
		"run go test ./dsl -run TestLanguageDoc -update and review the change:\n%s",
		diff.Diff("docs/language.md", doc, "generated", []byte(got)))
}

// replaceSection replaces the text between the markers of a section.
func replaceSection(t *testing.T, doc, name, body string) string {
	t.Helper()
	begin, end := "<!-- BEGIN generated "+name+" -->\n", "<!-- END generated "+name+" -->"
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("docs/language.md lacks the markers %q and %q", begin, end)
	}
	return doc[:i+len(begin)] + body + doc[j:]
}

// codesSection documents every code with the input and output of its
// main case, testdata/diag/CODE-NAME.txtar.
func codesSection(t *testing.T) string {
	cases := map[string]diagCase{}
	for _, c := range readDiagCases(t) {
		cases[strings.TrimSuffix(filepath.Base(c.path), ".txtar")] = c
	}
	var b strings.Builder
	b.WriteString("| code | name | severity | what it reports |\n|---|---|---|---|\n")
	for _, info := range codeTable {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", info.Code, strings.ToLower(info.Code+"-"+info.Name), info.Name, info.Severity, info.Summary)
	}
	for _, info := range codeTable {
		c, ok := cases[info.Code+"-"+info.Name]
		if !ok {
			t.Fatalf("code %s has no main case testdata/diag/%s-%s.txtar", info.Code, info.Code, info.Name)
		}
		fmt.Fprintf(&b, "\n### %s %s\n\n", info.Code, info.Name)
		sev := info.Severity.String()
		fmt.Fprintf(&b, "**%s.** %s.", strings.ToUpper(sev[:1])+sev[1:], strings.ToUpper(info.Summary[:1])+info.Summary[1:])
		var notes, grow []string
		for _, line := range strings.Split(strings.TrimSpace(string(c.arc.Comment)), "\n") {
			if n, ok := strings.CutPrefix(line, "grow: "); ok {
				grow = append(grow, "(input.esm is padded with spaces to "+n+" bytes.)")
				continue
			}
			notes = append(notes, line)
		}
		notes = append(notes, grow...)
		fmt.Fprintf(&b, "\n\nExample: %s\n\n", strings.Join(notes, " "))
		input := string(archiveFile(c.arc, "input.esm"))
		if old := archiveFile(c.arc, "old.esm"); old != nil {
			fmt.Fprintf(&b, "Published (`esgen check --against` reads it at the reference):\n\n```esm\n%s```\n\nNow:\n\n", old)
		}
		fmt.Fprintf(&b, "```esm\n%s```\n\n```\n%s```\n", input, archiveFile(c.arc, "want"))
		if explain := archiveFile(c.arc, "explain"); len(explain) > 0 {
			fmt.Fprintf(&b, "\n`esgen check -explain %s input.esm` prints the counterexample as a test:\n\n```go\n%s```\n", info.Code, explain)
		}
	}
	return b.String()
}
