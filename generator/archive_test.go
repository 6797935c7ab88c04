package generator

import (
	"context"
	"strings"
	"testing"
)

// TestArchiveAfter: archive after passes the retention period and the
// final states to the runtime definition; without it neither appears.
func TestArchiveAfter(t *testing.T) {
	src := `package shop

aggregate Order {
    archive after 2160h
    state Draft initial
    state Done final
    state Gone final
    command Close
    command Drop
    event Closed
    event Dropped
    on Close: Draft -> Done emits Closed
    on Drop: Draft -> Gone emits Dropped
}
`
	decide := func(src string) string {
		t.Helper()
		files, err := Generate(context.Background(), load(t, "shop.esm", src), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.Name == "order_decide.gen.go" {
				return string(f.Data)
			}
		}
		t.Fatal("no order_decide.gen.go")
		return ""
	}
	got := decide(src)
	for _, want := range []string{
		"\t\tArchiveAfter: 2160 * time.Hour,\n",
		"\t\tFinal: func(s OrderState) bool {\n\t\t\tswitch s.(type) {\n\t\t\tcase Done, Gone:\n\t\t\t\treturn true\n\t\t\t}\n\t\t\treturn false\n\t\t},\n",
		"An instance 2160h after",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("order_decide.gen.go lacks %q:\n%s", want, got)
		}
	}
	without := decide(strings.Replace(src, "    archive after 2160h\n", "", 1))
	if strings.Contains(without, "ArchiveAfter") || strings.Contains(without, "Final: func") {
		t.Errorf("without archive after, the definition names ArchiveAfter or Final")
	}
}
