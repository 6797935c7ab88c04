package dsl

// Load parses and checks a .esm file. The File is nil when any diagnostic
// is an error; the diagnostics are sorted by position.
func Load(filename string, src []byte) (*File, Diagnostics) {
	f, diags := Parse(filename, src)
	if diags.HasErrors() {
		return nil, diags
	}
	m, cdiags := Check(f)
	return m, append(diags, cdiags...)
}

// Format returns src in the canonical layout. PLACEHOLDER.
func Format(filename string, src []byte) ([]byte, Diagnostics) {
	return nil, Diagnostics{{Pos: Position{Filename: filename, Line: 1, Column: 1}, Severity: SeverityError, Code: "E000", Name: "not-implemented", Message: "the .esm formatter is not built yet"}}
}
