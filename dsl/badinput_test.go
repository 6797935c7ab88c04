package dsl

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestBadInput feeds hostile or broken files to Load and Format and
// requires one exact positioned diagnostic each, no model and no output.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		src  []byte
		want string // the first diagnostic
	}{
		{"empty", nil, "bad.esm:1:1: error[E001]: expected \"package NAME\" before end of file: a .esm file starts with its package clause"},
		{"only comments", []byte("// nothing\n"), "bad.esm:2:1: error[E001]: expected \"package NAME\" before end of file: a .esm file starts with its package clause"},
		{"binary junk", []byte("\x7fELF\x02\x01\x01\x00\x00\x00"), "bad.esm:1:1: error[E002]: invalid character U+007F"},
		{"NUL in the middle", []byte("package a\x00b\n"), "bad.esm:1:10: error[E002]: invalid character U+0000"},
		{"invalid UTF-8 in a name", []byte("package caf\xe9\n"), "bad.esm:1:12: error[E002]: invalid UTF-8 encoding"},
		{"invalid UTF-8 in a string", []byte("package p\nimport \"ti\xffme\"\n"), "bad.esm:2:11: error[E002]: invalid UTF-8 encoding"},
		{"invalid UTF-8 in a comment", []byte("package p // \xc3\x28\n"), "bad.esm:1:14: error[E002]: invalid UTF-8 encoding"},
		{"unterminated aggregate", []byte("package p\naggregate A {\n  state S initial {\n"), "bad.esm:4:1: error[E001]: unexpected end of file: the body of state S opened at 3:19 is not closed (add \"}\" after line 3)"},
		{"unterminated import group", []byte("package p\nimport (\n\"time\"\n"), "bad.esm:4:1: error[E001]: unexpected end of file: the import group opened at 2:8 is not closed (add \")\" after line 3)"},
		{"unterminated string", []byte("package p\naggregate A { stream \"A\n}"), "bad.esm:2:22: error[E003]: string literal not terminated"},
		{"unterminated string, CRLF line ends", []byte("package p\r\naggregate A { stream \"A\r\n}"), "bad.esm:2:22: error[E003]: string literal not terminated"},
		{"a lone carriage return in a string", []byte("package p\naggregate A { stream \"A\rB\" }"), "bad.esm:2:24: error[E002]: invalid character U+000D in string literal"},
		{"10 MB", bytes.Repeat([]byte("//"+strings.Repeat("x", 61)+"\n"), 10<<20/64),
			"bad.esm:131073:1: error[E006]: file is 10485760 bytes, larger than the 8388608 bytes esgen reads"},
		{"a million pointers", append([]byte("package p\ntype T { f "), bytes.Repeat([]byte("*"), 1<<20)...),
			"bad.esm:2:76: error[E035]: type is nested more than 64 levels deep"},
		{"Go keyword as package", []byte("package func\n"), "bad.esm:1:9: error[E021]: package name func is a Go keyword"},
		{"esm keyword as field", []byte("package p\ntype T { type string }\n"), "bad.esm:2:10: error[E005]: type is a keyword and cannot be used as a field name"},
		{"esm keyword as state", []byte("package p\naggregate A { state map initial }\n"), "bad.esm:2:21: error[E005]: map is a keyword and cannot be used as a name"},
		{"names equal once exported", []byte("package p\ntype T { node_id string; nodeID string }\nextern U\ntype V { t T; u U }\n"),
			"bad.esm:2:26: error[E023]: field nodeID of type T has the Go name NodeID, like field node_id at line 2"},
		{"states equal once exported", []byte("package p\naggregate A {\n state draft initial\n state Draft final\n command Go\n event Went\n on Go: draft -> Draft emits Went\n}\n"),
			"bad.esm:4:2: error[E018]: Go identifier Draft of state Draft collides with state draft at line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, diags := Load("bad.esm", tt.src)
			if m != nil {
				t.Errorf("Load returned a model")
			}
			if len(diags) == 0 {
				t.Fatal("no diagnostic")
			}
			if got := diags[0].String(); got != tt.want {
				t.Errorf("first diagnostic\n got %s\nwant %s", got, tt.want)
			}
			for _, d := range diags {
				checkPosition(t, tt.src, d)
			}
			if out, fdiags := Format("bad.esm", tt.src); !fdiags.HasErrors() && !strings.Contains(tt.want, "E02") && !strings.Contains(tt.want, "E018") {
				t.Errorf("Format accepted the input: %q", out)
			}
		})
	}
}

// TestGoKeywordFieldNames shows that Go keywords and predeclared names are
// fine as field names: the generated Go spells them Exported (Func, Len)
// and the JSON keeps them as written.
func TestGoKeywordFieldNames(t *testing.T) {
	src := []byte("package p\ntype T {\n    func  string\n    range int\n    len   int\n}\ntype U { t T }\n")
	m, diags := Load("ok.esm", src)
	if m == nil || !slicesEqual(codes(diags), []string{"W007"}) {
		t.Fatalf("Load: %v", diags)
	}
	var names []string
	for _, f := range m.Types[0].Fields {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "func range len" {
		t.Errorf("fields %v", names)
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

// TestLargeFile loads a generated file just under MaxFileSize: a large
// file parses in seconds, without a diagnostic.
func TestLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("loads an 8 MB file")
	}
	src := generateESM(380_000)
	if len(src) > MaxFileSize || len(src) < MaxFileSize*9/10 {
		t.Fatalf("generated %d bytes, want just under %d", len(src), MaxFileSize)
	}
	start := time.Now()
	m, diags := Load("large.esm", src)
	if m == nil || len(diags) != 0 {
		t.Fatalf("Load: %v", diags.Err())
	}
	t.Logf("loaded %d bytes, %d aggregates in %v", len(src), len(m.Aggregates), time.Since(start))
}
