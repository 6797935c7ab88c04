package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// ErrInvalidName is matched (errors.Is) by the error returned when a
// generated file name is not a clean slash-separated path inside the
// output directory, or when two files of one call share a path.
var ErrInvalidName = errors.New("invalid generated file name")

// target is one generated file resolved to its path on disk.
type target struct {
	name string // slash-separated, relative to the set's directory
	path string // OS path
	file File
}

// resolve checks the names of every set and returns the files with their
// paths, in the order given. Two files that resolve to the same path (in
// one set or across sets) are an error: one would silently replace the
// other.
func resolve(sets []Set) ([]target, error) {
	seen := map[string]string{}
	var ts []target
	for _, s := range sets {
		for _, f := range s.Files {
			if !fs.ValidPath(f.Name) || f.Name == "." {
				return nil, fmt.Errorf("outdir: %q: %w: want a relative slash-separated path without . or .. elements", f.Name, ErrInvalidName)
			}
			p := filepath.Join(s.Dir, filepath.FromSlash(f.Name))
			key := filepath.Clean(p)
			if abs, err := filepath.Abs(p); err == nil {
				key = abs
			}
			if prev, dup := seen[key]; dup {
				return nil, fmt.Errorf("outdir: %s: %w: generated twice (as %q and %q)", p, ErrInvalidName, prev, f.Name)
			}
			seen[key] = f.Name
			ts = append(ts, target{name: f.Name, path: p, file: f})
		}
	}
	return ts, nil
}
