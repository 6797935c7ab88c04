package build_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/esgen/esgen/build"
	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/internal/outdir"
	"github.com/google/go-cmp/cmp"
)

const door = `package door

aggregate Door {
    lives forever
    state Closed initial
    state Open
    command Push {}
    command Pull {}
    event Pushed {}
    event Pulled {}
    on Push: Closed -> Open emits Pushed
    on Pull: Open -> Closed emits Pulled
}
`

// machine is door with aggregate name, every identifier prefixed with it,
// in package pkg.
func machine(pkg, name string) string {
	return strings.NewReplacer("package door", "package "+pkg, "Door", name,
		"Closed", name+"Closed", "Open", name+"Open", "Push", name+"Push", "Pull", name+"Pull").Replace(door)
}

// doorWithKick adds a transition: the skeleton lacks its case.
var doorWithKick = strings.Replace(strings.Replace(door,
	"command Pull {}", "command Pull {}\n    command Kick {}", 1),
	"on Pull:", "on Kick: Open -> Open emits Pushed\n    on Pull:", 1)

// snapshot returns every file under root (relative, slash-separated) with
// its content.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		m[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func put(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// load reads the named files under root and loads them.
func load(t *testing.T, root string, opt build.Options, names ...string) (*build.Plan, error) {
	t.Helper()
	var srcs []dsl.Source
	for _, n := range names {
		p := filepath.Join(root, filepath.FromSlash(n))
		data, err := build.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, dsl.Source{Name: p, Data: data})
	}
	return build.Load(context.Background(), srcs, opt)
}

// actions is "name=action" for every output of the plan, in order.
func actions(p *build.Plan) []string {
	var out []string
	for _, in := range p.Inputs {
		for _, o := range in.Outputs {
			s := o.Name + "=" + o.Action.String()
			if o.Owner != "" {
				s += "@" + o.Owner
			}
			if o.Orphan != "" {
				s += "<" + filepath.Base(o.Orphan)
			}
			out = append(out, s)
		}
	}
	return out
}

// statuses is "name=status" for every output of the plan.
func statuses(p *build.Plan, a *build.Applied) []string {
	var out []string
	for _, in := range p.Inputs {
		for _, o := range in.Outputs {
			out = append(out, o.Name+"="+string(a.Status(o)))
		}
	}
	return out
}

// TestLoadApply walks the plan of one input through a first and a
// second Apply: what is generated, for whom, and what each Apply did.
func TestLoadApply(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	put(t, root, map[string]string{"door/door.esm": door})
	opt := build.Options{Formats: []diagram.Format{diagram.FormatMarkdown, diagram.FormatMermaid}}
	before := snapshot(t, root)
	p, err := load(t, root, opt, "door/door.esm")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, snapshot(t, root)); diff != "" {
		t.Fatalf("Load changed the directory:\n%s", diff)
	}
	in := p.Inputs[0]
	if in.Dir != filepath.Join(root, "door") || in.Source != "door.esm" || in.Model == nil || in.Model.Package != "door" {
		t.Errorf("input = dir %s, source %s, model %v", in.Dir, in.Source, in.Model)
	}
	want := []string{
		"door.gen.go=write@Door", "door_codec.gen.go=write@Door", "door_decide.gen.go=write@Door",
		"door_gen_test.go=write@Door", "door_repository.gen.go=write@Door", "door_test.go=create@Door",
		"door.md=write@Door", "door.mmd=write@Door",
	}
	if diff := cmp.Diff(want, actions(p)); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	if len(p.Diagnostics) != 0 || len(p.Warnings) != 0 {
		t.Errorf("diagnostics %v, warnings %v", p.Diagnostics, p.Warnings)
	}
	ds, err := p.Diff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 7 || !ds[0].Missing { // every file but the skeleton
		t.Errorf("Diff before Apply = %d diffs, want 7 missing", len(ds))
	}

	a, err := p.Apply(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range statuses(p, a) {
		if !strings.HasSuffix(s, "=written") {
			t.Errorf("first Apply: %s, want written", s)
		}
	}
	for _, o := range in.Outputs {
		got, err := os.ReadFile(o.Path())
		if err != nil || string(got) != string(o.Data) {
			t.Errorf("%s on disk differs from the plan (%v)", o.Name, err)
		}
	}
	if ds, err := p.Diff(ctx); err != nil || len(ds) != 0 {
		t.Errorf("Diff after Apply = %v, %v; want none", ds, err)
	}

	p, err = load(t, root, opt, "door/door.esm")
	if err != nil {
		t.Fatal(err)
	}
	a, err = p.Apply(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range statuses(p, a) {
		want := "=unchanged"
		if strings.HasPrefix(s, "door_test.go=") {
			want = "=kept"
		}
		if !strings.HasSuffix(s, want) {
			t.Errorf("second Apply: %s, want %s", s, want)
		}
	}
}

// TestLoadErrorsWriteNothing checks bad input: positioned diagnostics,
// ErrDiagnostics, and a directory left exactly as it was.
func TestLoadErrorsWriteNothing(t *testing.T) {
	root := t.TempDir()
	put(t, root, map[string]string{
		"ok/door.esm":  door,
		"bad/door.esm": strings.Replace(door, "Closed -> Open", "Closed -> Opn", 1),
	})
	before := snapshot(t, root)
	p, err := load(t, root, build.Options{}, "ok/door.esm", "bad/door.esm")
	if !errors.Is(err, build.ErrDiagnostics) {
		t.Fatalf("err = %v, want ErrDiagnostics", err)
	}
	if p == nil || !p.Diagnostics.HasErrors() {
		t.Fatalf("plan %v: want the diagnostics", p)
	}
	d := p.Diagnostics[0]
	if d.Pos.Filename != filepath.Join(root, "bad/door.esm") || d.Pos.Line != 11 || d.Code != "E007" {
		t.Errorf("diagnostic = %v, want E007 at bad/door.esm:11", d)
	}
	for _, in := range p.Inputs {
		if len(in.Outputs) != 0 {
			t.Errorf("%s has outputs after an error: %v", in.Name, actions(p))
		}
	}
	if diff := cmp.Diff(before, snapshot(t, root)); diff != "" {
		t.Errorf("directory changed (-before +after):\n%s", diff)
	}
}

// TestLoadConflicts checks the *ConflictError of outputs that cannot go
// where they would, and that nothing is written.
func TestLoadConflicts(t *testing.T) {
	root := t.TempDir()
	put(t, root, map[string]string{
		"a/door.esm":    door,
		"b/door.esm":    door,
		"c/gate.esm":    machine("gate", "Gate"),
		"apart/one.esm": door,
		"apart/two.esm": strings.Replace(machine("door", "Gate"), "GateClosed", "Closed", -1),
	})
	before := snapshot(t, root)
	out := filepath.Join(root, "out")
	for _, tc := range []struct {
		name  string
		opt   build.Options
		files []string
		input string
		msg   string
	}{
		{"one file from two inputs", build.Options{Out: out}, []string{"a/door.esm", "b/door.esm"}, "b/door.esm", "would both write door.gen.go into"},
		{"two package clauses", build.Options{Out: out}, []string{"a/door.esm", "c/gate.esm"}, "c/gate.esm", "but a directory holds one Go package"},
	} {
		_, err := load(t, root, tc.opt, tc.files...)
		var ce *build.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("%s: err = %v, want a *ConflictError", tc.name, err)
		}
		if ce.Input != filepath.Join(root, tc.input) || ce.Dir != out || !strings.Contains(ce.Msg, tc.msg) {
			t.Errorf("%s: %+v", tc.name, ce)
		}
	}
	if diff := cmp.Diff(before, snapshot(t, root)); diff != "" {
		t.Errorf("directory changed (-before +after):\n%s", diff)
	}

	// Another run's output that would not build with this one's.
	p, err := load(t, root, build.Options{}, "apart/one.esm")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	before = snapshot(t, root)
	_, err = load(t, root, build.Options{}, "apart/two.esm")
	var ce *build.ConflictError
	if !errors.As(err, &ce) || !strings.Contains(ce.Msg, "generated by esgen from "+filepath.Join(root, "apart/one.esm")+", declares") {
		t.Errorf("err = %v, want the clash with one.esm's output", err)
	}
	if diff := cmp.Diff(before, snapshot(t, root)); diff != "" {
		t.Errorf("directory changed (-before +after):\n%s", diff)
	}
}

// TestStaleAndOrphan checks the Remove outputs: files an input no longer
// generates, and files of an .esm file that no longer exists.
func TestStaleAndOrphan(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	put(t, root, map[string]string{
		"shop/door.esm": door,
		"shop/gate.esm": machine("door", "Gate"),
	})
	opt := build.Options{Formats: []diagram.Format{diagram.FormatMarkdown}}
	p, err := load(t, root, opt, "shop/door.esm", "shop/gate.esm")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	// Door renamed Hatch; gate.esm deleted.
	put(t, root, map[string]string{"shop/door.esm": strings.Replace(door, "aggregate Door", "aggregate Hatch", 1)}) // keeps Door's other names
	if err := os.Remove(filepath.Join(root, "shop/gate.esm")); err != nil {
		t.Fatal(err)
	}
	p, err = load(t, root, opt, "shop/door.esm")
	if err != nil {
		t.Fatal(err)
	}
	var removes []string
	for _, s := range actions(p) {
		if strings.Contains(s, "=remove") {
			removes = append(removes, s)
		}
	}
	want := []string{
		"door.gen.go=remove", "door.md=remove", "door_codec.gen.go=remove", "door_decide.gen.go=remove",
		"door_gen_test.go=remove", "door_repository.gen.go=remove",
		"gate.gen.go=remove<gate.esm", "gate.md=remove<gate.esm", "gate_codec.gen.go=remove<gate.esm", "gate_decide.gen.go=remove<gate.esm",
		"gate_gen_test.go=remove<gate.esm", "gate_repository.gen.go=remove<gate.esm",
	}
	if diff := cmp.Diff(want, removes); diff != "" {
		t.Errorf("removals (-want +got):\n%s", diff)
	}
	ds, err := p.Diff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	removed := 0
	for _, d := range ds {
		if d.Removed {
			removed++
			if !strings.Contains(string(d.Diff), "+++ /dev/null") {
				t.Errorf("%s: diff %q", d.Path, d.Diff)
			}
		}
	}
	if removed != len(want) {
		t.Errorf("Diff reports %d removals, want %d", removed, len(want))
	}
	a, err := p.Apply(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := snapshot(t, root)
	for name := range got {
		if strings.HasPrefix(name, "shop/door") && name != "shop/door.esm" && name != "shop/door_test.go" || strings.HasPrefix(name, "shop/gate") && name != "shop/gate_test.go" {
			t.Errorf("%s is still there", name)
		}
	}
	for _, in := range p.Inputs {
		for _, o := range in.Outputs {
			if o.Action == build.Remove && a.Status(o) != build.Removed {
				t.Errorf("%s: status %q, want removed", o.Name, a.Status(o))
			}
		}
	}
}

// TestExtendSkeleton checks a skeleton that lacks the case of a new
// transition: an Extend output, a skeleton diff, and a write only over the
// bytes read.
func TestExtendSkeleton(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	put(t, root, map[string]string{"door/door.esm": door})
	p, err := load(t, root, build.Options{}, "door/door.esm")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	put(t, root, map[string]string{"door/door.esm": doorWithKick})
	p, err = load(t, root, build.Options{}, "door/door.esm")
	if err != nil {
		t.Fatal(err)
	}
	var skel *build.Output
	for _, o := range p.Inputs[0].Outputs {
		if o.Name == "door_test.go" {
			skel = o
		}
	}
	if skel == nil || skel.Action != build.Extend || !slices.Equal(skel.Added, []string{"TestDoorKickFromOpen"}) {
		t.Fatalf("skeleton output = %+v, want Extend adding TestDoorKickFromOpen", skel)
	}
	ds, err := p.Diff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	skeletons := 0
	for _, d := range ds {
		if d.Skeleton {
			skeletons++
			if d.Path != skel.Path() || !strings.Contains(string(d.Diff), "+func TestDoorKickFromOpen(t *testing.T) {") {
				t.Errorf("skeleton diff %s:\n%s", d.Path, d.Diff)
			}
		}
	}
	if skeletons != 1 {
		t.Errorf("%d skeleton diffs, want 1", skeletons)
	}

	// An edit made since Load read the skeleton fails Apply, which then
	// writes nothing.
	put(t, root, map[string]string{"door/door_test.go": "package door\n\n// mine now\n"})
	before := snapshot(t, root)
	if _, err := p.Apply(ctx); !errors.Is(err, outdir.ErrChanged) {
		t.Fatalf("Apply = %v, want ErrChanged", err)
	}
	if diff := cmp.Diff(before, snapshot(t, root)); diff != "" {
		t.Errorf("directory changed (-before +after):\n%s", diff)
	}
}

// TestExtendProcessSkeleton checks that a process's skeleton is extended
// like an aggregate's: a reaction added since it was written adds its case.
func TestExtendProcessSkeleton(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "testdata", "golden", "process", "booking.esm"))
	if err != nil {
		t.Fatal(err)
	}
	put(t, root, map[string]string{"booking/booking.esm": string(src)})
	p, err := load(t, root, build.Options{}, "booking/booking.esm")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	const old = "on Charge.ChargeFailed: Charging -> Dropped sends Room.Release\n"
	if !strings.Contains(string(src), old) {
		t.Fatal("booking.esm no longer reacts to ChargeFailed")
	}
	edited := strings.Replace(string(src), old, old+"    on Room.RoomReleased: Waiting -> Dropped\n", 1)
	put(t, root, map[string]string{"booking/booking.esm": edited})
	p, err = load(t, root, build.Options{}, "booking/booking.esm")
	if err != nil {
		t.Fatal(err)
	}
	var skel *build.Output
	for _, o := range p.Inputs[0].Outputs {
		if o.Name == "stay_test.go" {
			skel = o
		}
	}
	if skel == nil || skel.Action != build.Extend || !slices.Equal(skel.Added, []string{"TestStayRoomReleasedFromWaiting"}) {
		t.Fatalf("skeleton output = %+v, want Extend adding TestStayRoomReleasedFromWaiting", skel)
	}
}

// TestWarnings checks that a skeleton that does not parse is a warning
// at its position, kept as it is.
func TestWarnings(t *testing.T) {
	root := t.TempDir()
	put(t, root, map[string]string{"door/door.esm": door, "door/door_test.go": "package door\n\nfunc {\n"})
	p, err := load(t, root, build.Options{}, "door/door.esm")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 {
		t.Fatalf("warnings = %+v, want 1", p.Warnings)
	}
	w := p.Warnings[0]
	if w.Path != filepath.Join(root, "door/door_test.go") || w.Line != 3 || w.Column == 0 || string(w.Src) != "package door\n\nfunc {\n" {
		t.Errorf("warning = %+v", w)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := build.Load(ctx, []dsl.Source{{Name: "door.esm", Data: []byte(door)}}, build.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Load = %v, want context.Canceled", err)
	}
	if _, err := build.Check(ctx, nil, build.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Check = %v, want context.Canceled", err)
	}
}
