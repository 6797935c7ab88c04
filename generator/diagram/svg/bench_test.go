package svg

import (
	"context"
	"testing"

	"github.com/esgen/esgen/generator/diagram"
)

// BenchmarkRenderOrders measures one SVG layout of the orders machine.
func BenchmarkRenderOrders(b *testing.B) {
	f := goldenModels(b)["orders"]
	if f == nil {
		b.Fatal("no golden case orders")
	}
	dot := diagram.DOT(f.Aggregates[0], false)
	for b.Loop() {
		if _, err := Render(context.Background(), dot); err != nil {
			b.Fatal(err)
		}
	}
}
