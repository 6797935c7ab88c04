package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/esgen/esgen/generator/diagram"
)

// Existing is a file esgen generated, found in an output directory.
type Existing struct {
	// Name is the file's name in the directory.
	Name string
	// Source is the .esm path its source comment names, as written after
	// "source: " (see outname.Source); empty when it has none (written by
	// an esgen older than the source comment).
	Source string
	// Data is the file's content.
	Data []byte
}

// generatedExts are the extensions of the files esgen generates.
var generatedExts = []string{".go", ".svg", ".md", ".dot", ".mmd"}

// Generated returns the files directly in dir that esgen generated, sorted
// by name: Go files, diagrams and pages whose first line (after the XML
// declaration of an SVG document) is esgen's generated-file comment. The
// test skeleton, which has none, and every other file are left out. A
// missing directory has none.
func Generated(dir string) ([]Existing, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("outdir: %w", err)
	}
	var out []Existing
	for _, e := range entries {
		if !e.Type().IsRegular() || !hasGeneratedExt(e.Name()) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("outdir: %w", err)
		}
		if src, ok := generatedBy(data); ok {
			out = append(out, Existing{Name: e.Name(), Source: src, Data: data})
		}
	}
	return out, nil
}

func hasGeneratedExt(name string) bool {
	for _, ext := range generatedExts {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// commentForms are the line comments of esgen's outputs: Go and DOT,
// Mermaid, and XML (SVG and Markdown).
var commentForms = [][2]string{{"// ", ""}, {"%% ", ""}, {"<!-- ", " -->"}}

// generatedBy reports whether data starts with esgen's generated-file
// comment, and returns the path of the source comment that follows it.
// Lines may end with CRLF, as a Windows checkout with core.autocrlf=true
// writes them.
func generatedBy(data []byte) (source string, ok bool) {
	lines := bytes.SplitN(data, []byte("\n"), 4)
	for i := range lines[:min(len(lines), 3)] {
		lines[i] = bytes.TrimSuffix(lines[i], []byte("\r"))
	}
	if len(lines) > 0 && bytes.HasPrefix(lines[0], []byte("<?xml")) {
		lines = lines[1:]
	}
	if len(lines) == 0 {
		return "", false
	}
	for _, form := range commentForms {
		if string(lines[0]) != form[0]+diagram.GeneratedHeader+form[1] {
			continue
		}
		if len(lines) > 1 {
			line := string(lines[1])
			start := form[0] + "source: "
			if len(line) >= len(start)+len(form[1]) && strings.HasPrefix(line, start) && strings.HasSuffix(line, form[1]) {
				return line[len(start) : len(line)-len(form[1])], true
			}
		}
		return "", true
	}
	return "", false
}
