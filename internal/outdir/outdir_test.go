package outdir

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// entry is what a snapshot records of one path.
type entry struct {
	Dir  bool
	Mode fs.FileMode
	Data string
}

// snapshot returns every path under root (relative, slash-separated) with
// its kind, permission and content.
func snapshot(t *testing.T, root string) map[string]entry {
	t.Helper()
	m := map[string]entry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		e := entry{Dir: d.IsDir(), Mode: info.Mode().Perm()}
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.Data = string(b)
		}
		m[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// put creates the files under root, with parents, mode 0644.
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

func gen(name, data string) File { return File{Name: name, Data: []byte(data)} }

func once(name, data string) File {
	return File{Name: name, Data: []byte(data), Once: true}
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name    string
		before  map[string]string
		files   []File
		want    Report
		after   map[string]string // file contents expected afterwards (all files)
		subdirs []string          // directories expected afterwards
	}{
		{
			name:  "fresh directory",
			files: []File{gen("order.gen.go", "package a\n"), gen("docs/order.md", "# Order\n"), once("order_test.go", "skeleton\n")},
			want:  Report{Written: []string{"docs/order.md", "order.gen.go", "order_test.go"}},
			after: map[string]string{
				"order.gen.go":  "package a\n",
				"docs/order.md": "# Order\n",
				"order_test.go": "skeleton\n",
			},
			subdirs: []string{"docs"},
		},
		{
			name:   "unchanged, stale and kept",
			before: map[string]string{"a.gen.go": "same\n", "b.gen.go": "old\n", "a_test.go": "user edits\n", "other.go": "mine\n"},
			files:  []File{gen("b.gen.go", "new\n"), gen("a.gen.go", "same\n"), once("a_test.go", "skeleton\n"), gen("c.svg", "<svg/>\n")},
			want:   Report{Written: []string{"b.gen.go", "c.svg"}, Unchanged: []string{"a.gen.go"}, Kept: []string{"a_test.go"}},
			after: map[string]string{
				"a.gen.go": "same\n", "b.gen.go": "new\n", "a_test.go": "user edits\n",
				"other.go": "mine\n", "c.svg": "<svg/>\n",
			},
		},
		{
			name:   "empty content is a real file",
			before: map[string]string{"e.txt": "x"},
			files:  []File{gen("e.txt", ""), gen("f.txt", "")},
			want:   Report{Written: []string{"e.txt", "f.txt"}},
			after:  map[string]string{"e.txt": "", "f.txt": ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if tt.before != nil {
				put(t, dir, tt.before)
			}
			rep, err := Write(dir, tt.files)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Dir = dir
			if diff := cmp.Diff(tt.want, rep); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
			want := map[string]entry{}
			for name, data := range tt.after {
				want[name] = entry{Mode: 0o644, Data: data}
			}
			for _, d := range tt.subdirs {
				want[d] = entry{Dir: true, Mode: 0o755}
			}
			if diff := cmp.Diff(want, snapshot(t, dir)); diff != "" {
				t.Errorf("directory after Write (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteKeepsUnchangedFilesAndModes(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, map[string]string{"a.gen.go": "a\n", "b.gen.go": "b\n"})
	if err := os.Chmod(filepath.Join(dir, "b.gen.go"), 0o600); err != nil {
		t.Fatal(err)
	}
	past := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, n := range []string{"a.gen.go", "b.gen.go"} {
		if err := os.Chtimes(filepath.Join(dir, n), past, past); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Write(dir, []File{gen("a.gen.go", "a\n"), gen("b.gen.go", "b2\n")})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rep.Written, ","); got != "b.gen.go" {
		t.Errorf("Written = %s, want b.gen.go", got)
	}
	a, err := os.Stat(filepath.Join(dir, "a.gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !a.ModTime().Equal(past) {
		t.Errorf("unchanged file's mtime = %v, want %v (untouched)", a.ModTime(), past)
	}
	b, err := os.Stat(filepath.Join(dir, "b.gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if b.ModTime().Equal(past) {
		t.Error("changed file's mtime was not updated")
	}
	if b.Mode().Perm() != 0o600 {
		t.Errorf("replaced file's mode = %v, want the previous 0600", b.Mode().Perm())
	}
}

// TestWriteFailureLeavesDirectory injects a failure at each rename of the
// commit and checks that the output directory is exactly as before: old
// contents restored, new files removed, temporary files and directories
// made for the output gone.
func TestWriteFailureLeavesDirectory(t *testing.T) {
	files := []File{
		gen("a.gen.go", "a new\n"),
		gen("b.gen.go", "b new\n"),
		gen("docs/c.md", "c new\n"),
		gen("same.gen.go", "same\n"),
		once("d_test.go", "skeleton\n"),
	}
	for fail := 1; fail <= 4; fail++ {
		dir := t.TempDir()
		put(t, dir, map[string]string{"a.gen.go": "a old\n", "same.gen.go": "same\n", "keep.go": "user\n"})
		if err := os.Chmod(filepath.Join(dir, "a.gen.go"), 0o640); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, dir)
		injected := errors.New("disk full")
		calls := 0
		w := writer{rename: func(o, n string) error {
			calls++
			if calls == fail {
				return injected
			}
			return os.Rename(o, n)
		}}
		reps, err := w.writeAll([]Set{{Dir: dir, Files: files}})
		if !errors.Is(err, injected) {
			t.Fatalf("fail at rename %d: err = %v, want the injected error", fail, err)
		}
		if reps != nil {
			t.Errorf("fail at rename %d: reports = %v, want none", fail, reps)
		}
		if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
			t.Errorf("fail at rename %d: directory changed (-before +after):\n%s", fail, diff)
		}
	}
}

func TestWriteAllIsOneUnit(t *testing.T) {
	root := t.TempDir()
	one, two := filepath.Join(root, "one"), filepath.Join(root, "two")
	put(t, one, map[string]string{"x.gen.go": "x old\n"})
	put(t, two, map[string]string{"y.gen.go/keep": "a directory where a file should go\n"})
	before := snapshot(t, root)
	_, err := WriteAll([]Set{
		{Dir: one, Files: []File{gen("x.gen.go", "x new\n")}},
		{Dir: two, Files: []File{gen("y.gen.go", "y\n")}},
	})
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("err = %v, want an is-a-directory error", err)
	}
	if diff := cmp.Diff(before, snapshot(t, root)); diff != "" {
		t.Errorf("directories changed (-before +after):\n%s", diff)
	}

	reps, err := WriteAll([]Set{
		{Dir: one, Files: []File{gen("x.gen.go", "x new\n")}},
		{Dir: filepath.Join(root, "three"), Files: []File{gen("z.gen.go", "z\n")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 2 || reps[0].Dir != one || len(reps[0].Written) != 1 || reps[1].Written[0] != "z.gen.go" {
		t.Errorf("reports = %+v", reps)
	}
}

func TestWriteStagingFailure(t *testing.T) {
	dir := t.TempDir()
	// "gen" is a file, so "gen/b.go" cannot be created: the failure comes
	// while staging, after a.gen.go was already staged.
	put(t, dir, map[string]string{"gen": "not a directory\n"})
	before := snapshot(t, dir)
	_, err := Write(dir, []File{gen("a.gen.go", "a\n"), gen("new/deeper/x.go", "x\n"), gen("gen/b.go", "b\n")})
	if err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("err = %v, want a not-a-directory error", err)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("directory changed (-before +after):\n%s", diff)
	}
}

func TestWriteInvalidNames(t *testing.T) {
	for _, name := range []string{"", ".", "../a.go", "/abs.go", "a/../b.go", "a//b.go", "./a.go", "a/"} {
		dir := t.TempDir()
		_, err := Write(dir, []File{gen("ok.go", "x"), gen(name, "y")})
		if !errors.Is(err, ErrInvalidName) {
			t.Errorf("name %q: err = %v, want ErrInvalidName", name, err)
		}
		if got := snapshot(t, dir); len(got) != 0 {
			t.Errorf("name %q: wrote %v", name, got)
		}
	}
	_, err := Write(t.TempDir(), []File{gen("a.go", "x"), gen("a.go", "y")})
	if !errors.Is(err, ErrInvalidName) || !strings.Contains(err.Error(), "generated twice") {
		t.Errorf("duplicate: err = %v, want ErrInvalidName, generated twice", err)
	}
}

func TestDiff(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, map[string]string{
		"current.gen.go": "same\n",
		"stale.gen.go":   "one\ntwo\nthree\n",
		"user_test.go":   "whatever the user wrote\n",
	})
	files := []File{
		gen("stale.gen.go", "one\n2\nthree\n"),
		gen("current.gen.go", "same\n"),
		gen("missing.md", "# M\n"),
		once("user_test.go", "skeleton\n"),
		once("absent_test.go", "skeleton\n"),
	}
	before := snapshot(t, dir)
	ds, err := Diff(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	slash := filepath.ToSlash(dir)
	want := []FileDiff{
		{
			Name: "missing.md", Path: filepath.Join(dir, "missing.md"), Missing: true,
			Diff: []byte("diff /dev/null " + slash + "/missing.md\n--- /dev/null\n+++ " + slash + "/missing.md\n@@ -0,0 +1,1 @@\n+# M\n"),
		},
		{
			Name: "stale.gen.go", Path: filepath.Join(dir, "stale.gen.go"),
			Diff: []byte("diff " + slash + "/stale.gen.go " + slash + "/stale.gen.go\n--- " + slash + "/stale.gen.go\n+++ " + slash + "/stale.gen.go\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n"),
		},
	}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("Diff changed the directory:\n%s", diff)
	}

	ds, err = Diff(dir, []File{gen("current.gen.go", "same\n"), gen("empty", "")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || !ds[0].Missing || len(ds[0].Diff) == 0 {
		t.Errorf("missing empty file: %+v, want one Missing diff with a header", ds)
	}
	if _, err := Diff(dir, []File{gen("../x", "")}); !errors.Is(err, ErrInvalidName) {
		t.Errorf("bad name: err = %v, want ErrInvalidName", err)
	}
}

// TestWriteRemoves checks Set.Remove: files removed with the writes and
// reported, a missing one ignored, all put back when a later removal
// fails; and DiffSet reports each as a diff to /dev/null.
func TestWriteRemoves(t *testing.T) {
	files := []File{gen("n.gen.go", "n\n")}
	remove := []string{"m.gen.go", "m.svg", "gone.gen.go"}
	dir := t.TempDir()
	put(t, dir, map[string]string{"m.gen.go": "m\n", "m.svg": "<svg/>\n", "keep.go": "user\n"})
	ds, err := DiffSet(Set{Dir: dir, Files: files, Remove: remove})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 || !ds[0].Removed || !bytes.Contains(ds[0].Diff, []byte("+++ /dev/null")) || !ds[2].Missing {
		t.Errorf("DiffSet = %+v", ds)
	}
	before := snapshot(t, dir)
	injected := errors.New("busy")
	calls := 0
	w := writer{rename: os.Rename, remove: func(p string) error {
		if calls++; calls == 2 {
			return injected
		}
		return os.Remove(p)
	}}
	if _, err := w.writeAll([]Set{{Dir: dir, Files: files, Remove: remove}}); !errors.Is(err, injected) {
		t.Fatalf("err = %v, want the injected error", err)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("failed removal: directory changed (-before +after):\n%s", diff)
	}
	reps, err := WriteAll([]Set{{Dir: dir, Files: files, Remove: remove}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(reps[0].Removed, " "); got != "m.gen.go m.svg" {
		t.Errorf("removed %q", got)
	}
	if got := snapshot(t, dir); len(got) != 2 {
		t.Errorf("directory holds %v, want keep.go and n.gen.go", got)
	}
}

// TestWriteExpect checks Set.Expect: a file grown from what was on disk is
// written over exactly those bytes, and reported written; when the file
// changed or went away since, nothing at all is written.
func TestWriteExpect(t *testing.T) {
	const mine, grown = "package a\n\n// mine\n", "package a\n\n// mine\n\nfunc TestNew() {}\n"
	files := []File{gen("a.gen.go", "a new\n"), gen("a_test.go", grown)}
	for _, tt := range []struct {
		name string
		disk map[string]string
	}{
		{"changed since it was read", map[string]string{"a.gen.go": "a old\n", "a_test.go": mine + "// an edit\n"}},
		{"removed since it was read", map[string]string{"a.gen.go": "a old\n"}},
	} {
		dir := t.TempDir()
		put(t, dir, tt.disk)
		before := snapshot(t, dir)
		_, err := WriteAll([]Set{{Dir: dir, Files: files, Expect: map[string][]byte{"a_test.go": []byte(mine)}}})
		if !errors.Is(err, ErrChanged) {
			t.Errorf("%s: err = %v, want ErrChanged", tt.name, err)
		}
		if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
			t.Errorf("%s: directory changed (-before +after):\n%s", tt.name, diff)
		}
	}

	dir := t.TempDir()
	put(t, dir, map[string]string{"a.gen.go": "a old\n", "a_test.go": mine})
	reps, err := WriteAll([]Set{{Dir: dir, Files: files, Expect: map[string][]byte{"a_test.go": []byte(mine)}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(reps[0].Written, " "); got != "a.gen.go a_test.go" {
		t.Errorf("written %q", got)
	}
	if got := snapshot(t, dir)["a_test.go"].Data; got != grown {
		t.Errorf("a_test.go = %q, want %q", got, grown)
	}
}

// TestGenerated checks which files Generated finds and the source each names.
func TestGenerated(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, map[string]string{
		"a.gen.go":   "// Code generated by esgen. DO NOT EDIT.\n// source: ../a.esm\n\npackage a\n",
		"old.gen.go": "// Code generated by esgen. DO NOT EDIT.\n\npackage a\n",
		"a.svg":      "<?xml version=\"1.0\"?>\n<!-- Code generated by esgen. DO NOT EDIT. -->\n<!-- source: a.esm -->\n<svg/>\n",
		"a.mmd":      "%% Code generated by esgen. DO NOT EDIT.\n%% source: a.esm\n",
		"x.md":       "<!-- Code generated by esgen. DO NOT EDIT. -->\n<!-- source: -->\n",
		"a_test.go":  "package a\n",
		"z.gen.go":   "// Code generated by stringer. DO NOT EDIT.\n",
		"a.txt":      "// Code generated by esgen. DO NOT EDIT.\n",
		// A Windows checkout with core.autocrlf=true ends lines with CRLF.
		"crlf.gen.go": "// Code generated by esgen. DO NOT EDIT.\r\n// source: crlf.esm\r\n\r\npackage a\r\n",
		"crlf.svg":    "<?xml version=\"1.0\"?>\r\n<!-- Code generated by esgen. DO NOT EDIT. -->\r\n<!-- source: crlf.esm -->\r\n<svg/>\r\n",
		"crlf_old.go": "// Code generated by esgen. DO NOT EDIT.\r\n\r\npackage a\r\n",
	})
	got, err := Generated(dir)
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, e := range got {
		s = append(s, e.Name+"="+e.Source)
	}
	if want := "a.gen.go=../a.esm a.mmd=a.esm a.svg=a.esm crlf.gen.go=crlf.esm crlf.svg=crlf.esm crlf_old.go= old.gen.go= x.md="; strings.Join(s, " ") != want {
		t.Errorf("Generated = %q, want %q", strings.Join(s, " "), want)
	}
}

// TestWriteLongestName writes and replaces a file whose name is as long
// as a file name can be: the temporary file beside it, named after it,
// must not be longer.
func TestWriteLongestName(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{
		strings.Repeat("a", 255),
		strings.Repeat("é", 127) + "a", // a cut must not split a character
	} {
		for _, data := range []string{"one", "two"} {
			if _, err := Write(dir, []File{gen(name, data)}); err != nil {
				t.Fatalf("%d bytes: %v", len(name), err)
			}
			if got := snapshot(t, dir)[name].Data; got != data {
				t.Errorf("%d bytes: content %q, want %q", len(name), got, data)
			}
		}
	}
	if n := len(snapshot(t, dir)); n != 2 {
		t.Errorf("%d files in the directory, want 2", n)
	}
	if got := tempBase(strings.Repeat("é", 127) + "a"); len(got) != 236 || !utf8.ValidString(got) {
		t.Errorf("tempBase cut to %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
	}
}
