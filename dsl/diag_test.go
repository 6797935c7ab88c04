package dsl

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/rogpeppe/go-internal/txtar"
)

// A diagnostic case is a txtar archive in testdata/diag named after the
// code it is about (E012-unreachable-state.txtar, E012-...-2.txtar) with
// two files: input.esm and want, the exact diagnostics Load reports, one
// per line as Diagnostic.String prints them; a case of a finding with a
// counterexample (ExplainCodes) has a third, explain: what Explain
// prints for its code, the test esgen check -explain shows. A case of a
// breaking change (B001...) has a third file, old.esm, the published
// version input.esm is compared with (Breaking). A line "grow: N" in the
// archive comment pads input.esm with spaces to N bytes.

// diagCase is one parsed case.
type diagCase struct {
	path  string
	arc   *txtar.Archive
	input []byte
	old   []byte // old.esm, for a breaking change; nil when none
}

// readDiagCases reads every case of testdata/diag.
func readDiagCases(t testing.TB) []diagCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "diag", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no diagnostic cases in testdata/diag")
	}
	var cases []diagCase
	for _, p := range paths {
		arc, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c := diagCase{path: p, arc: arc}
		for _, f := range arc.Files {
			switch f.Name {
			case "input.esm":
				c.input = f.Data
			case "old.esm":
				c.old = f.Data
			}
		}
		if c.input == nil {
			t.Fatalf("%s: no input.esm", p)
		}
		for _, line := range strings.Split(string(arc.Comment), "\n") {
			if n, ok := strings.CutPrefix(line, "grow: "); ok {
				size, err := strconv.Atoi(n)
				if err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				c.input = append(c.input, bytes.Repeat([]byte(" "), size-len(c.input))...)
			}
		}
		cases = append(cases, c)
	}
	return cases
}

// formatDiags prints diagnostics one per line.
func formatDiags(ds Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestDiagnostics loads every case and compares the diagnostics with its
// want file; -update rewrites the want files.
func TestDiagnostics(t *testing.T) {
	for _, c := range readDiagCases(t) {
		name := strings.TrimSuffix(filepath.Base(c.path), ".txtar")
		t.Run(name, func(t *testing.T) {
			m, ds := Load("input.esm", c.input)
			if ds.HasErrors() != (m == nil) {
				t.Errorf("Load returned model %v with errors=%v", m != nil, ds.HasErrors())
			}
			if c.old != nil {
				old, ods := Load("input.esm", c.old)
				if old == nil || m == nil {
					t.Fatalf("old.esm and input.esm must load:\n%s%s", formatDiags(ods), formatDiags(ds))
				}
				ds = append(ds, Breaking([]*File{old}, []*File{m})...)
				ds.Sort()
			}
			for i, d := range ds {
				if info := lookupCode(d.Code); info.Name != d.Name || info.Severity != d.Severity {
					t.Errorf("diagnostic %d has name %s and severity %v, code table says %s and %v", i, d.Name, d.Severity, info.Name, info.Severity)
				}
				if i > 0 && ds[i-1].Pos.Offset > d.Pos.Offset {
					t.Errorf("diagnostics not sorted by position: %v before %v", ds[i-1], d)
				}
				checkPosition(t, c.input, d)
			}
			got := formatDiags(ds)
			code, _, _ := strings.Cut(name, "-")
			if !strings.Contains(got, "["+code+"]") {
				t.Errorf("case is named for %s but reports no %s:\n%s", code, code, got)
			}
			// A finding with a counterexample has its -explain test in
			// the file explain.
			files := map[string]string{"want": got}
			if slices.Contains(ExplainCodes, code) {
				files["explain"] = Explain(ds, code)
			}
			if *update {
				for _, name := range []string{"want", "explain"} {
					data, ok := files[name]
					if !ok {
						continue
					}
					i := slices.IndexFunc(c.arc.Files, func(f txtar.File) bool { return f.Name == name })
					if i < 0 {
						c.arc.Files = append(c.arc.Files, txtar.File{Name: name})
						i = len(c.arc.Files) - 1
					}
					c.arc.Files[i].Data = []byte(data)
				}
				if err := os.WriteFile(c.path, txtar.Format(c.arc), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, name := range []string{"want", "explain"} {
				gotFile, ok := files[name]
				if !ok {
					continue
				}
				var want []byte
				for _, f := range c.arc.Files {
					if f.Name == name {
						want = f.Data
					}
				}
				if gotFile != string(want) {
					t.Errorf("%s differs (go test ./dsl -run TestDiagnostics -update rewrites it):\n%s", name, diff.Diff("want", want, "got", []byte(gotFile)))
				}
			}
		})
	}
}

// TestEveryCodeHasACase fails for a code without a case in testdata/diag.
func TestEveryCodeHasACase(t *testing.T) {
	have := map[string]bool{}
	for _, c := range readDiagCases(t) {
		code, _, _ := strings.Cut(filepath.Base(c.path), "-")
		have[code] = true
	}
	for _, info := range codeTable {
		if !have[info.Code] {
			t.Errorf("code %s (%s) has no case: add testdata/diag/%s-%s.txtar", info.Code, info.Name, info.Code, info.Name)
		}
	}
}

// checkPosition fails when a diagnostic's position is not a valid
// position of src: offset within [0, len(src)] and line and column those
// of the offset.
func checkPosition(t testing.TB, src []byte, d Diagnostic) {
	t.Helper()
	if d.Pos.Offset < 0 || d.Pos.Offset > len(src) {
		t.Errorf("%v: offset %d outside the input (%d bytes)", d, d.Pos.Offset, len(src))
		return
	}
	want := positionAt(d.Pos.Filename, src, d.Pos.Offset)
	if want.Line != d.Pos.Line || want.Column != d.Pos.Column {
		t.Errorf("%v: offset %d is at %d:%d, not %d:%d", d, d.Pos.Offset, want.Line, want.Column, d.Pos.Line, d.Pos.Column)
	}
}
