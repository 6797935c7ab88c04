package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	pathpkg "path"
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

// root is the directory the paths of the repository are relative to: the
// work tree of PATH/.git, or for a bare repository the current directory.
func (a *Against) root() string {
	if filepath.Base(a.repo) != ".git" {
		return "."
	}
	return filepath.Dir(a.repo)
}

// gitSources reads the .esm files of dir at the revision with git.
func (a *Against) gitSources(ctx context.Context, dir string) ([]dsl.Source, error) {
	rel, err := relativeTo(a.root(), dir)
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
// that exists but is not named is left out on both sides. At a git
// reference, so is every directory under the current directory that held
// .esm files there and holds none now (a package deleted: its aggregates
// are gone unless another file has them), except testdata directories and
// those whose name starts with . or _, which are not packages.
//
// A reference none of whose files matches is an error rather than a pass
// that compared nothing (a directory that does not mirror the current
// one): the named files' directories, or for a git reference the
// directories under the current directory, must hold a .esm file there,
// unless the git reference holds none at all (it predates them).
//
// The files of one directory are loaded together, as check does; their
// diagnostics are returned as they are when any is an error, and nothing
// is compared. Files at the reference that do not check are an error.
func Breaking(ctx context.Context, srcs []dsl.Source, against *Against) (dsl.Diagnostics, error) {
	var diags dsl.Diagnostics
	var oldFiles, curFiles []*dsl.File
	named := map[string]bool{} // the absolute directories of srcs
	matched := 0               // files of the reference in those directories
	for _, group := range groupByDir(srcs) {
		files, ds := dsl.LoadPackage(group)
		if ds.HasErrors() {
			diags = append(diags, ds...)
			continue
		}
		curFiles = append(curFiles, files...)
		dir := filepath.Dir(group[0].Name)
		if abs, err := filepath.Abs(dir); err == nil {
			named[abs] = true
		}
		given := map[string]bool{}
		for _, s := range group {
			given[filepath.Base(s.Name)] = true
		}
		published, err := against.Sources(ctx, dir)
		if err != nil {
			return nil, err
		}
		matched += len(published)
		var old []dsl.Source
		for _, s := range published {
			base := filepath.Base(s.Name)
			if _, err := os.Lstat(filepath.Join(dir, base)); given[base] || errors.Is(err, fs.ErrNotExist) {
				old = append(old, s)
			}
		}
		files, err = against.load(dir, old)
		if err != nil {
			return nil, err
		}
		oldFiles = append(oldFiles, files...)
	}
	if diags.HasErrors() {
		diags.Sort()
		return diags, nil
	}
	refHasAny := true
	if against.git {
		dirs, any, err := against.gitDirs(ctx)
		if err != nil {
			return nil, err
		}
		refHasAny = any
		for _, dir := range dirs {
			abs, err := filepath.Abs(dir)
			if err != nil || named[abs] {
				continue
			}
			if now, _ := filepath.Glob(filepath.Join(dir, "*.esm")); len(now) > 0 {
				matched++ // the layout matches: a package not named
				continue
			}
			published, err := against.Sources(ctx, dir)
			if err != nil {
				return nil, err
			}
			matched += len(published)
			files, err := against.load(dir, published)
			if err != nil {
				return nil, err
			}
			oldFiles = append(oldFiles, files...)
		}
	}
	if matched == 0 && refHasAny && len(srcs) > 0 {
		return nil, against.noMatch(srcs)
	}
	return dsl.Breaking(oldFiles, curFiles), nil
}

// load loads the files of a directory at the reference, which must check.
func (a *Against) load(dir string, srcs []dsl.Source) ([]*dsl.File, error) {
	files, ds := dsl.LoadPackage(srcs)
	if ds.HasErrors() {
		return nil, fmt.Errorf("--against %s: the files of %s there do not check, so they cannot be compared with:\n%s", a.spec, dir, (&dsl.Error{Diagnostics: ds}).Error())
	}
	return files, nil
}

// noMatch is the error of a reference that holds none of the files, nor
// any file of their directories.
func (a *Against) noMatch(srcs []dsl.Source) error {
	names := make([]string, 0, 3)
	for i, s := range srcs {
		if i == 3 {
			names = append(names, "...")
			break
		}
		names = append(names, s.Name)
	}
	list := strings.Join(names, ", ")
	if a.git {
		return fmt.Errorf("--against %s: no .esm file there matches %s, nor any directory under the current one: "+
			"run esgen in the directory of the work tree the files' paths are relative to", a.spec, list)
	}
	return fmt.Errorf("--against %s: no .esm file there matches %s: is %s the directory that held these files? "+
		"It must mirror the current directory", a.spec, list, a.dir)
}

// gitDirs returns the directories, relative to the current directory and
// under it, that hold .esm files at the reference, sorted, leaving out
// testdata and those whose name starts with . or _; and whether the
// reference holds any .esm file at all.
func (a *Against) gitDirs(ctx context.Context) ([]string, bool, error) {
	scope, err := relativeTo(a.root(), ".")
	if err != nil {
		return nil, false, fmt.Errorf("--against %s: %w", a.spec, err)
	}
	if err := a.resolve(ctx); err != nil {
		return nil, false, err
	}
	out, err := a.run(ctx, "ls-tree", "-r", "--name-only", "-z", a.resolved)
	if err != nil {
		return nil, false, err
	}
	scope = filepath.ToSlash(scope)
	seen := map[string]bool{}
	var dirs []string
	anyFile := false
	for file := range strings.SplitSeq(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		if !strings.HasSuffix(file, ".esm") {
			continue
		}
		anyFile = true
		dir := pathpkg.Dir(file)
		var local string
		switch {
		case scope == ".":
			local = dir
		case dir == scope:
			local = "."
		case strings.HasPrefix(dir, scope+"/"):
			local = strings.TrimPrefix(dir, scope+"/")
		default:
			continue
		}
		if seen[local] || !isPackageDir(local) {
			continue
		}
		seen[local] = true
		dirs = append(dirs, filepath.FromSlash(local))
	}
	slices.Sort(dirs)
	return dirs, anyFile, nil
}

// isPackageDir reports whether a slash-separated directory can hold a
// package: go build ignores testdata and names starting with . or _.
func isPackageDir(dir string) bool {
	if dir == "." {
		return true
	}
	for elem := range strings.SplitSeq(dir, "/") {
		if elem == "testdata" || strings.HasPrefix(elem, ".") || strings.HasPrefix(elem, "_") {
			return false
		}
	}
	return true
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
