package main

import (
	"errors"
	"io"
	"log/slog"

	"github.com/esgen/esgen/internal/lsp"
)

// lspCmd is `esgen lsp`.
type lspCmd struct{}

// Help is the detailed help of the verb.
func (lspCmd) Help() string {
	return `Lsp runs the esgen language server on standard input and output, for an editor
to start: diagnostics as you type, hover, go to definition, references, rename,
completion in on clauses, formatting and quick fixes for .esm files. It takes
no flags; its own messages go to standard error. docs/lsp.md shows how to set
up Neovim, Helix and VS Code.

Example:

	esgen lsp`
}

// Run serves one client on stdin and stdout until it exits: status 0
// after a shutdown request, 1 when the client went away without one.
func (lspCmd) Run(e env) error {
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	err := lsp.Serve(e.ctx, stdio{e.stdin, e.stdout}, lsp.Options{Log: log, Version: moduleVersion()})
	if errors.Is(err, lsp.ErrNoShutdown) {
		return exitError{code: exitFail, msg: err.Error()}
	}
	return err
}

// stdio is standard input and output as one stream. Closing it closes
// the input, which ends a read under way; the output stays open for the
// command's last words.
type stdio struct {
	io.Reader
	io.Writer
}

// Close closes the input when it can be closed.
func (s stdio) Close() error {
	if c, ok := s.Reader.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
