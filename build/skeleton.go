package build

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
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
// of transitions added since becomes an Extend output holding the user's
// file with those cases appended, written by Apply only over the bytes
// read here and shown by Diff; a skeleton with nothing to add stays a
// Create output, kept as it is. Cases of transitions that are gone, and
// skeletons that cannot be grown (which are kept as they are), are
// returned as warnings.
func (p *goPackage) growSkeletons(log *slog.Logger) ([]Warning, error) {
	var (
		warnings []Warning
		others   []generator.SourceFile
		loaded   bool
	)
	for _, in := range p.inputs {
		for _, f := range in.Outputs {
			if f.Action != Create {
				continue
			}
			machine := skeletonOf(in.Model, f.Name)
			if machine == "" {
				continue
			}
			path := filepath.Join(p.dir, filepath.FromSlash(f.Name))
			info, err := os.Lstat(path)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				continue // written whole, as the first time
			case err != nil:
				return warnings, fmt.Errorf("%s: %w", in.Name, err)
			case info.IsDir():
				continue // outdir refuses it
			case !info.Mode().IsRegular():
				warnings = append(warnings, Warning{Path: path, Message: "is not a regular file: esgen adds no case to it, and leaves it as it is"})
				continue
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return warnings, fmt.Errorf("%s: %w", in.Name, err)
			}
			if !loaded {
				if others, err = p.userGoFiles(); err != nil {
					return warnings, fmt.Errorf("%s: %w", in.Name, err)
				}
				loaded = true
			}
			rest := slices.DeleteFunc(slices.Clone(others), func(o generator.SourceFile) bool { return o.Name == path })
			g, err := generator.GrowSkeleton(machine, generator.File{Name: f.Name, Data: f.Data, Once: true}, generator.SourceFile{Name: path, Data: data}, rest)
			var se *generator.SkeletonError
			switch {
			case errors.As(err, &se):
				warnings = append(warnings, Warning{Path: path, Line: se.Pos.Line, Column: se.Pos.Column, Message: se.Msg, Src: data})
			case err != nil:
				return warnings, fmt.Errorf("%s: %w", in.Name, err)
			}
			for _, s := range g.Stale {
				warnings = append(warnings, Warning{Path: path, Line: s.Pos.Line, Column: s.Pos.Column, Src: data, Message: fmt.Sprintf(
					"%s tests %s, a transition %s no longer has: esgen leaves the case to you; delete or rename it, or keep it with //%s %s",
					s.Name, s.Transition, machine, generator.SkipDirective, s.Name)})
			}
			if err != nil || len(g.Added) == 0 {
				continue
			}
			log.Debug("test skeleton lacks cases", "file", path, "added", g.Added)
			f.Data = g.Data
			f.Action = Extend
			f.Added = g.Added
			f.expect = data
		}
	}
	return warnings, nil
}

// skeletonOf is the name of the aggregate or process of m whose test
// skeleton is named name, or "".
func skeletonOf(m *dsl.File, name string) string {
	for _, a := range m.Aggregates {
		if !a.Eventual && outname.Skeleton(a.Name) == name {
			return a.Name
		}
	}
	for _, p := range m.Processes {
		if outname.Skeleton(p.Name) == name {
			return p.Name
		}
	}
	return ""
}

// userGoFiles reads the Go files of p's directory that neither this run
// nor another run of esgen generates (the skeletons are the user's): what
// the package declares besides the skeletons, and where the user may have
// moved cases or written //esgen:skip. Files named by their path, joined
// to p.dir.
func (p *goPackage) userGoFiles() ([]generator.SourceFile, error) {
	ours := map[string]bool{}
	for _, in := range p.inputs {
		for _, f := range in.Outputs {
			if f.Action == Write {
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
