package outname

import (
	"slices"
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Base("Order"), "order"},
		{Types("Order"), "order.gen.go"},
		{Decide("Order"), "order_decide.gen.go"},
		{Codec("Order"), "order_codec.gen.go"},
		{Repository("Order"), "order_repository.gen.go"},
		{Log("Order"), "order_log.gen.go"},
		{GenTest("Order"), "order_gen_test.go"},
		{Skeleton("Order"), "order_test.go"},
		{Diagram("Order", "svg"), "order.svg"},
		{FileTypes("orders.esm"), "orders_types.gen.go"},
		{FileTypes("examples/orders.esm"), "orders_types.gen.go"},
		{FileTypes(`examples\Orders.esm`), "Orders_types.gen.go"},
		{FileTypes("orders.v2.esm"), "orders.v2_types.gen.go"},
		{FileTypes("orders"), "orders_types.gen.go"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestAggregateFiles(t *testing.T) {
	for _, eventual := range []bool{false, true} {
		files := AggregateFiles("Order", eventual)
		if got := slices.Compact(slices.Sorted(slices.Values(files))); len(got) != len(files) {
			t.Errorf("eventual=%v: a name twice in %q", eventual, files)
		}
		for _, f := range files {
			if !strings.HasPrefix(f, "order") {
				t.Errorf("eventual=%v: %q does not start with the aggregate's base", eventual, f)
			}
		}
		if slices.Contains(files, Log("Order")) != eventual || slices.Contains(files, Decide("Order")) == eventual {
			t.Errorf("eventual=%v: %q", eventual, files)
		}
	}
}

func TestProblem(t *testing.T) {
	for _, c := range []struct {
		name string
		want string // a part of the problem; "" for none
	}{
		{"order.gen.go", ""},
		{"order_test.go", ""},
		{"order_gen_test.go", ""},
		{"orders_types.gen.go", ""},
		{"windows.gen.go", ""}, // a whole name is no constraint
		{"box_windows_codec.gen.go", ""},
		{"box_windows_gen_test.go", ""},
		{"box_windows_types.gen.go", ""},
		{"box.windows_types.gen.go", ""},
		{"box_unix.gen.go", ""}, // unix is a build tag, not a file name suffix
		{"order.svg", ""},
		{"_order.svg", ""},
		{"box_windows.md", ""},
		{"auxiliary.gen.go", ""},
		{"_order.gen.go", "starts with _"},
		{".order_types.gen.go", "starts with ."},
		{"box_windows.gen.go", "suffix _windows"},
		{"box_windows_test.go", "suffix _windows"},
		{"box_arm64.gen.go", "suffix _arm64"},
		{"box_linux_amd64.gen.go", "suffix _amd64"},
		{"box_js_wasm_test.go", "suffix _wasm"},
		{"box_windows.v2_types.gen.go", "suffix _windows"},
		{"aux.gen.go", "Windows reserves the name aux"},
		{"Com1.svg", "Windows reserves the name Com1"},
		{"nul.md", "Windows reserves"},
		{strings.Repeat("a", 248) + ".gen.go", ""},
		{strings.Repeat("a", 249) + ".gen.go", "it is 256 bytes long, more than the 255 bytes"},
	} {
		got := Problem(c.name)
		if (got == "") != (c.want == "") || !strings.Contains(got, c.want) {
			t.Errorf("Problem(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestKey(t *testing.T) {
	if Key("Orders_types.gen.go") != Key(Types("ORDERS_TYPES")) {
		t.Error("names differing in case only have different keys")
	}
}

func TestLongest(t *testing.T) {
	for _, eventual := range []bool{false, true} {
		files := AggregateFiles("Order", eventual)
		want := Repository("Order")
		if eventual {
			want = Codec("Order")
		}
		if got := Longest(files); got != want {
			t.Errorf("eventual=%v: Longest = %q, want %q", eventual, got, want)
		}
	}
	if got := Longest(nil); got != "" {
		t.Errorf("Longest(nil) = %q", got)
	}
}
