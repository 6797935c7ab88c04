package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/esgen/esgen/dsl"
)

// ErrAgainstSyntax is the error of ParseAgainst for a reference that is
// not written as one.
var ErrAgainstSyntax = errors.New("invalid --against reference")

// Against is the published version of the .esm files that Breaking
// compares them with: the files at a commit of a git repository, or in a
// directory (another checkout, an unpacked release).
//
// Written as buf writes its inputs: PATH.git#branch=NAME, #tag=NAME or
// #ref=REVISION (any revision git understands: a commit, HEAD~1,
// origin/main), PATH.git alone for HEAD; anything else is a directory.
type Against struct {
	spec string
	// git: the repository and the revision asked for.
	git      bool
	repo     string // the .git path as written
	kind     string // branch, tag or ref
	name     string
	resolved string // the commit, once resolved
	// dir: the directory the current directory's files are compared with.
	dir string
}

// ParseAgainst parses a reference. It reads nothing: a git revision is
// resolved, and a directory looked at, when files are read.
func ParseAgainst(spec string) (*Against, error) {
	if spec == "" {
		return nil, fmt.Errorf("%w: empty", ErrAgainstSyntax)
	}
	path, frag, hasFrag := strings.Cut(spec, "#")
	if !hasFrag && !strings.HasSuffix(path, ".git") {
		return &Against{spec: spec, dir: spec}, nil
	}
	if !strings.HasSuffix(path, ".git") {
		return nil, fmt.Errorf("%w: %s: a git reference names a .git directory before the # (.git#branch=main)", ErrAgainstSyntax, spec)
	}
	a := &Against{spec: spec, git: true, repo: path, kind: "ref", name: "HEAD"}
	if !hasFrag {
		return a, nil
	}
	kind, name, ok := strings.Cut(frag, "=")
	switch {
	case !ok || name == "":
		return nil, fmt.Errorf("%w: %s: after the # comes branch=NAME, tag=NAME or ref=REVISION", ErrAgainstSyntax, spec)
	case kind != "branch" && kind != "tag" && kind != "ref":
		return nil, fmt.Errorf("%w: %s: unknown %q: use branch=NAME, tag=NAME or ref=REVISION", ErrAgainstSyntax, spec, kind)
	case strings.HasPrefix(name, "-") || strings.ContainsAny(name, " \t\n,:"):
		return nil, fmt.Errorf("%w: %s: %q is not a git revision", ErrAgainstSyntax, spec, name)
	}
	a.kind, a.name = kind, name
	return a, nil
}

// String returns the reference as written.
func (a *Against) String() string { return a.spec }

// Sources returns the .esm files of dir (a directory of the current tree)
// as they are at the reference, each named as it is in the current tree
// (dir joined with its base name), so that diagnostics name the current
// files. A directory the reference lacks holds no files.
func (a *Against) Sources(ctx context.Context, dir string) ([]dsl.Source, error) {
	if a.git {
		return a.gitSources(ctx, dir)
	}
	rel, err := relativeTo(".", dir)
	if err != nil {
		return nil, fmt.Errorf("--against %s: %w", a.spec, err)
	}
	info, err := os.Stat(a.dir)
	if err != nil {
		return nil, fmt.Errorf("--against %s: %w", a.spec, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("--against %s: not a directory, nor a git reference (.git#branch=main)", a.spec)
	}
	srcs, err := ReadDir(filepath.Join(a.dir, rel), nil)
	if err != nil {
		return nil, err
	}
	for i := range srcs {
		srcs[i].Name = filepath.Join(dir, filepath.Base(srcs[i].Name))
	}
	return srcs, nil
}

// relativeTo returns dir relative to root, refusing a dir outside root.
func relativeTo(root, dir string) (string, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absRoot, absDir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside %s, which the reference mirrors", dir, absRoot)
	}
	return rel, nil
}

// gitSources reads the .esm files of dir at the revision with git.
func (a *Against) gitSources(ctx context.Context, dir string) ([]dsl.Source, error) {
	root := filepath.Dir(a.repo) // the work tree of PATH/.git
	if filepath.Base(a.repo) != ".git" {
		root = "." // a bare repository: paths are the current directory's
	}
	rel, err := relativeTo(root, dir)
	if err != nil {
		return nil, fmt.Errorf("--against %s: %w", a.spec, err)
	}
	if err := a.resolve(ctx); err != nil {
		return nil, err
	}
	path := filepath.ToSlash(rel)
	args := []string{"ls-tree", "-l", "-z", a.resolved}
	if path != "." {
		args = append(args, "--", path+"/")
	}
	out, err := a.run(ctx, args...)
	if err != nil {
		return nil, err
	}
	var srcs []dsl.Source
	for entry := range strings.SplitSeq(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		// <mode> SP <type> SP <object> SP+ <size> TAB <path>
		meta, file, ok := strings.Cut(entry, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 4 || fields[1] != "blob" || !strings.HasSuffix(file, ".esm") {
			continue
		}
		if size, err := strconv.ParseInt(fields[3], 10, 64); err == nil && size > MaxInput {
			return nil, fmt.Errorf("--against %s: %s is larger than %d bytes", a.spec, file, MaxInput)
		}
		data, err := a.run(ctx, "cat-file", "blob", fields[2])
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, dsl.Source{Name: filepath.Join(dir, filepath.Base(filepath.FromSlash(file))), Data: data})
	}
	return srcs, nil
}

// resolve finds the commit of the revision, once.
func (a *Against) resolve(ctx context.Context) error {
	if a.resolved != "" {
		return nil
	}
	var candidates []string
	switch a.kind {
	case "branch":
		candidates = []string{"refs/heads/" + a.name, "refs/remotes/origin/" + a.name}
	case "tag":
		candidates = []string{"refs/tags/" + a.name}
	default:
		candidates = []string{a.name}
	}
	for _, c := range candidates {
		out, err := a.run(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", c+"^{commit}")
		if err == nil {
			a.resolved = strings.TrimSpace(string(out))
			return nil
		}
		var gerr *gitError
		if !errors.As(err, &gerr) || gerr.code != 1 {
			return err
		}
	}
	msg := fmt.Sprintf("--against %s: git knows no %s %s (looked for %s)", a.spec, a.kind, a.name, strings.Join(candidates, ", "))
	if out, err := a.run(ctx, "rev-parse", "--is-shallow-repository"); err == nil && strings.TrimSpace(string(out)) == "true" {
		msg += "; this clone is shallow: " + a.fetchHint()
	}
	return errors.New(msg)
}

// fetchHint says how to fetch the revision into a shallow clone.
func (a *Against) fetchHint() string {
	switch a.kind {
	case "branch":
		return "fetch the branch (git fetch --depth=1 origin " + a.name + ":refs/remotes/origin/" + a.name + ") or clone with its history"
	case "tag":
		return "fetch the tag (git fetch --depth=1 origin tag " + a.name + ") or clone with the tags"
	}
	return "fetch the history (git fetch --unshallow), or the commit by its full hash (git fetch --depth=1 origin HASH)"
}

// gitError is a git command that exited with a code.
type gitError struct {
	code   int
	stderr string
}

func (e *gitError) Error() string { return fmt.Sprintf("git exited %d: %s", e.code, e.stderr) }

// run runs git in the repository and returns its standard output.
func (a *Against) run(ctx context.Context, args ...string) ([]byte, error) {
	full := args
	if filepath.Base(a.repo) == ".git" {
		full = append([]string{"-C", filepath.Dir(a.repo)}, args...)
	} else {
		full = append([]string{"--git-dir", a.repo}, args...)
	}
	cmd := exec.CommandContext(ctx, "git", full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	err := cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		gerr := &gitError{code: exit.ExitCode(), stderr: strings.TrimSpace(stderr.String())}
		if gerr.code == 1 && slices.Contains(args, "--quiet") {
			return nil, gerr
		}
		return nil, fmt.Errorf("--against %s: git %s: %w", a.spec, args[0], gerr)
	}
	if errors.Is(err, exec.ErrNotFound) {
		return nil, fmt.Errorf("--against %s: git is not installed (--against DIR compares with a directory without git): %w", a.spec, err)
	}
	return nil, fmt.Errorf("--against %s: git: %w", a.spec, err)
}

// Breaking compares the .esm files srcs with their published version and
// returns the changes that break stored events (dsl.Breaking's
// diagnostics, B001...). Name every .esm file of the project: aggregates
// are matched by name across all of them, so that one moved from a file
// to another is not taken for one removed. The published version is, for
// each directory of srcs, the files there at the reference that are
// among srcs or no longer exist (a file deleted since is compared, its
// aggregates gone unless another file has them); a file of the directory
// that exists but is not named is left out on both sides.
//
// The files of one directory are loaded together, as check does; their
// diagnostics are returned as they are when any is an error, and nothing
// is compared. Files at the reference that do not check are an error.
func Breaking(ctx context.Context, srcs []dsl.Source, against *Against) (dsl.Diagnostics, error) {
	var diags dsl.Diagnostics
	var oldFiles, curFiles []*dsl.File
	for _, group := range groupByDir(srcs) {
		files, ds := dsl.LoadPackage(group)
		if ds.HasErrors() {
			diags = append(diags, ds...)
			continue
		}
		curFiles = append(curFiles, files...)
		dir := filepath.Dir(group[0].Name)
		given := map[string]bool{}
		for _, s := range group {
			given[filepath.Base(s.Name)] = true
		}
		published, err := against.Sources(ctx, dir)
		if err != nil {
			return nil, err
		}
		var old []dsl.Source
		for _, s := range published {
			base := filepath.Base(s.Name)
			if _, err := os.Lstat(filepath.Join(dir, base)); given[base] || errors.Is(err, fs.ErrNotExist) {
				old = append(old, s)
			}
		}
		files, ods := dsl.LoadPackage(old)
		if ods.HasErrors() {
			return nil, fmt.Errorf("--against %s: the files of %s there do not check, so they cannot be compared with:\n%s", against.spec, dir, (&dsl.Error{Diagnostics: ods}).Error())
		}
		oldFiles = append(oldFiles, files...)
	}
	if diags.HasErrors() {
		diags.Sort()
		return diags, nil
	}
	return dsl.Breaking(oldFiles, curFiles), nil
}

// groupByDir groups sources by directory, in the order of their first
// file.
func groupByDir(srcs []dsl.Source) [][]dsl.Source {
	var groups [][]dsl.Source
	index := map[string]int{}
	for _, s := range srcs {
		dir := filepath.Dir(s.Name)
		i, ok := index[dir]
		if !ok {
			i = len(groups)
			index[dir] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], s)
	}
	return groups
}
