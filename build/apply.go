package build

import (
	"context"
	"fmt"

	"github.com/esgen/esgen/internal/outdir"
)

// Status is what Apply did with an Output.
type Status string

// The statuses of an output after Apply.
const (
	// Written is a file created or replaced because its bytes changed.
	Written Status = "written"
	// Extended is a test skeleton to which the cases of new transitions
	// were added.
	Extended Status = "extended"
	// Unchanged is a file whose bytes were already on disk: not touched,
	// its modification time kept.
	Unchanged Status = "unchanged"
	// Kept is a test skeleton that already existed and lacked no case.
	Kept Status = "kept"
	// Removed is a file no longer generated, removed.
	Removed Status = "removed"
	// Emptied is a Go file no longer generated, emptied of its code
	// instead of removed because go generate had yet to read it
	// (Options.GoGenerateFile).
	Emptied Status = "emptied"
)

// Applied is what Apply did.
type Applied struct {
	status map[*Output]Status
}

// Status is what Apply did with o: empty for an output of another plan,
// and for a Remove output whose file was already gone.
func (a *Applied) Status(o *Output) Status { return a.status[o] }

// Apply writes the plan: every output directory is written, or, on
// failure, none changes (internal/outdir). Files whose bytes are on disk
// already are not touched; a test skeleton is created only when absent,
// and extended only over the bytes Load read: an edit made since then
// fails Apply, which then writes nothing.
func (p *Plan) Apply(ctx context.Context) (*Applied, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	sets := p.sets()
	reps, err := outdir.WriteAll(sets)
	if err != nil {
		return nil, err
	}
	byDir := map[string]map[string]Status{}
	for _, r := range reps {
		m := map[string]Status{}
		for _, n := range r.Written {
			m[n] = Written
		}
		for _, n := range r.Unchanged {
			m[n] = Unchanged
		}
		for _, n := range r.Kept {
			m[n] = Kept
		}
		for _, n := range r.Removed {
			m[n] = Removed
		}
		byDir[r.Dir] = m
	}
	a := &Applied{status: map[*Output]Status{}}
	for _, in := range p.Inputs {
		for _, o := range in.Outputs {
			s := byDir[o.Dir][o.Name]
			if o.Action == Extend && s == Written {
				s = Extended
			}
			if o.Emptied && (s == Written || s == Unchanged) {
				s = Emptied
			}
			if s != "" {
				a.status[o] = s
			}
		}
	}
	return a, nil
}

// sets groups the outputs by output directory, in the order the
// directories first appear, so that one directory is written (and checked
// for two files with one name) as a whole.
func (p *Plan) sets() []outdir.Set {
	var out []outdir.Set
	index := map[string]int{}
	for _, in := range p.Inputs {
		i, ok := index[in.Dir]
		if !ok {
			i = len(out)
			index[in.Dir] = i
			out = append(out, outdir.Set{Dir: in.Dir})
		}
		s := &out[i]
		for _, o := range in.Outputs {
			switch o.Action {
			case Remove:
				if o.Emptied {
					s.Files = append(s.Files, outdir.File{Name: o.Name, Data: o.Data})
					continue
				}
				s.Remove = append(s.Remove, o.Name)
			case Extend:
				s.Files = append(s.Files, outdir.File{Name: o.Name, Data: o.Data})
				if s.Expect == nil {
					s.Expect = map[string][]byte{}
				}
				s.Expect[o.Name] = o.expect
			default:
				s.Files = append(s.Files, outdir.File{Name: o.Name, Data: o.Data, Once: o.Action == Create})
			}
		}
	}
	return out
}
