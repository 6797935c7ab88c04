package main

import (
	"github.com/alecthomas/kong"
)

// helpCmd is `esgen help [COMMAND]`.
type helpCmd struct {
	Command []string `arg:"" optional:"" completion:"command" help:"The command to explain."`
}

// Help is the detailed help of the verb.
func (helpCmd) Help() string {
	return `Examples:

	esgen help
	esgen help generate
	esgen generate --help`
}

// Run prints the help of esgen, or of the named command, on stdout.
func (h helpCmd) Run(k *kong.Context) error {
	if _, err := k.Kong.Parse(append(h.Command, "--help")); err != nil {
		return usageErrorf("help: %v", err)
	}
	return nil
}
