package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator"
	"github.com/esgen/esgen/internal/outname"
)

// growSkeletons makes the test skeletons of p that exist on disk follow
// their machines (generator.GrowSkeleton): a skeleton that lacks the cases
// of transitions added since becomes an ordinary output holding the user's
// file with those cases appended, written by generate only over the bytes
// read here (outdir.Set.Expect) and shown by diff; a skeleton with nothing
// to add stays a Once file, kept as it is. Cases of transitions that are
// gone, and skeletons that cannot be grown (which are kept as they are),
// are reported as warnings on w.
func (p *goPackage) growSkeletons(w *reporter) error {
	var others []generator.SourceFile
	loaded := false
	for _, u := range p.units {
		for i, f := range u.files {
			if !f.Once {
				continue
			}
			a := skeletonOf(u.model, f.Name)
			if a == nil {
				continue
			}
			path := filepath.Join(p.dir, filepath.FromSlash(f.Name))
			info, err := os.Lstat(path)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				continue // written whole, as the first time
			case err != nil:
				return fmt.Errorf("%s: %w", u.src.name, err)
			case info.IsDir():
				continue // outdir refuses it
			case !info.Mode().IsRegular():
				w.goWarning(path, 0, 0, "is not a regular file: esgen adds no case to it, and leaves it as it is", nil)
				continue
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("%s: %w", u.src.name, err)
			}
			if !loaded {
				if others, err = p.userGoFiles(); err != nil {
					return fmt.Errorf("%s: %w", u.src.name, err)
				}
				loaded = true
			}
			rest := slices.DeleteFunc(slices.Clone(others), func(o generator.SourceFile) bool { return o.Name == path })
			g, err := generator.GrowSkeleton(a.Name, f, generator.SourceFile{Name: path, Data: data}, rest)
			var se *generator.SkeletonError
			switch {
			case errors.As(err, &se):
				w.goWarning(path, se.Pos.Line, se.Pos.Column, se.Msg, data)
			case err != nil:
				return fmt.Errorf("%s: %w", u.src.name, err)
			}
			for _, s := range g.Stale {
				w.goWarning(path, s.Pos.Line, s.Pos.Column, fmt.Sprintf(
					"%s tests %s, a transition %s no longer has: esgen leaves the case to you; delete or rename it, or keep it with //%s %s",
					s.Name, s.Transition, a.Name, generator.SkipDirective, s.Name), data)
			}
			if err != nil || len(g.Added) == 0 {
				continue
			}
			u.files[i] = generator.File{Name: f.Name, Data: g.Data}
			if u.grown == nil {
				u.grown = map[string][]string{}
				u.expect = map[string][]byte{}
			}
			u.grown[f.Name] = g.Added
			u.expect[f.Name] = data
		}
	}
	return nil
}

// skeletonOf is the aggregate of m whose test skeleton is named name.
func skeletonOf(m *dsl.File, name string) *dsl.Aggregate {
	for _, a := range m.Aggregates {
		if !a.Eventual && outname.Skeleton(a.Name) == name {
			return a
		}
	}
	return nil
}

// userGoFiles reads the Go files of p's directory that neither this run
// nor another run of esgen generates (the skeletons are the user's): what
// the package declares besides the skeletons, and where the user may have
// moved cases or written //esgen:skip. Files named by their path, joined
// to p.dir.
func (p *goPackage) userGoFiles() ([]generator.SourceFile, error) {
	ours := map[string]bool{}
	for _, u := range p.units {
		for _, f := range u.files {
			if !f.Once {
				ours[outname.Key(f.Name)] = true
			}
		}
	}
	entries, err := os.ReadDir(p.dir)
	if err != nil {
		return nil, err
	}
	var out []generator.SourceFile
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, ".go") || ours[outname.Key(name)] || p.generated[name] {
			continue
		}
		path := filepath.Join(p.dir, name)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, generator.SourceFile{Name: path, Data: data})
	}
	return out, nil
}
