package svg

import (
	"context"
	"os"
	"testing"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
)

// BenchmarkRenderOrders measures one SVG layout of the orders machine.
func BenchmarkRenderOrders(b *testing.B) {
	src, err := os.ReadFile("../testdata/orders/input.esm")
	if err != nil {
		b.Fatal(err)
	}
	f, ds := dsl.Load("orders.esm", src)
	if f == nil {
		b.Fatal(ds.Err())
	}
	dot := diagram.DOT(f.Aggregates[0])
	for b.Loop() {
		if _, err := Render(context.Background(), dot); err != nil {
			b.Fatal(err)
		}
	}
}
