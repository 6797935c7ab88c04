package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// exitFileEnv names the file the esgen command of the scripts records its
// exit code in, for the exitcode command to check.
const exitFileEnv = "ESGEN_TEST_EXIT_FILE"

// TestMain lets the scripts run esgen in-process: testscript re-executes
// the test binary as the esgen command, which calls run.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"esgen": func() {
			code := run(os.Args[1:], osEnv(context.Background()))
			if p := os.Getenv(exitFileEnv); p != "" {
				if err := os.WriteFile(p, []byte(strconv.Itoa(code)), 0o644); err != nil {
					os.Exit(100)
				}
			}
			os.Exit(code)
		},
	})
}

// TestScripts runs the command-line scenarios in testdata/script: exit
// codes, stdout and stderr, files written and left alone.
//
// Besides testscript's commands, scripts have:
//
//	exitcode N   the last exec esgen exited with status N
//	mtime-of F   prints F's modification time (to compare before and after)
//	bigfile F N  writes an N MiB .esm file F: a package clause, then
//	             aggregates, each a few hundred bytes
//	gotool ARGS  runs the go command (guard it with [exec:go]) in the
//	             current directory, made a module that replaces
//	             github.com/esgen/esgen with this repository, offline
func TestScripts(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	sharedTmp := os.TempDir()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Setenv(exitFileEnv, filepath.Join(env.WorkDir, ".esgen-exit"))
			// go-graphviz caches its compiled WASM under $TMPDIR: share
			// the test process's, or every esgen run compiles it anew.
			env.Setenv("TMPDIR", sharedTmp)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: exitcode N")
				}
				got := strings.TrimSpace(ts.ReadFile(ts.Getenv(exitFileEnv)))
				if got != args[0] {
					ts.Fatalf("esgen exited with status %s, want %s", got, args[0])
				}
			},
			"bigfile": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: bigfile FILE MiB")
				}
				mib, err := strconv.Atoi(args[1])
				ts.Check(err)
				var b strings.Builder
				b.WriteString("package big\n")
				for i := 0; b.Len() < mib<<20; i++ {
					fmt.Fprintf(&b, "\naggregate Door%d {\n    state Closed initial\n    state Open\n    command Push {}\n    command Pull {}\n    event Pushed {}\n    event Pulled {}\n    on Push: Closed -> Open emits Pushed\n    on Pull: Open -> Closed emits Pulled\n}\n", i)
				}
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(b.String()), 0o644))
			},
			"gotool": func(ts *testscript.TestScript, neg bool, args []string) {
				goTool(ts, neg, root, args)
			},
			"mtime-of": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: mtime-of FILE")
				}
				info, err := os.Stat(ts.MkAbs(args[0]))
				ts.Check(err)
				ts.Stdout().Write([]byte(info.ModTime().UTC().Format("2006-01-02T15:04:05.000000000Z") + "\n"))
			},
		},
	})
}

// goTool runs the go command with args in the script's current directory,
// offline, first making it a module that replaces github.com/esgen/esgen
// with the repository at root (its go.sum serves the dependencies).
func goTool(ts *testscript.TestScript, neg bool, root string, args []string) {
	goBin, err := exec.LookPath("go")
	ts.Check(err)
	dir := ts.MkAbs(".")
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); errors.Is(err, fs.ErrNotExist) {
		mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
		ts.Check(err)
		goLine := "go 1.24"
		for _, l := range strings.Split(string(mod), "\n") {
			if strings.HasPrefix(l, "go ") {
				goLine = l
			}
		}
		gomod := "module esgen.test/script\n\n" + goLine + "\n\nrequire github.com/esgen/esgen v0.0.0\n\nreplace github.com/esgen/esgen => " + root + "\n"
		ts.Check(os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
		sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
		ts.Check(err)
		ts.Check(os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))
	}
	cmd := exec.Command(goBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod -buildvcs=false", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	cmd.Stdout, cmd.Stderr = ts.Stdout(), ts.Stderr()
	err = cmd.Run()
	switch {
	case err != nil && !neg:
		ts.Fatalf("go %s: %v", strings.Join(args, " "), err)
	case err == nil && neg:
		ts.Fatalf("go %s succeeded, want a failure", strings.Join(args, " "))
	}
}
