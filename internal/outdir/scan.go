package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/esgen/esgen/internal/marker"
)

// Existing is a file esgen generated, found in an output directory.
type Existing struct {
	// Name is the file's name in the directory.
	Name string
	// Source is the .esm path its source comment names, as written after
	// "source: " (escaped: see marker.SourcePaths); empty when it has none
	// (written by an esgen older than the source comment).
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
		if src, ok := marker.Parse(data); ok {
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
