package build

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/esgen/esgen/dsl"
)

// MaxInput bounds what is read of one .esm file: a .esm file is
// hand-written text, and reading stops well before memory does. (The
// checker refuses files larger than 8 MiB, with a positioned E006.)
const MaxInput = 64 << 20

// ReadFile reads one .esm file. A missing file, a directory or an
// unreadable file is an error naming it.
func ReadFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %w", name, pe.Err)
		}
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: is a directory; name the .esm files in it", name)
	}
	return Read(f, name)
}

// Read reads the content of an .esm file named name (in errors) from r,
// at most MaxInput bytes.
func Read(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxInput {
		return nil, fmt.Errorf("%s: larger than %d MiB; that is not a hand-written .esm file", name, MaxInput>>20)
	}
	return data, nil
}

// ReadDir returns the .esm files directly in dir, sorted by name, each
// named dir joined with its base name: those on disk, with the content
// overlay holds for a path where it holds one (an editor's unsaved
// buffer), and those of overlay in dir that are not on disk (new, unsaved
// files). overlay is keyed by path; paths are compared absolute and
// cleaned. A missing dir holds only overlay's files.
func ReadDir(dir string, overlay map[string][]byte) ([]dsl.Source, error) {
	over := map[string][]byte{} // by base name, of the files of dir
	absDir := absPath(dir)
	for p, data := range overlay {
		if a := absPath(p); filepath.Dir(a) == absDir && strings.HasSuffix(a, ".esm") {
			over[filepath.Base(a)] = data
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("build: %w", err)
	}
	var out []dsl.Source
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".esm") || e.IsDir() {
			continue
		}
		path := filepath.Join(dir, name)
		if data, ok := over[name]; ok {
			out = append(out, dsl.Source{Name: path, Data: data})
			delete(over, name)
			continue
		}
		data, err := ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, dsl.Source{Name: path, Data: data})
	}
	for name, data := range over {
		out = append(out, dsl.Source{Name: filepath.Join(dir, name), Data: data})
	}
	slices.SortFunc(out, func(a, b dsl.Source) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
