// Command esgen checks, formats and generates Go code, diagrams and docs
// from .esm files that describe event-sourced aggregates as Mealy machines.
//
// Usage:
//
//	esgen check [--error-format text|json|github-actions] [--strict] FILE...|-
//	esgen fmt [-w] [-l] [-d] FILE...|-
//	esgen generate [-out DIR] [-pkg NAME] [-formats svg,md,dot,mermaid|none] FILE...
//	esgen diff [-out DIR] [-pkg NAME] [-formats ...] FILE...
//	esgen diagram [-format dot|svg|mermaid] [-highlight STATE] [-o FILE] FILE [AGGREGATE]
//	esgen version
//	esgen help [COMMAND]
//
// Run `esgen help` or `esgen CMD -h` for details; docs/cli.md is the
// reference.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"

	"github.com/alecthomas/kong"
	"github.com/esgen/esgen/generator/diagram"
)

// cli is the command line. Each verb lives in a file of its own.
type cli struct {
	Check    checkCmd    `cmd:"" help:"Check .esm files and report every problem with its position."`
	Fmt      fmtCmd      `cmd:"" help:"Format .esm files in the canonical layout."`
	Generate generateCmd `cmd:"" help:"Generate Go code, diagrams and docs pages from .esm files."`
	Diff     diffCmd     `cmd:"" help:"Show how generated files on disk differ from what esgen would generate."`
	Diagram  diagramCmd  `cmd:"" help:"Draw the state machine of one aggregate as DOT, SVG or Mermaid."`
	Lsp      lspCmd      `cmd:"" help:"Run the language server for editors on standard input and output."`
	Version  versionCmd  `cmd:"" help:"Print the esgen version."`
	Help     helpCmd     `cmd:"" help:"Show help for esgen or one of its commands."`
}

// env is what a verb may touch: its context and its streams. Verbs never
// write to os.Stdout or os.Stderr directly, so tests can run them
// in-process.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// stderrTTY reports that stderr is a terminal: diagnostics then show
	// the source line with a caret, in colour unless noColor.
	stderrTTY bool
	// noColor is set when the NO_COLOR environment variable is.
	noColor bool
}

// Exit codes.
const (
	exitOK    = 0 // success
	exitFail  = 1 // errors in the input, stale output, a failed write
	exitUsage = 2 // the command line is wrong
)

// exitError carries an exit code out of a verb, with a message to print
// on stderr (none when msg is empty: the verb has already said what went
// wrong).
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string {
	if e.msg != "" {
		return e.msg
	}
	return fmt.Sprintf("exit status %d", e.code)
}

// usageErrorf is a wrong command line: exit 2 with the message.
func usageErrorf(format string, args ...any) error {
	return exitError{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}

// failed is exit 1 after the verb has printed what went wrong.
func failed() error { return exitError{code: exitFail} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(os.Args[1:], osEnv(ctx))
	stop()
	os.Exit(code)
}

// osEnv is the environment of the esgen process.
func osEnv(ctx context.Context) env {
	_, noColor := os.LookupEnv("NO_COLOR")
	return env{
		ctx:       ctx,
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		stderrTTY: isTerminal(os.Stderr),
		noColor:   noColor,
	}
}

// isTerminal reports whether f is a character device, as a terminal is.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// run parses args, runs the chosen verb and returns the process exit code:
// 0 success, 1 failure (errors in input, stale output), 2 usage error.
func run(args []string, e env) (code int) {
	if e.ctx == nil {
		e.ctx = context.Background()
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(e.stderr, "esgen: internal error: %v\n%s\nPlease report this with the input that caused it.\n", r, debug.Stack())
			code = exitFail
		}
	}()
	var c cli
	exit := -1
	parser, err := kong.New(&c,
		kong.Name("esgen"),
		kong.Description("esgen turns .esm state machines of event-sourced aggregates into Go code, diagrams and docs."),
		kong.Writers(e.stdout, e.stderr),
		kong.Exit(func(c int) {
			if exit < 0 {
				exit = c
			}
		}),
		kong.ConfigureHelp(kong.HelpOptions{WrapUpperBound: 100}),
		kong.BindTo(e, (*env)(nil)),
		kong.Vars{"default_formats": diagram.DefaultFormats},
	)
	if err != nil {
		fmt.Fprintf(e.stderr, "esgen: %v\n", err)
		return exitUsage
	}
	if len(args) == 0 {
		args = []string{"--help"}
	}
	ctx, err := parser.Parse(longFlags(parser, args))
	if exit >= 0 { // --help, or a flag that ends the run
		return exit
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "esgen: %v\n", err)
		var perr *kong.ParseError
		if errors.As(err, &perr) && perr.Context != nil && perr.Context.Selected() != nil {
			fmt.Fprintf(e.stderr, "Run \"esgen %s --help\" for usage.\n", perr.Context.Selected().Name)
		} else {
			fmt.Fprintln(e.stderr, `Run "esgen --help" for usage.`)
		}
		return exitUsage
	}
	err = ctx.Run()
	if exit >= 0 { // esgen help
		return exit
	}
	if err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintf(e.stderr, "esgen: %s\n", ee.msg)
			}
			return ee.code
		}
		fmt.Fprintf(e.stderr, "esgen: %v\n", err)
		return exitFail
	}
	return exitOK
}

// longFlags lets long flags be written with one dash, as Go tools do
// (-out DIR, -format=svg): an argument "-name" or "-name=value" before a
// "--" becomes "--name..." when name is a long flag of some command.
// Single-letter flags and clusters of them (-w, -wl) are left as they are.
func longFlags(k *kong.Kong, args []string) []string {
	names := map[string]bool{}
	var visit func(n *kong.Node)
	visit = func(n *kong.Node) {
		for _, f := range n.Flags {
			names[f.Name] = true
			for _, a := range f.Aliases {
				names[a] = true
			}
		}
		for _, c := range n.Children {
			visit(c)
		}
	}
	visit(k.Model.Node)
	out := make([]string, len(args))
	for i, a := range args {
		if a == "--" {
			copy(out[i:], args[i:])
			break
		}
		out[i] = a
		if len(a) > 2 && a[0] == '-' && a[1] != '-' {
			name, _, _ := strings.Cut(a[1:], "=")
			if len(name) > 1 && names[name] {
				out[i] = "-" + a
			}
		}
	}
	return out
}
