package lsp

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/dsl/ast"
)

// The workspace of a document is its package: the .esm files of its
// directory, checked together as `esgen check DIR/*.esm` checks them, each
// an open document's text when it is open, else the file on disk. A
// document whose URI is not a file (an unsaved buffer) is a package of
// its own.

// document is an open text document.
type document struct {
	uri     protocol.DocumentUri
	path    string // the file's path; the URI itself when it is no file
	key     string // the package key: the directory, or the URI
	version protocol.Integer
	text    *text
}

// unit is one file of an analysed package.
type unit struct {
	path  string
	uri   protocol.DocumentUri
	doc   *document // nil when the file is not open
	text  *text
	ast   *ast.File // nil when the file does not parse
	idx   *index    // nil when the file does not parse
	diags dsl.Diagnostics
}

// pkg is the analysis of one package: its files, parsed and indexed,
// and the diagnostics of checking them together.
type pkg struct {
	key   string
	units []*unit // by path
}

// unit returns the unit of path, or nil.
func (p *pkg) unit(path string) *unit {
	for _, u := range p.units {
		if u.path == path {
			return u
		}
	}
	return nil
}

// diskFile is a file read from disk, kept while it does not change.
type diskFile struct {
	mod  time.Time
	size int64
	text string
}

// parsed is the last parse of one file's text.
type parsed struct {
	text  *text
	ast   *ast.File // nil when the text does not parse
	idx   *index
	diags dsl.Diagnostics // of the parse
}

// workspace holds the open documents and the last analysis of each
// package they belong to.
type workspace struct {
	log    *slog.Logger
	docs   map[protocol.DocumentUri]*document
	disk   map[string]diskFile
	parsed map[string]parsed
	// good is the last syntax tree of each file that parsed, for
	// completion while the file does not parse.
	good map[string]*ast.File
	pkgs map[string]*pkg
}

func newWorkspace(log *slog.Logger) *workspace {
	return &workspace{
		log:    log,
		docs:   map[protocol.DocumentUri]*document{},
		disk:   map[string]diskFile{},
		parsed: map[string]parsed{},
		good:   map[string]*ast.File{},
		pkgs:   map[string]*pkg{},
	}
}

// errNotOpen is a request about a document the client has not opened.
var errNotOpen = errors.New("the document is not open")

// open records an opened document.
func (w *workspace) open(uri protocol.DocumentUri, version protocol.Integer, src string) *document {
	d := &document{uri: uri, version: version, text: newText(src)}
	if path, ok := uriPath(uri); ok {
		d.path, d.key = path, filepath.Dir(path)
	} else {
		d.path, d.key = string(uri), string(uri)
	}
	w.docs[uri] = d
	return d
}

// doc returns the open document of uri.
func (w *workspace) doc(uri protocol.DocumentUri) (*document, error) {
	d := w.docs[uri]
	if d == nil {
		return nil, fmt.Errorf("%s: %w", uri, errNotOpen)
	}
	return d, nil
}

// close forgets an open document; the file on disk, if any, takes its
// place in its package.
func (w *workspace) close(uri protocol.DocumentUri) *document {
	d := w.docs[uri]
	delete(w.docs, uri)
	if d != nil && d.key == d.path { // a package of its own
		delete(w.pkgs, d.key)
		delete(w.parsed, d.path)
		delete(w.good, d.path)
	}
	return d
}

// source is one file of a package to analyse.
type source struct {
	path string
	uri  protocol.DocumentUri
	doc  *document
	src  string
}

// sources lists the files of the package key: the .esm files of the
// directory and the open documents in it, by path.
func (w *workspace) sources(key string) []source {
	var out []source
	seen := map[string]bool{}
	for _, d := range w.docs {
		if d.key == key {
			out = append(out, source{path: d.path, uri: d.uri, doc: d, src: d.text.src})
			seen[d.path] = true
		}
	}
	if filepath.IsAbs(key) { // a directory, not the URI of a package of its own
		entries, err := os.ReadDir(key)
		if err != nil {
			w.log.Debug("lsp: directory not read", "dir", key, "err", err)
		}
		for _, e := range entries {
			path := filepath.Join(key, e.Name())
			if seen[path] || e.IsDir() || filepath.Ext(e.Name()) != ".esm" {
				continue
			}
			src, ok := w.read(path)
			if ok {
				out = append(out, source{path: path, uri: fileURI(path), src: src})
			}
		}
	}
	slices.SortFunc(out, func(a, b source) int { return strings.Compare(a.path, b.path) })
	return out
}

// read returns the content of a file on disk, from the cache while its
// size and modification time stay the same. It reads at most one byte
// more than dsl.MaxFileSize: the check reports a larger file.
func (w *workspace) read(path string) (string, bool) {
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return "", false
	}
	if c, ok := w.disk[path]; ok && c.mod.Equal(info.ModTime()) && c.size == info.Size() {
		return c.text, true
	}
	f, err := os.Open(path)
	if err != nil {
		w.log.Debug("lsp: file not read", "path", path, "err", err)
		return "", false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, dsl.MaxFileSize+1))
	if err != nil {
		w.log.Debug("lsp: file not read", "path", path, "err", err)
		return "", false
	}
	w.disk[path] = diskFile{mod: info.ModTime(), size: info.Size(), text: string(b)}
	return string(b), true
}

// analyze returns the analysis of the package key, from the last one
// when no file changed.
func (w *workspace) analyze(key string) *pkg {
	srcs := w.sources(key)
	if p := w.pkgs[key]; p != nil && sameSources(p, srcs) {
		for i, u := range p.units { // which files are open may have changed
			u.doc, u.uri = srcs[i].doc, srcs[i].uri
		}
		return p
	}
	// Each file is parsed once per text; the package is checked again
	// from the trees, as dsl.LoadPackage would check it.
	p := &pkg{key: key}
	trees := make([]*ast.File, len(srcs))
	var diags dsl.Diagnostics
	for i, s := range srcs {
		pr, ok := w.parsed[s.path]
		if !ok || pr.text.src != s.src {
			pr = parsed{}
			if s.doc != nil {
				pr.text = s.doc.text // indexed already
			} else {
				pr.text = newText(s.src)
			}
			f, ds := dsl.Parse(s.path, []byte(s.src))
			pr.diags = ds
			if !ds.HasErrors() && f != nil {
				pr.ast, pr.idx = f, buildIndex(s.path, f)
				w.good[s.path] = f
			}
			w.parsed[s.path] = pr
		}
		trees[i] = pr.ast
		diags = append(diags, pr.diags...)
		p.units = append(p.units, &unit{path: s.path, uri: s.uri, doc: s.doc, text: pr.text, ast: pr.ast, idx: pr.idx})
	}
	_, cdiags := dsl.CheckParsed(trees)
	diags = append(diags, cdiags...)
	diags.Sort()
	for _, u := range p.units {
		for _, d := range diags {
			if d.Pos.Filename == u.path {
				u.diags = append(u.diags, d)
			}
		}
	}
	w.pkgs[key] = p
	return p
}

// sameSources reports whether srcs are the files p was analysed from,
// with the same text.
func sameSources(p *pkg, srcs []source) bool {
	if len(p.units) != len(srcs) {
		return false
	}
	for i, u := range p.units {
		if u.path != srcs[i].path || u.text.src != srcs[i].src {
			return false
		}
	}
	return true
}

// unitOf returns the analysis of the package of an open document and the
// document's unit in it.
func (w *workspace) unitOf(uri protocol.DocumentUri) (*pkg, *unit, error) {
	d, err := w.doc(uri)
	if err != nil {
		return nil, nil, err
	}
	p := w.analyze(d.key)
	u := p.unit(d.path)
	if u == nil { // cannot happen: an open document is a source of its package
		return nil, nil, fmt.Errorf("%s: not in its own package", uri)
	}
	return p, u, nil
}

// uriPath returns the file path of a file: URI.
func uriPath(uri protocol.DocumentUri) (string, bool) {
	u, err := url.Parse(string(uri))
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "", false
	}
	p := u.Path
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:] // /C:/x
	}
	return filepath.Clean(filepath.FromSlash(p)), true
}

// fileURI returns the file: URI of an absolute path.
func fileURI(path string) protocol.DocumentUri {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x
	}
	return protocol.DocumentUri((&url.URL{Scheme: "file", Path: p}).String())
}
