package build_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esgen/esgen/build"
	"github.com/esgen/esgen/dsl"
)

const shelf = `package shelf

aggregate Book {
    lives forever
    state OnShelf initial
    state Out
    command Lend { member string }
    command Return {}
    event BookLent { member string }
    event BookReturned {}
    on Lend: OnShelf -> Out emits BookLent
    on Return: Out -> OnShelf emits BookReturned
    evolve OnShelf on BookLent: drop member
}
`

// git runs git in dir and fails the test on an error.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// shelfRepo makes a repository whose branch main and tag v1 hold
// lib/shelf.esm, and returns its directory, with a bad edit of the file
// in its work tree.
func shelfRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	git(t, repo, "init", "-q", "-b", "main")
	write(t, filepath.Join(repo, "lib", "shelf.esm"), shelf)
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-q", "-m", "shelf")
	git(t, repo, "tag", "v1")
	write(t, filepath.Join(repo, "lib", "shelf.esm"), strings.Replace(shelf, "event BookLent { member string }", "event BookLent { member int }", 1))
	return repo
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

const retyped = "lib/shelf.esm:9:29: error[B011]: field member of BookLent v1 changed type from string to int: the stored BookLent v1 events hold a string (declare the change as BookLent v2)\n"

func breaking(t *testing.T, spec string, names ...string) (string, error) {
	t.Helper()
	a, err := build.ParseAgainst(spec)
	if err != nil {
		t.Fatal(err)
	}
	var srcs []dsl.Source
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, dsl.Source{Name: n, Data: data})
	}
	ds, err := build.Breaking(context.Background(), srcs, a)
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String() + "\n")
	}
	return b.String(), err
}

// TestAgainstGit compares a work tree with its branch, tag and commit.
func TestAgainstGit(t *testing.T) {
	repo := shelfRepo(t)
	t.Chdir(repo)
	head := git(t, repo, "rev-parse", "HEAD")
	for _, spec := range []string{".git", ".git#branch=main", ".git#tag=v1", ".git#ref=" + head, ".git#ref=HEAD"} {
		got, err := breaking(t, spec, "lib/shelf.esm")
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if got != retyped {
			t.Errorf("%s: got\n%swant\n%s", spec, got, retyped)
		}
	}
	// The same file unchanged passes; a new aggregate in a new file passes.
	write(t, filepath.Join(repo, "lib", "shelf.esm"), shelf)
	write(t, filepath.Join(repo, "lib", "desk.esm"), "package shelf\n\neventual aggregate Desk {\n    event Opened { at string }\n}\n")
	if got, err := breaking(t, ".git#branch=main", "lib/desk.esm", "lib/shelf.esm"); err != nil || got != "" {
		t.Errorf("unchanged: %q, %v", got, err)
	}
	// An aggregate moved to another file of the package is not gone; one
	// removed is, even when only another file of its directory is named.
	write(t, filepath.Join(repo, "lib", "desk.esm"), "package shelf\n\neventual aggregate Desk {\n    event Opened { at string }\n}\n"+strings.TrimPrefix(shelf, "package shelf\n"))
	write(t, filepath.Join(repo, "lib", "shelf.esm"), "package shelf\n")
	if got, err := breaking(t, ".git#branch=main", "lib/desk.esm"); err != nil || got != "" {
		t.Errorf("moved: %q, %v", got, err)
	}
	if err := os.Remove(filepath.Join(repo, "lib", "shelf.esm")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(repo, "lib", "desk.esm"), "package shelf\n\neventual aggregate Desk {\n    event Opened { at string }\n}\n")
	want := "lib/desk.esm:1:1: error[B001]: aggregate Book is gone: its stored events can no longer be loaded\n"
	if got, err := breaking(t, ".git#branch=main", "lib/desk.esm"); err != nil || got != want {
		t.Errorf("removed: got %q, %v, want %q", got, err, want)
	}
}

const billing = `package billing

eventual aggregate Invoice {
    event InvoiceSent { total int64 }
}
`

// TestAgainstGitDeletedPackage: a package whose every .esm file is gone
// is compared, though none of its files can be named; testdata is not a
// package.
func TestAgainstGitDeletedPackage(t *testing.T) {
	repo := shelfRepo(t)
	t.Chdir(repo)
	write(t, filepath.Join(repo, "lib", "shelf.esm"), shelf)
	write(t, filepath.Join(repo, "billing", "billing.esm"), billing)
	write(t, filepath.Join(repo, "billing", "testdata", "broken.esm"), "package broken\n\naggregate {\n")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-q", "-m", "billing")
	git(t, repo, "tag", "v2")
	git(t, repo, "rm", "-q", "billing/billing.esm")
	want := "billing/billing.esm:1:1: error[B001]: aggregate Invoice is gone: its stored events can no longer be loaded\n"
	if got, err := breaking(t, ".git#tag=v2", "lib/shelf.esm"); err != nil || got != want {
		t.Errorf("deleted package: got %q, %v, want %q", got, err, want)
	}
	// From a directory of the work tree, only the directories under it.
	t.Chdir(filepath.Join(repo, "lib"))
	if got, err := breaking(t, "../.git#tag=v2", "shelf.esm"); err != nil || got != "" {
		t.Errorf("from lib: %q, %v", got, err)
	}
	t.Chdir(repo)
	// Moved to another package: not gone.
	write(t, filepath.Join(repo, "lib", "billing.esm"), strings.Replace(billing, "package billing", "package shelf", 1))
	if got, err := breaking(t, ".git#tag=v2", "lib/billing.esm", "lib/shelf.esm"); err != nil || got != "" {
		t.Errorf("moved: %q, %v", got, err)
	}
}

// TestAgainstDir compares with another directory.
func TestAgainstDir(t *testing.T) {
	old := t.TempDir()
	write(t, filepath.Join(old, "lib", "shelf.esm"), shelf)
	cur := t.TempDir()
	write(t, filepath.Join(cur, "lib", "shelf.esm"), strings.Replace(shelf, "event BookLent { member string }", "event BookLent { member int }", 1))
	t.Chdir(cur)
	got, err := breaking(t, old, "lib/shelf.esm")
	if err != nil || got != retyped {
		t.Errorf("got %q, %v, want %q", got, err, retyped)
	}
	// A directory the reference lacks beside one it has: everything in it
	// is new.
	write(t, filepath.Join(cur, "other", "billing.esm"), billing)
	if got, err := breaking(t, old, "lib/shelf.esm", "other/billing.esm"); err != nil || got != retyped {
		t.Errorf("new directory: %q, %v", got, err)
	}
	// A reference none of whose files matches compares nothing: an error.
	empty := t.TempDir()
	for _, ref := range []string{empty, filepath.Join(old, "lib")} {
		_, err := breaking(t, ref, "other/billing.esm", "lib/shelf.esm")
		want := "--against " + ref + ": no .esm file there matches other/billing.esm, lib/shelf.esm: is " + ref +
			" the directory that held these files? It must mirror the current directory"
		if err == nil || err.Error() != want {
			t.Errorf("got %v, want %s", err, want)
		}
	}
	if _, err := breaking(t, filepath.Join(old, "missing"), "lib/shelf.esm"); err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Errorf("missing reference directory: %v", err)
	}
}

// TestAgainstGitNoMatch: a git reference whose .esm files are all outside
// the current directory compares nothing: an error; one with no .esm file
// at all predates them: everything is new.
func TestAgainstGitNoMatch(t *testing.T) {
	repo := shelfRepo(t)
	write(t, filepath.Join(repo, "app", "shelf.esm"), shelf)
	t.Chdir(filepath.Join(repo, "app"))
	_, err := breaking(t, "../.git#tag=v1", "shelf.esm")
	want := "--against ../.git#tag=v1: no .esm file there matches shelf.esm, nor any directory under the current one: " +
		"run esgen in the directory of the work tree the files' paths are relative to"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	t.Chdir(repo)
	write(t, filepath.Join(repo, "README"), "before\n")
	git(t, repo, "checkout", "-q", "--orphan", "early")
	git(t, repo, "rm", "-q", "-r", "-f", "--cached", ".")
	git(t, repo, "add", "README")
	git(t, repo, "commit", "-q", "-m", "before the .esm files")
	if got, err := breaking(t, ".git#branch=early", "lib/shelf.esm"); err != nil || got != "" {
		t.Errorf("reference with no .esm file: %q, %v", got, err)
	}
}

// TestAgainstErrors: references git cannot find, in a full and in a
// shallow clone, and files that do not check at the reference.
func TestAgainstErrors(t *testing.T) {
	repo := shelfRepo(t)
	t.Chdir(repo)
	_, err := breaking(t, ".git#branch=release", "lib/shelf.esm")
	want := "--against .git#branch=release: git knows no branch release (looked for refs/heads/release, refs/remotes/origin/release)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}

	// A shallow clone of the newest commit lacks the one before.
	write(t, filepath.Join(repo, "lib", "shelf.esm"), shelf+"\n// a comment\n")
	git(t, repo, "commit", "-q", "-am", "comment")
	clone := filepath.Join(t.TempDir(), "clone")
	git(t, repo, "clone", "-q", "--depth=1", "file://"+repo, clone)
	t.Chdir(clone)
	_, err = breaking(t, ".git#ref=HEAD~1", "lib/shelf.esm")
	want = "--against .git#ref=HEAD~1: git knows no ref HEAD~1 (looked for HEAD~1); this clone is shallow: fetch the history (git fetch --unshallow), or the commit by its full hash (git fetch --depth=1 origin HASH)"
	if err == nil || err.Error() != want {
		t.Errorf("shallow: got %v, want %s", err, want)
	}
	if got, err := breaking(t, ".git#branch=main", "lib/shelf.esm"); err != nil || got != "" {
		t.Errorf("shallow, origin/main: %q, %v", got, err)
	}
	_, err = breaking(t, ".git#branch=release", "lib/shelf.esm")
	want = "--against .git#branch=release: git knows no branch release (looked for refs/heads/release, refs/remotes/origin/release); " +
		"this clone is shallow: fetch the branch (git fetch --depth=1 origin release:refs/remotes/origin/release) or clone with its history"
	if err == nil || err.Error() != want {
		t.Errorf("shallow, another branch: got %v, want %s", err, want)
	}

	// Files that do not check at the reference cannot be compared with.
	t.Chdir(repo)
	write(t, filepath.Join(repo, "lib", "shelf.esm"), "package shelf\n\naggregate {\n")
	git(t, repo, "commit", "-q", "-am", "broken")
	write(t, filepath.Join(repo, "lib", "shelf.esm"), shelf)
	_, err = breaking(t, ".git", "lib/shelf.esm")
	if err == nil || !strings.HasPrefix(err.Error(), "--against .git: the files of lib there do not check, so they cannot be compared with:\nlib/shelf.esm:3:11: error[E001]") {
		t.Errorf("broken reference: %v", err)
	}
}

func TestParseAgainst(t *testing.T) {
	for _, c := range []struct{ spec, err string }{
		{".git#branch=main", ""},
		{"../other/.git#tag=v0.1.0", ""},
		{"repo.git", ""},
		{"old-checkout", ""},
		{"", "invalid --against reference: empty"},
		{"dir#branch=main", "invalid --against reference: dir#branch=main: a git reference names a .git directory before the # (.git#branch=main)"},
		{".git#main", "invalid --against reference: .git#main: after the # comes branch=NAME, tag=NAME or ref=REVISION"},
		{".git#commit=abc", `invalid --against reference: .git#commit=abc: unknown "commit": use branch=NAME, tag=NAME or ref=REVISION`},
		{".git#ref=--output=x", `invalid --against reference: .git#ref=--output=x: "--output=x" is not a git revision`},
	} {
		_, err := build.ParseAgainst(c.spec)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%q: %v", c.spec, err)
		case c.err != "" && (err == nil || err.Error() != c.err || !errors.Is(err, build.ErrAgainstSyntax)):
			t.Errorf("%q: got %v, want %s", c.spec, err, c.err)
		}
	}
}

// TestExamplesHistory: the examples now break nothing stored under any
// version of them in this repository's history (as much of it as the
// clone holds).
func TestExamplesHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root := filepath.Join("..")
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skip("not a git checkout")
	}
	log := exec.Command("git", "log", "--format=%H", "--", "examples/*.esm")
	log.Dir = root
	out, err := log.Output()
	if err != nil {
		t.Skipf("no git history: %v", err)
	}
	commits := strings.Fields(string(out))
	if len(commits) == 0 {
		t.Skip("the clone holds no commit of the examples (shallow)")
	}
	names, err := filepath.Glob(filepath.Join(root, "examples", "*.esm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commits {
		got, err := breaking(t, filepath.Join(root, ".git")+"#ref="+c, names...)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if got != "" {
			t.Errorf("against %s:\n%s", c, got)
		}
	}
	t.Logf("the examples break nothing of %d commits", len(commits))
}
