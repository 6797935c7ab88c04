package generator

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
	"github.com/esgen/esgen/internal/marker"
	"github.com/esgen/esgen/internal/outname"
)

// Import paths of the runtime packages generated code uses.
const (
	pathES      = "github.com/esgen/esgen/runtime/es"
	pathESJSON  = "github.com/esgen/esgen/runtime/esjson"
	pathMachine = "github.com/esgen/esgen/runtime/machine"
	pathESTest  = "github.com/esgen/esgen/runtime/estest"
)

// locals are the names generated functions give their parameters and
// variables. An import of the .esm file whose package name is one of them
// is imported under another name, so that no local hides a package.
var locals = map[string]bool{
	"c": true, "ctx": true, "d": true, "data": true, "def": true, "e": true, "err": true,
	"ev": true, "events": true, "got": true, "i": true, "id": true, "k": true, "more": true,
	"name": true, "o": true, "ok": true, "opts": true, "r": true, "raw": true, "s": true,
	"store": true, "t": true, "tt": true, "u": true, "up": true, "v": true, "version": true,
	"w": true, "want": true, "codec": true, "tests": true, "calls": true, "l": true,
}

// gen generates the files of one .esm file.
type gen struct {
	f    *dsl.File
	pkg  string
	base string // the .esm file name without directory and extension
	// source is the .esm file's path as the source line of every
	// generated file names it (Options.Source).
	source string
	// importNames maps import paths of the .esm file to the name generated
	// code uses for them; importAlias marks names that differ from the
	// package's own name as esgen guesses it.
	importNames map[string]string
	importAlias map[string]bool

	// plans are the plans of f's aggregates, in order, unless planning
	// one failed with planErr.
	plans   []*aggPlan
	planErr error

	uses valueUses
	// packageDoc reports that f's doc comment is the package doc (see
	// packageDocFile).
	packageDoc bool
}

// newGen prepares the generation of f's files; opt.Siblings are the other
// files generated into the same Go package.
func newGen(f *dsl.File, pkg string, opt Options) *gen {
	g := newFileGen(f, pkg)
	g.source = opt.Source
	if g.source == "" && f.Name != "" {
		g.source = path.Base(filepath.ToSlash(f.Name))
	}
	if len(opt.Siblings) == 0 {
		g.uses = findValueUses(f, g.packageNames())
		g.packageDoc = f.Doc != ""
		return g
	}
	g.uses = packageValueUses(g, opt.Siblings)
	g.packageDoc = packageDocFile(pkg, append([]*dsl.File{f}, opt.Siblings...)) == f
	return g
}

// packageDocFile returns the file whose doc comment is the package doc of
// files generated into package pkg: the file named after the package
// (orders.esm for package orders) if it has a doc comment, else the first
// with one in dsl.PackageOrder; nil if none has one.
func packageDocFile(pkg string, files []*dsl.File) *dsl.File {
	var first *dsl.File
	for _, sf := range dsl.PackageOrder(files) {
		if sf.Doc == "" {
			continue
		}
		if strings.TrimSuffix(path.Base(filepath.ToSlash(sf.Name)), ".esm") == pkg {
			return sf
		}
		if first == nil {
			first = sf
		}
	}
	return first
}

// newFileGen prepares the generation of f's files alone, but for g.uses
// and g.packageDoc.
func newFileGen(f *dsl.File, pkg string) *gen {
	g := &gen{
		f:           f,
		pkg:         pkg,
		base:        outname.FileBase(f.Name),
		importNames: map[string]string{},
		importAlias: map[string]bool{},
	}
	for _, im := range f.Imports {
		name, alias := im.Alias, im.Alias != guessName(im.Path)
		switch im.Path {
		case "time", "context", "errors", "fmt", "strconv", "testing", "reflect", "encoding/json",
			pathES, pathESJSON, pathMachine, pathESTest:
			continue // generated code imports these under their own names
		}
		if locals[name] || name == "es" || name == "esjson" || name == "machine" || name == "estest" {
			name, alias = name+"pkg", true
		}
		g.importNames[im.Path] = name
		g.importAlias[im.Path] = alias
	}
	for _, a := range f.Aggregates {
		p, err := planAggregate(a)
		if err != nil {
			g.planErr = err
			break
		}
		g.plans = append(g.plans, p)
	}
	return g
}

// packageNames are the unexported names of the generated package's scope
// and of its files' imports besides the JSON helpers, which must not take
// one of them: the aggregates' fixed unexported identifiers, the branch
// constants, the externs and every import name.
func (g *gen) packageNames() map[string]bool {
	names := map[string]bool{}
	for _, a := range g.f.Aggregates {
		for _, id := range goname.AggregateUnexported(a.Name, a.Eventual) {
			names[id] = true
		}
	}
	for _, p := range g.plans {
		for _, d := range p.decisions {
			for _, b := range d.branches {
				if b.typeName != "" {
					names[goname.BranchConst(b.typeName)] = true
				}
			}
		}
	}
	for _, x := range g.f.Externs {
		names[x.Name] = true
	}
	for _, name := range g.importNames {
		names[name] = true
	}
	for _, name := range goname.Imports() {
		names[name] = true
	}
	return names
}

// guessName is the package name an import path most likely declares: its
// last element without a major version suffix.
func guessName(p string) string {
	parts := strings.Split(p, "/")
	name := parts[len(parts)-1]
	if len(parts) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = parts[len(parts)-2]
	}
	return name
}

// newFile starts a generated Go file.
func (g *gen) newFile(generated bool) *jen.File {
	jf := jen.NewFile(g.pkg)
	if generated {
		for _, l := range marker.Lines(g.source) {
			jf.HeaderComment(l)
		}
	}
	jf.ImportName(pathES, "es")
	jf.ImportName(pathESJSON, "esjson")
	jf.ImportName(pathMachine, "machine")
	jf.ImportName(pathESTest, "estest")
	for p, name := range g.importNames {
		if g.importAlias[p] {
			jf.ImportAlias(p, name)
		} else {
			jf.ImportName(p, name)
		}
	}
	return jf
}

// render writes a file as jennifer does, unformatted: runPipeline
// formats the files of a Generate call in chunks, on every core.
func render(name string, jf *jen.File) (unformatted, error) {
	jf.NoFormat = true
	var buf bytes.Buffer
	if err := jf.Render(&buf); err != nil {
		return unformatted{}, fmt.Errorf("render %s: %w", name, err)
	}
	return unformatted{name: name, src: buf.Bytes()}, nil
}

// spaceDecls puts a blank line after every top-level declaration that
// spans several lines, as a person writes Go; one-line declarations (the
// marker methods) stay together.
func spaceDecls(src []byte) []byte {
	return appendSpaced(make([]byte, 0, len(src)+len(src)/32), src)
}

// appendSpaced appends src, formatted Go, to dst with the blank lines of
// spaceDecls.
func appendSpaced(dst, src []byte) []byte {
	prevClosed := false
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line = src[:i+1]
		}
		src = src[len(line):]
		if prevClosed && len(bytes.TrimSpace(line)) > 0 {
			dst = append(dst, '\n')
		}
		prevClosed = string(line) == "}\n" || string(line) == ")\n"
		dst = append(dst, line...)
	}
	return dst
}

// oneLine is a function body kept on one line: { return x }.
func oneLine(stmts ...jen.Code) *jen.Statement {
	return jen.Custom(jen.Options{Open: "{", Close: "}", Separator: ";"}, stmts...)
}

// groupImports moves the standard library imports of a formatted file's
// import block ahead of the others, separated by a blank line.
func groupImports(src []byte) []byte {
	start := bytes.Index(src, []byte("\nimport (\n"))
	if start < 0 {
		return src
	}
	start += len("\nimport (\n")
	end := bytes.Index(src[start:], []byte("\n)\n"))
	if end < 0 {
		return src
	}
	end += start + 1
	var std, other []string
	for _, line := range strings.Split(string(src[start:end-1]), "\n") {
		p := line[strings.IndexByte(line, '"')+1:]
		if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
			other = append(other, line)
		} else {
			std = append(std, line)
		}
	}
	if len(std) == 0 || len(other) == 0 {
		return src
	}
	var b bytes.Buffer
	b.Write(src[:start])
	b.WriteString(strings.Join(std, "\n"))
	b.WriteString("\n\n")
	b.WriteString(strings.Join(other, "\n"))
	b.WriteString("\n")
	b.Write(src[end:])
	return b.Bytes()
}

// typ is the Go type of a .esm type.
func (g *gen) typ(t *dsl.TypeExpr) *jen.Statement {
	switch t.Kind {
	case dsl.TypeValue:
		return jen.Id(goname.Exported(t.Name))
	case dsl.TypeQualified:
		return jen.Qual(t.Import.Path, t.Name)
	case dsl.TypeSlice:
		return jen.Index().Add(g.typ(t.Elem))
	case dsl.TypeMap:
		return jen.Map(g.typ(t.Key)).Add(g.typ(t.Elem))
	case dsl.TypePointer:
		return jen.Op("*").Add(g.typ(t.Elem))
	default: // builtin, extern: spelled as declared
		return jen.Id(t.Name)
	}
}

// structFields declares the fields of a generated struct, each with its
// doc comment and a json tag holding the .esm name.
func (g *gen) structFields(fields []*dsl.Field) []jen.Code {
	out := make([]jen.Code, 0, len(fields))
	for _, f := range fields {
		st := jen.Empty()
		if f.Doc != "" {
			st = comment(f.Doc).Line()
		}
		out = append(out, st.Id(goname.Exported(f.Name)).Add(g.typ(f.Type)).Tag(map[string]string{"json": f.Name}))
	}
	return out
}

// unexported spells a generated unexported identifier from words, as
// goname does: unexported("Order", "state") is "orderState".
func unexported(words ...string) string { return goname.Unexported(strings.Join(words, "_")) }

// comment renders text as // lines.
func comment(text string) *jen.Statement { return jen.Comment(commentText(text)) }

// commentText turns text into // lines.
func commentText(text string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if l = strings.TrimRight(l, " \t"); l == "" {
			lines[i] = "//"
		} else {
			lines[i] = "// " + l
		}
	}
	return strings.Join(lines, "\n")
}

// doc is the doc comment of a generated identifier. It opens with the
// .esm doc comment when that starts with the identifier (or the .esm name),
// as Go doc comments do, and the generated paragraph more, when not empty,
// closes it. Otherwise it opens with the generated sentence lead and more,
// and the .esm doc comment follows as its own paragraphs: last, so that a
// one-line doc without a final period ("Waiting for payment") stays text
// and does not become a heading when gofmt reads it between two paragraphs.
func doc(ident, esmName, esmDoc, lead, more string) *jen.Statement {
	if esmDoc == "" {
		return comment(wrap(joinSentence(lead, more)))
	}
	if !startsWithName(esmDoc, ident) && !startsWithName(esmDoc, esmName) {
		return comment(joinDoc(wrap(joinSentence(lead, more)), esmDoc))
	}
	text := esmDoc
	if more != "" {
		text = joinDoc(text, wrap(more))
	}
	return comment(text)
}

func startsWithName(text, name string) bool {
	if name == "" || !strings.HasPrefix(text, name) {
		return false
	}
	rest := text[len(name):]
	return rest == "" || strings.IndexAny(rest[:1], " :,.;\n") == 0
}

// wrap breaks generated prose into lines of at most 76 bytes.
func wrap(text string) string {
	var b strings.Builder
	for pi, para := range strings.Split(text, "\n\n") {
		if pi > 0 {
			b.WriteString("\n\n")
		}
		n := 0
		for i, w := range strings.Fields(para) {
			if i > 0 {
				if n+1+len(w) > 76 {
					b.WriteByte('\n')
					n = 0
				} else {
					b.WriteByte(' ')
					n++
				}
			}
			b.WriteString(w)
			n += len(w)
		}
	}
	return b.String()
}

// list joins names as prose: "A", "A or B", "A, B or C".
func list(names []string, conj string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + conj + " " + names[len(names)-1]
}
