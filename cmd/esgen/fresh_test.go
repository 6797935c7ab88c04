package main

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestFreshModule runs the scripts of testdata/fresh: esgen used as a
// user's module uses it, with the real go command, in a new module that
// replaces github.com/esgen/esgen with this checkout. The go command
// reads modules from the module cache only (first filled, from GOPROXY,
// with what this repository needs), so the scripts run offline and on a
// clean clone alike; checksums are not looked up (GOSUMDB=off), but
// recorded and checked in go.sum as usual.
func TestFreshModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds esgen as a tool of a new module")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	goEnv := func(name string) string {
		out, err := exec.Command(goBin, "env", name).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", name, err)
		}
		return strings.TrimSpace(string(out))
	}
	modCache := goEnv("GOMODCACHE")
	download := exec.Command(goBin, "mod", "download")
	download.Dir = root
	if out, err := download.CombinedOutput(); err != nil {
		t.Fatalf("go mod download: %v\n%s", err, out)
	}
	proxy := url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(modCache, "cache", "download"))}
	if !strings.HasPrefix(proxy.Path, "/") {
		proxy.Path = "/" + proxy.Path // a Windows volume
	}
	env := []string{
		"ROOT=" + root,
		"PATH=" + os.Getenv("PATH"),
		"GOCACHE=" + goEnv("GOCACHE"),
		"GOMODCACHE=" + modCache,
		"GOPATH=" + goEnv("GOPATH"),
		"GOPROXY=" + proxy.String(),
		"GOSUMDB=off",
		"GOFLAGS=-mod=readonly",
		"GOWORK=off",
		"GOTOOLCHAIN=local",
		// go-graphviz caches its compiled WASM under $TMPDIR.
		"TMPDIR=" + os.TempDir(),
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/fresh",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			for _, kv := range env {
				k, v, _ := strings.Cut(kv, "=")
				e.Setenv(k, v)
			}
			return nil
		},
	})
}
