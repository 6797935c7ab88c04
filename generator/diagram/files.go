package diagram

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/marker"
	"github.com/esgen/esgen/internal/outname"
	"github.com/esgen/esgen/runtime/machine"
)

// Format is an output format of Files.
type Format string

// The formats Files writes, with the extension of the file each gives.
const (
	FormatSVG      Format = "svg"     // <aggregate>.svg, rendered by Options.RenderSVG
	FormatMarkdown Format = "md"      // <aggregate>.md, the aggregate's page
	FormatDOT      Format = "dot"     // <aggregate>.dot, canonical Graphviz text
	FormatMermaid  Format = "mermaid" // <aggregate>.mmd, Mermaid stateDiagram-v2
	// FormatJSONSchema and FormatAsyncAPI are not diagrams: Files writes
	// none of them, package generator/schema does (build asks it).
	FormatJSONSchema Format = "jsonschema" // <aggregate>.schema.json
	FormatAsyncAPI   Format = "asyncapi"   // <file>.asyncapi.yaml
)

// AllFormats returns every format, in the order ParseFormats returns them
// and its errors name them.
func AllFormats() []Format {
	return []Format{FormatSVG, FormatMarkdown, FormatDOT, FormatMermaid, FormatJSONSchema, FormatAsyncAPI}
}

// DefaultFormats are the formats esgen generate writes unless told
// otherwise: the SVG picture and the Markdown page that shows it.
const DefaultFormats = "svg,md"

// ErrUnknownFormat is matched (errors.Is) by ParseFormats' error for a
// format it does not know.
var ErrUnknownFormat = errors.New("unknown diagram format")

// ParseFormats reads a comma-separated list of formats such as "svg,md".
// "none" (alone) and the empty string mean no diagrams. Repeats are
// ignored; the result is in AllFormats order.
func ParseFormats(s string) ([]Format, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "none" {
		return nil, nil
	}
	want := map[Format]bool{}
	for _, part := range strings.Split(s, ",") {
		f := Format(strings.TrimSpace(part))
		if !slices.Contains(AllFormats(), f) {
			return nil, fmt.Errorf("%w %q: want a comma-separated list of %s, or none", ErrUnknownFormat, string(f), formatList())
		}
		want[f] = true
	}
	var fs []Format
	for _, f := range AllFormats() {
		if want[f] {
			fs = append(fs, f)
		}
	}
	return fs, nil
}

func formatList() string {
	all := AllFormats()
	names := make([]string, len(all))
	for i, f := range all {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// File is one diagram or page: a name relative to the output directory and
// its content. (It mirrors generator.File without importing package
// generator, which may itself use this package.)
type File struct {
	Name string
	Data []byte
}

// Options choose what Files writes.
type Options struct {
	// Formats to write; see ParseFormats.
	Formats []Format
	// RenderSVG lays out DOT text as an SVG document. It is required when
	// Formats holds FormatSVG; svg.Render (package
	// generator/diagram/svg) is the implementation esgen uses, kept out
	// of this package so that drawing text does not link Graphviz.
	RenderSVG func(ctx context.Context, dot []byte) ([]byte, error)
	// Fields lists each state's fields in its box in the SVG and DOT
	// diagrams (machine.Options.Fields); off, states show their names only.
	Fields bool
	// Source is the path of the .esm file relative to the output
	// directory, slash-separated, that a comment after the
	// generated-file comment names ("source: orders.esm"); by default the
	// base name of the file's Name, and none when that is empty.
	Source string
}

// Files returns the diagrams and pages of every aggregate of f in the
// chosen formats, sorted by name. Per aggregate (see BaseName): .svg, .dot
// and .mmd of its machine, each marked generated in a comment, and the .md
// page, which links the SVG when one is written and embeds the Mermaid
// text otherwise. Eventual aggregates have no machine: only their page.
func Files(ctx context.Context, f *dsl.File, opt Options) ([]File, error) {
	has := func(x Format) bool { return slices.Contains(opt.Formats, x) }
	if has(FormatSVG) && opt.RenderSVG == nil {
		return nil, errors.New("diagram: svg format requested without Options.RenderSVG")
	}
	src := opt.Source
	if src == "" && f.Name != "" {
		src = path.Base(filepath.ToSlash(f.Name))
	}
	var out []File
	for _, a := range f.Aggregates {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("diagram: %w", err)
		}
		svgName := ""
		if HasMachine(a) {
			dot := DOT(a, opt.Fields)
			if has(FormatSVG) {
				doc, err := opt.RenderSVG(ctx, dot)
				if err != nil {
					return nil, fmt.Errorf("diagram: %s: %w", a.Name, err)
				}
				svgName = outname.Diagram(a.Name, "svg")
				out = append(out, File{Name: svgName, Data: marker.XML.Mark(doc, src)})
			}
			if has(FormatDOT) {
				out = append(out, File{Name: outname.Diagram(a.Name, "dot"), Data: marker.Go.Mark(dot, src)})
			}
			if has(FormatMermaid) {
				out = append(out, File{Name: outname.Diagram(a.Name, "mmd"), Data: marker.Mermaid.Mark(Mermaid(a), src)})
			}
		}
		if has(FormatMarkdown) {
			md, err := markdown(NewPage(f, a, svgName), src)
			if err != nil {
				return nil, err
			}
			out = append(out, File{Name: outname.Diagram(a.Name, "md"), Data: md})
		}
	}
	for _, p := range f.Processes {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("diagram: %w", err)
		}
		m := ProcessMachine(p)
		dot := m.DOT(machine.Options{Fields: opt.Fields})
		svgName := ""
		if has(FormatSVG) {
			doc, err := opt.RenderSVG(ctx, dot)
			if err != nil {
				return nil, fmt.Errorf("diagram: %s: %w", p.Name, err)
			}
			svgName = outname.Diagram(p.Name, "svg")
			out = append(out, File{Name: svgName, Data: marker.XML.Mark(doc, src)})
		}
		if has(FormatDOT) {
			out = append(out, File{Name: outname.Diagram(p.Name, "dot"), Data: marker.Go.Mark(dot, src)})
		}
		if has(FormatMermaid) {
			out = append(out, File{Name: outname.Diagram(p.Name, "mmd"), Data: marker.Mermaid.Mark(m.Mermaid(machine.Options{}), src)})
		}
		if has(FormatMarkdown) {
			md, err := processMarkdown(NewProcessPage(f, p, svgName), src)
			if err != nil {
				return nil, err
			}
			out = append(out, File{Name: outname.Diagram(p.Name, "md"), Data: md})
		}
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
