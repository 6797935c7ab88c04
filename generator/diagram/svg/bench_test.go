package svg

import (
	"context"
	"testing"

	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/generator/diagram/diagramtest"
)

// BenchmarkRenderOrders measures one SVG layout of the orders machine.
func BenchmarkRenderOrders(b *testing.B) {
	dot := diagram.DOT(diagramtest.Orders().Aggregates[0])
	for b.Loop() {
		if _, err := Render(context.Background(), dot); err != nil {
			b.Fatal(err)
		}
	}
}
