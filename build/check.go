package build

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/esgen/esgen/dsl"
)

// Check returns the diagnostics Load would report for srcs, sorted by
// position, from their contents alone: the inputs generated into one
// directory (opt.Out, or each file's own) are loaded together and, when
// none has an error and they share one package clause (or opt.Package
// names one), checked together for identifiers that collide
// (dsl.CheckPackage). It reads and writes nothing, and generates nothing:
// what only generation finds (two inputs writing one file, a clash with
// the Go files of another run of esgen in the directory) is Load's.
func Check(ctx context.Context, srcs []dsl.Source, opt Options) (dsl.Diagnostics, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	groups := map[string][]dsl.Source{}
	var dirs []string
	for _, s := range srcs {
		dir := opt.Out
		if dir == "" {
			dir = filepath.Dir(s.Name)
		}
		dir = absPath(dir)
		if _, ok := groups[dir]; !ok {
			dirs = append(dirs, dir)
		}
		groups[dir] = append(groups[dir], s)
	}
	var all dsl.Diagnostics
	for _, dir := range dirs {
		models, ds := dsl.LoadPackage(groups[dir])
		all = append(all, ds...)
		if ds.HasErrors() || len(models) == 0 {
			continue
		}
		one := true
		for _, m := range models[1:] {
			one = one && m.Package == models[0].Package
		}
		if one || opt.Package != "" {
			all = append(all, dsl.CheckPackage(models)...)
		}
	}
	all.Sort()
	return all, nil
}
