package generator

import (
	"fmt"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
)

// deepState is an aggregate whose state holds a chain of value types
// levels deep, the last with the field last; and a recursive type.
func deepState(levels int, last string) string {
	var b strings.Builder
	b.WriteString("package deep\n\ntype Tree { kids []Tree; label string }\n\n")
	for i := range levels {
		fmt.Fprintf(&b, "type L%d { next L%d }\n", i, i+1)
	}
	fmt.Fprintf(&b, "type L%d { %s }\n\n", levels, last)
	b.WriteString("aggregate Deep {\n    state Open initial { root L0; tree Tree }\n    state Done final\n    command Close\n    event Closed\n    on Close: Open -> Done emits Closed\n}\n")
	return b.String()
}

// TestStateSchemaDeep: a change of a value type however deep in a state
// changes StateSchema, so that no snapshot is read into another shape.
func TestStateSchemaDeep(t *testing.T) {
	schema := func(src string) string {
		f, ds := dsl.Load("deep.esm", []byte(src))
		if f == nil {
			t.Fatalf("%s\n%s", ds, src)
		}
		return stateSchema(f.Aggregates[0])
	}
	base := schema(deepState(20, "x int"))
	if again := schema(deepState(20, "x int")); again != base {
		t.Errorf("not deterministic: %s, %s", base, again)
	}
	if changed := schema(deepState(20, "x string")); changed == base {
		t.Errorf("a field retyped 20 levels deep leaves StateSchema %s", base)
	}
	if changed := schema(deepState(20, "x int; y int")); changed == base {
		t.Errorf("a field added 20 levels deep leaves StateSchema %s", base)
	}
}
