package build

import (
	"context"
	"fmt"

	"github.com/esgen/esgen/internal/outdir"
)

// FileDiff is one output whose file on disk differs from the plan.
type FileDiff struct {
	// Path is the file's path (Output.Path).
	Path string
	// Missing reports that the file does not exist on disk.
	Missing bool
	// Removed reports a file the plan removes (Action Remove).
	Removed bool
	// Skeleton reports a test skeleton that lacks the cases of new
	// transitions (Action Extend).
	Skeleton bool
	// Diff is the unified diff from the file on disk (/dev/null when
	// missing) to the planned bytes (/dev/null when removed).
	Diff []byte
}

// Diff compares the plan with the disk and returns a FileDiff for every
// output Apply would change: a generated file missing or stale, a file to
// remove, a test skeleton to extend; by output directory in the order
// they first appear, then by name. None when everything is current. Test
// skeletons to create or keep are not compared: they are the user's. Diff
// writes nothing.
func (p *Plan) Diff(ctx context.Context) ([]FileDiff, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	grown := map[string]bool{}
	for _, in := range p.Inputs {
		for _, o := range in.Outputs {
			if o.Action == Extend {
				grown[o.Path()] = true
			}
		}
	}
	var out []FileDiff
	for _, s := range p.sets() {
		ds, err := outdir.DiffSet(s)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out = append(out, FileDiff{Path: d.Path, Missing: d.Missing, Removed: d.Removed, Skeleton: grown[d.Path], Diff: d.Diff})
		}
	}
	return out, nil
}
