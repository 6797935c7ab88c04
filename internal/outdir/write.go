package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"unicode/utf8"
)

// Set is the files to write into one output directory.
type Set struct {
	Dir   string
	Files []File
	// Remove names files of Dir (slash-separated, relative to it) that are
	// no longer generated: they are removed with the same guarantee, and
	// put back on failure. One that does not exist is ignored.
	Remove []string
	// Expect holds, by name, the bytes files of Files derived from what
	// was on disk (a test skeleton with the cases of new transitions
	// added) must still find there: when such a file changed, or is gone,
	// since it was read, nothing is written and the error matches
	// ErrChanged, so that no edit made meanwhile is lost.
	Expect map[string][]byte
}

// ErrChanged is matched by the error of Write when a file of Set.Expect
// no longer holds the expected bytes.
var ErrChanged = errors.New("changed on disk while esgen ran")

// Report says what Write did with each file of a directory. Names are the
// generated names (slash-separated, relative to the directory), sorted.
type Report struct {
	Dir string
	// Written holds files created or replaced because their bytes changed.
	Written []string
	// Unchanged holds files whose bytes were already on disk; they were
	// not touched.
	Unchanged []string
	// Kept holds Once files that already existed and were left as they are.
	Kept []string
	// Removed holds files of Set.Remove that existed and were removed.
	Removed []string
}

// newFileMode is the permission of a file Write creates.
const newFileMode fs.FileMode = 0o644

// Write writes files into dir (created if needed), all or nothing: see the
// package documentation. The Report lists what was written, left unchanged
// and kept.
func Write(dir string, files []File) (Report, error) {
	reps, err := WriteAll([]Set{{Dir: dir, Files: files}})
	if err != nil {
		return Report{Dir: dir}, err
	}
	return reps[0], nil
}

// WriteAll writes several directories as one unit: either every set is
// written or, on error, no directory changes. It returns one Report per
// set, in order.
func WriteAll(sets []Set) ([]Report, error) {
	return writer{rename: os.Rename, remove: os.Remove}.writeAll(sets)
}

// writer carries the one file-system operation tests replace to inject a
// failure in the middle of a commit.
type writer struct {
	rename func(oldpath, newpath string) error
	remove func(path string) error
}

// change is one target to replace: the new bytes staged in tmp, and what
// was there before, to restore on failure.
type change struct {
	target
	mode    fs.FileMode
	existed bool
	old     []byte
	tmp     string
}

func (w writer) writeAll(sets []Set) (reps []Report, err error) {
	ts, err := resolve(sets)
	if err != nil {
		return nil, err
	}
	reps = make([]Report, len(sets))
	for i, s := range sets {
		reps[i].Dir = s.Dir
	}
	setOf := make([]int, 0, len(ts)) // the set of each target
	for i, s := range sets {
		for range s.Files {
			setOf = append(setOf, i)
		}
	}

	// Plan: read what is on disk, decide what changes. Nothing is written.
	var changes []*change
	for i, t := range ts {
		rep := &reps[setOf[i]]
		expect, hasExpect := sets[setOf[i]].Expect[t.name]
		if hasExpect && expect == nil {
			expect = []byte{}
		}
		c, keep, err := plan(t, expect)
		if err != nil {
			return nil, err
		}
		switch {
		case c != nil:
			changes = append(changes, c)
			rep.Written = append(rep.Written, t.name)
		case keep:
			rep.Kept = append(rep.Kept, t.name)
		default:
			rep.Unchanged = append(rep.Unchanged, t.name)
		}
	}
	var removals []*change
	for i, s := range sets {
		for _, name := range s.Remove {
			c, err := planRemoval(s.Dir, name)
			if err != nil {
				return nil, err
			}
			if c != nil {
				removals = append(removals, c)
				reps[i].Removed = append(reps[i].Removed, name)
			}
		}
	}
	for i := range reps {
		slices.Sort(reps[i].Removed)
		slices.Sort(reps[i].Written)
		slices.Sort(reps[i].Unchanged)
		slices.Sort(reps[i].Kept)
	}
	if len(changes) == 0 && len(removals) == 0 {
		return reps, nil
	}

	// Stage: every new content in a temporary file beside its target.
	var created []string // directories made for the output, outermost first
	renamed, removed := 0, 0
	defer func() {
		if err == nil {
			return
		}
		for _, c := range changes[:renamed] {
			restore(c)
		}
		for _, c := range removals[:removed] {
			restore(c)
		}
		for _, c := range changes[renamed:] {
			if c.tmp != "" {
				os.Remove(c.tmp)
			}
		}
		for i := len(created) - 1; i >= 0; i-- {
			os.Remove(created[i]) // only succeeds when empty again
		}
		reps = nil
	}()
	for _, c := range changes {
		dirs, err := mkdirs(filepath.Dir(c.path))
		created = append(created, dirs...)
		if err != nil {
			return nil, err
		}
		if c.tmp, err = stage(filepath.Dir(c.path), filepath.Base(c.path), c.file.Data, c.mode); err != nil {
			return nil, err
		}
	}

	// Commit: rename every temporary file over its target.
	for _, c := range changes {
		if err := w.rename(c.tmp, c.path); err != nil {
			return nil, fmt.Errorf("outdir: replace %s: %w", c.path, err)
		}
		renamed++
	}
	for _, c := range removals {
		if err := w.remove(c.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("outdir: remove %s: %w", c.path, err)
		}
		removed++
	}
	return reps, nil
}

// planRemoval reads the file name of dir to remove, so that a failed write
// can put it back. It returns nil when there is no such file.
func planRemoval(dir, name string) (*change, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, fmt.Errorf("outdir: %q: %w: want a relative slash-separated path without . or .. elements", name, ErrInvalidName)
	}
	p := filepath.Join(dir, filepath.FromSlash(name))
	info, err := os.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("outdir: %w", err)
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("outdir: %s: not a regular file, cannot remove it", p)
	}
	old, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("outdir: %w", err)
	}
	return &change{target: target{name: name, path: p}, mode: info.Mode().Perm(), existed: true, old: old}, nil
}

// plan reads the target's current state. It returns the change to make, or
// nil with keep set for an existing Once file, or nil for an unchanged file.
// A non-nil expect is the content the file must have (Set.Expect).
func plan(t target, expect []byte) (c *change, keep bool, err error) {
	info, err := os.Lstat(t.path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && expect != nil:
		return nil, false, fmt.Errorf("outdir: %s: %w: it was removed; run again", t.path, ErrChanged)
	case errors.Is(err, fs.ErrNotExist):
		return &change{target: t, mode: newFileMode}, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("outdir: %w", err)
	case info.IsDir():
		return nil, false, fmt.Errorf("outdir: %s: is a directory, want a generated file", t.path)
	case t.file.Once:
		return nil, true, nil
	}
	old, err := os.ReadFile(t.path)
	if err != nil {
		return nil, false, fmt.Errorf("outdir: %w", err)
	}
	if expect != nil && !bytes.Equal(old, expect) {
		return nil, false, fmt.Errorf("outdir: %s: %w: run again", t.path, ErrChanged)
	}
	if bytes.Equal(old, t.file.Data) {
		return nil, false, nil
	}
	return &change{target: t, mode: info.Mode().Perm(), existed: true, old: old}, false, nil
}

// mkdirs creates dir and any missing parents, returning the directories it
// created, outermost first, so that a failed write can remove them again.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		if err == nil {
			if !info.IsDir() {
				return nil, fmt.Errorf("outdir: %s: not a directory", d)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("outdir: %w", err)
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	slices.Reverse(missing)
	for i, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil {
			return missing[:i], fmt.Errorf("outdir: %w", err)
		}
	}
	return missing, nil
}

// stage writes data to a new temporary file in dir, named after base so a
// stray one is recognisable, with the given permission, and returns its
// path.
func stage(dir, base string, data []byte, mode fs.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, "."+tempBase(base)+".esgen-*")
	if err != nil {
		return "", fmt.Errorf("outdir: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("outdir: write %s: %w", tmp, err)
	}
	return tmp, nil
}

// maxTempBase is the longest part of a target's name that its temporary
// file's name holds: with ".", ".esgen-" and the ten digits CreateTemp
// adds, the name stays within the 255 bytes file systems allow, whatever
// the length of the target's name.
const maxTempBase = 255 - len(".") - len(".esgen-") - 10

// tempBase returns base, cut to maxTempBase bytes at a character boundary.
func tempBase(base string) string {
	if len(base) <= maxTempBase {
		return base
	}
	cut := maxTempBase
	for cut > 0 && !utf8.RuneStart(base[cut]) {
		cut--
	}
	return base[:cut]
}

// restore undoes a committed change or removal: the previous content
// comes back (by temporary file and rename, as it went), or the new file
// is removed.
func restore(c *change) {
	if !c.existed {
		os.Remove(c.path)
		return
	}
	tmp, err := stage(filepath.Dir(c.path), filepath.Base(c.path), c.old, c.mode)
	if err != nil {
		return
	}
	if os.Rename(tmp, c.path) != nil {
		os.Remove(tmp)
	}
}
