package main

import (
	"context"
	"fmt"
	"os"
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
func TestScripts(t *testing.T) {
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
