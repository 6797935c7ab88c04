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
