// Command esgen checks, formats and generates Go code, diagrams and docs
// from .esm files that describe event-sourced aggregates as Mealy machines.
//
// Usage:
//
//	esgen check FILE...
//	esgen fmt [-w|-l|-d] FILE...
//	esgen generate [-out DIR] FILE...
//	esgen diff FILE...
//	esgen diagram [-format dot|svg|mermaid] FILE [AGGREGATE]
//	esgen version
//
// Run `esgen help` or `esgen CMD -h` for details.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/alecthomas/kong"
)

// cli is the command line. Each verb lives in a file of its own.
type cli struct {
	Version versionCmd `cmd:"" help:"Print the esgen version."`
}

// env is what a verb may touch: its streams. Verbs never write to
// os.Stdout or os.Stderr directly, so tests can run them in-process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// exitError carries an exit code out of a verb without printing anything
// more: the verb has already said what went wrong.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func main() {
	os.Exit(run(os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}

// run parses args, runs the chosen verb and returns the process exit code:
// 0 success, 1 failure (errors in input, stale output), 2 usage error.
func run(args []string, e env) int {
	var c cli
	code := -1
	parser, err := kong.New(&c,
		kong.Name("esgen"),
		kong.Description("esgen turns .esm state machines of event-sourced aggregates into Go code, diagrams and docs."),
		kong.UsageOnError(),
		kong.Writers(e.stdout, e.stderr),
		kong.Exit(func(c int) { code = c }),
		kong.BindTo(e, (*env)(nil)),
	)
	if err != nil {
		fmt.Fprintf(e.stderr, "esgen: %v\n", err)
		return 2
	}
	ctx, err := parser.Parse(args)
	if code >= 0 { // --help or a kong-handled exit
		return code
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "esgen: %v\n", err)
		return 2
	}
	if err := ctx.Run(); err != nil {
		if ee, ok := err.(exitError); ok {
			return ee.code
		}
		fmt.Fprintf(e.stderr, "esgen: %v\n", err)
		return 1
	}
	return 0
}
