package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esgen/esgen/build"
	"github.com/esgen/esgen/dsl"
	"github.com/google/go-cmp/cmp"
)

// TestCheckPackage checks that Check reports what generate would of the
// files of one package, E018 across files, from memory alone.
func TestCheckPackage(t *testing.T) {
	ctx := context.Background()
	srcs := []dsl.Source{
		{Name: "shop/a.esm", Data: []byte(door)},
		{Name: "shop/b.esm", Data: []byte(machine("door", "Gate"))},
	}
	ds, err := build.Check(ctx, srcs, build.Options{})
	if err != nil || len(ds) != 0 {
		t.Fatalf("Check = %v, %v; want clean", ds, err)
	}
	// b.esm now declares a state Closed too: one Go identifier twice.
	srcs[1].Data = []byte(strings.Replace(machine("door", "Gate"), "GateClosed", "Closed", -1))
	ds, err = build.Check(ctx, srcs, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) == 0 || ds[0].Code != "E018" || ds[0].Pos.Filename != "shop/b.esm" {
		t.Fatalf("Check = %v, want E018 in shop/b.esm", ds)
	}
	// In different directories they are different packages.
	srcs[1].Name = "other/b.esm"
	if ds, err := build.Check(ctx, srcs, build.Options{}); err != nil || len(ds) != 0 {
		t.Errorf("apart: Check = %v, %v; want clean", ds, err)
	}
	// Unless generated into one.
	if ds, err := build.Check(ctx, srcs, build.Options{Out: "gen"}); err != nil || len(ds) == 0 || ds[0].Code != "E018" {
		t.Errorf("-out gen: Check = %v, %v; want E018", ds, err)
	}
	// Errors of one file are reported alone, as generate reports them.
	srcs[0].Data = []byte(strings.Replace(door, "Closed -> Open", "Closed -> Opn", 1))
	ds, err = build.Check(ctx, srcs, build.Options{Out: "gen"})
	if err != nil || len(ds) != 1 || ds[0].Code != "E007" {
		t.Errorf("with an error: Check = %v, %v; want one E007", ds, err)
	}
}

// TestReadDirOverlay checks that ReadDir lays an editor's unsaved
// contents over the .esm files of a directory.
func TestReadDirOverlay(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "shop")
	put(t, root, map[string]string{
		"shop/a.esm":     "a on disk",
		"shop/b.esm":     "b on disk",
		"shop/notes.txt": "not an .esm file",
		"other/c.esm":    "c elsewhere",
	})
	overlay := map[string][]byte{
		filepath.Join(dir, "b.esm"):        []byte("b unsaved"),
		filepath.Join(dir, "new.esm"):      []byte("new, never saved"),
		filepath.Join(root, "other/c.esm"): []byte("c unsaved"),
	}
	got, err := build.ReadDir(dir, overlay)
	if err != nil {
		t.Fatal(err)
	}
	want := []dsl.Source{
		{Name: filepath.Join(dir, "a.esm"), Data: []byte("a on disk")},
		{Name: filepath.Join(dir, "b.esm"), Data: []byte("b unsaved")},
		{Name: filepath.Join(dir, "new.esm"), Data: []byte("new, never saved")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadDir (-want +got):\n%s", diff)
	}
	// A relative directory matches absolute overlay paths.
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	if err := os.Chdir(root); err != nil {
		t.Fatal(err)
	}
	got, err = build.ReadDir("shop", overlay)
	if err != nil || len(got) != 3 || string(got[1].Data) != "b unsaved" || got[1].Name != filepath.Join("shop", "b.esm") {
		t.Errorf("ReadDir(shop) = %v, %v", got, err)
	}
	// A directory not yet on disk holds the overlay's files.
	got, err = build.ReadDir(filepath.Join(root, "none"), map[string][]byte{filepath.Join(root, "none", "x.esm"): []byte("x")})
	if err != nil || len(got) != 1 {
		t.Errorf("ReadDir(none) = %v, %v", got, err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := build.ReadFile(filepath.Join(dir, "missing.esm")); err == nil || err.Error() != filepath.Join(dir, "missing.esm")+": no such file or directory" {
		t.Errorf("missing: %v", err)
	}
	if _, err := build.ReadFile(dir); err == nil || !strings.HasSuffix(err.Error(), ": is a directory; name the .esm files in it") {
		t.Errorf("directory: %v", err)
	}
	if _, err := build.Read(strings.NewReader(strings.Repeat("x", build.MaxInput+1)), "big.esm"); err == nil || err.Error() != "big.esm: larger than 64 MiB; that is not a hand-written .esm file" {
		t.Errorf("too large: %v", err)
	}
}
