package build

import "testing"

func TestReadByGoGenerate(t *testing.T) {
	for _, c := range []struct {
		goFile, name string
		read         bool
	}{
		{"gen.go", "m.gen.go", false},           // after it in name order
		{"z.go", "m.gen.go", true},              // before it
		{"gen.go", "a.gen.go", true},            // before it
		{"gen.go", "m_gen_test.go", false},      // test files come last
		{"gen_test.go", "m.gen.go", true},       // every other file before a test file
		{"gen_test.go", "a_gen_test.go", false}, // internal or external test: unknown, so never taken as read
	} {
		if got := readByGoGenerate(c.goFile, c.name); got != c.read {
			t.Errorf("readByGoGenerate(%q, %q) = %v, want %v", c.goFile, c.name, got, c.read)
		}
	}
}
