package dsl

import "testing"

// addSeeds adds every test input up to 64 KiB to the corpus.
func addSeeds(f *testing.F) {
	for _, src := range allInputs(f) {
		if len(src) <= 64<<10 {
			f.Add(src)
		}
	}
}

// FuzzLoad checks that parsing and checking never panic, that Load
// returns a model exactly when there is no error, and that every
// diagnostic is sorted, named after its code and positioned inside the
// input with consistent line and column.
func FuzzLoad(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		m, ds := Load("fuzz.esm", src)
		if ds.HasErrors() != (m == nil) {
			t.Fatalf("model %v with errors=%v: %v", m != nil, ds.HasErrors(), ds)
		}
		for i, d := range ds {
			if info := lookupCode(d.Code); info.Name != d.Name || info.Severity != d.Severity {
				t.Errorf("diagnostic %v has name %s, severity %v; code table says %s, %v", d, d.Name, d.Severity, info.Name, info.Severity)
			}
			if i > 0 && ds[i-1].Pos.Offset > d.Pos.Offset {
				t.Errorf("diagnostics not sorted: %v before %v", ds[i-1], d)
			}
			if d.Pos.Filename != "fuzz.esm" {
				t.Errorf("%v: file name %q", d, d.Pos.Filename)
			}
			if d.Message == "" {
				t.Errorf("%v: empty message", d)
			}
			checkPosition(t, src, d)
		}
	})
}

// FuzzFormat checks the formatter's round trip: output only for input
// that parses, output that parses again, is a fixpoint and loads to the
// same model.
func FuzzFormat(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFormatProperties(t, src)
	})
}
