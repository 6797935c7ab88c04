package dsl

import (
	"strings"
	"testing"
)

// TestFileNameOfTheESMFile checks E036 for the .esm file's own output,
// <name>_types.gen.go, which the diagnostic cases (all named input.esm)
// cannot show: reported at the package clause.
func TestFileNameOfTheESMFile(t *testing.T) {
	const till = "package shop\n\ntype Money { cents int64 }\n\naggregate Till {\n    state Open initial { float Money }\n    state Closed final\n    command Close\n    event Closed\n    on Close: Open -> Closed emits Closed\n}\n"
	const tillTypes = "package shop\n\ntype Money { cents int64 }\n\neventual aggregate Till_types {\n    event Counted { amount Money }\n}\n"
	for _, c := range []struct{ name, src, want string }{
		{"orders.esm", till, ""},
		{"shop/orders_windows.esm", till, ""},
		{"", till, ""},
		{"<stdin>", till, ""},
		{"_orders.esm", till, "_orders.esm:1:1: error[E036]: file _orders.esm generates file _orders_types.gen.go: the go tool ignores Go files whose name starts with _ (rename the .esm file)"},
		{"shop/.orders.esm", till, "shop/.orders.esm:1:1: error[E036]: file .orders.esm generates file .orders_types.gen.go: the go tool ignores Go files whose name starts with . (rename the .esm file)"},
		{"box_windows.v2.esm", till, "box_windows.v2.esm:1:1: error[E036]: file box_windows.v2.esm generates file box_windows.v2_types.gen.go: the go tool builds it only on the platforms its suffix _windows names (rename the .esm file)"},
		{"till_types.esm", till, ""},
		{strings.Repeat("t", 242) + ".esm", till, ""},
		{"shop/" + strings.Repeat("t", 243) + ".esm", till, "shop/" + strings.Repeat("t", 243) + ".esm:1:1: error[E036]: file " + strings.Repeat("t", 243) +
			".esm has too long a name for the file it generates: the one ending in _types.gen.go would be 256 bytes, more than the 255 a file name can have (shorten the .esm file's name by at least 1 byte)"},
		{"Till.esm", tillTypes, "Till.esm:5:1: error[E036]: file till_types.gen.go of aggregate Till_types collides with Till_types.gen.go of file Till.esm at line 1 (rename the aggregate: its files are named after it in lower case)"},
	} {
		_, diags := Load(c.name, []byte(c.src))
		got := ""
		for _, d := range diags {
			if d.Code == codeFileName {
				got += d.String()
			}
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.name, got, c.want)
		}
	}
}
