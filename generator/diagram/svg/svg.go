// Package svg renders DOT text to SVG with Graphviz compiled to WebAssembly
// (github.com/goccy/go-graphviz), so that esgen needs no Graphviz install.
//
// It is a package of its own because linking go-graphviz costs every
// process ~20 ms and ~17 MiB at start-up (the WASM module is compiled in the
// library's package initialiser): runtime/ and generated code never import
// it; only the esgen command does.
package svg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/goccy/go-graphviz"

	"github.com/esgen/esgen/runtime/machine"
)

// ErrEmpty is returned when Graphviz produces no output for the input.
var ErrEmpty = errors.New("svg: graphviz produced no output")

// renderMu serialises calls into go-graphviz: the library keeps one WASM
// module instance for the whole process, and a WASM instance runs one call
// at a time.
var renderMu sync.Mutex

// Render lays out the DOT graph with Graphviz's dot engine and returns the
// SVG document. The output is byte-identical for identical input. It is
// safe for concurrent use; calls run one at a time.
func Render(ctx context.Context, dot []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("svg: render: %w", err)
	}
	renderMu.Lock()
	defer renderMu.Unlock()

	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("svg: start graphviz: %w", err)
	}
	defer gv.Close()

	graph, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("svg: parse dot: %s", strings.TrimSpace(err.Error()))
	}
	defer graph.Close()

	var buf bytes.Buffer
	if err := gv.Render(ctx, graph, graphviz.SVG, &buf); err != nil {
		return nil, fmt.Errorf("svg: render: %w", err)
	}
	if buf.Len() == 0 {
		return nil, ErrEmpty
	}
	return withStyle(buf.Bytes()), nil
}

// withStyle returns doc with a <style> element holding machine.SVGStyle
// as the first child of its root <svg> element, so that the drawing
// follows the viewer's light or dark theme (docs/diagrams.md). A document
// without an <svg> start tag is returned as it is.
func withStyle(doc []byte) []byte {
	i := bytes.Index(doc, []byte("<svg"))
	if i < 0 {
		return doc
	}
	j := bytes.IndexByte(doc[i:], '>')
	if j < 0 {
		return doc
	}
	j += i + 1
	out := make([]byte, 0, len(doc)+len(machine.SVGStyle)+32)
	out = append(out, doc[:j]...)
	out = append(out, "\n<style>\n"...)
	out = append(out, machine.SVGStyle...)
	out = append(out, "</style>"...)
	return append(out, doc[j:]...)
}
