package dsl

import (
	"os"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl/ast"
)

// TestCheckParsed checks that CheckParsed, run twice on the same syntax
// trees, reports what LoadPackage reports, on the files of the orders
// package as they are and with an event a process names misspelt.
func TestCheckParsed(t *testing.T) {
	var srcs []Source
	for _, name := range []string{"orders.esm", "payments.esm", "shipments.esm", "fulfilment.esm"} {
		b, err := os.ReadFile("../examples/" + name)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, Source{Name: name, Data: b})
	}
	broken := append([]Source(nil), srcs...)
	broken[0].Data = []byte(strings.ReplaceAll(string(srcs[0].Data), "event OrderSubmitted", "event OrderSubmited"))
	syntax := Source{Name: "syntax.esm", Data: []byte("package orders\n\naggregate {\n")}
	broken = append(broken, syntax)
	// A file that does not parse beside files that check clean: the
	// others are checked and linked.
	oneBroken := append(append([]Source(nil), srcs...), syntax)
	for k, in := range [][]Source{srcs, broken, oneBroken} {
		wantFiles, want := LoadPackage(in)
		if (k == 0) != (len(want) == 0) {
			t.Errorf("package %d: diagnostics\n%s", k, formatDiags(want))
		}
		var parsed []*ast.File
		var parseDiags Diagnostics
		for _, s := range in {
			f, ds := Parse(s.Name, s.Data)
			parseDiags = append(parseDiags, ds...)
			parsed = append(parsed, f)
		}
		for run := range 2 {
			files, ds := CheckParsed(parsed)
			all := append(append(Diagnostics(nil), parseDiags...), ds...)
			all.Sort()
			if got, w := formatDiags(all), formatDiags(want); got != w {
				t.Errorf("run %d: diagnostics\n%s\nwant (LoadPackage)\n%s", run, got, w)
			}
			for i := range files {
				if parseDiags.HasErrors() { // LoadPackage drops every model then; CheckParsed did not see them
					if (files[i] == nil) != (parsed[i] == nil || ds.HasErrors()) {
						t.Errorf("run %d: file %d: model %v", run, i, files[i] != nil)
					}
					continue
				}
				if (files[i] == nil) != (wantFiles[i] == nil) {
					t.Errorf("run %d: file %d: model %v, LoadPackage's %v", run, i, files[i] != nil, wantFiles[i] != nil)
				}
			}
		}
	}
}
