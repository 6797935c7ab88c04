package main

import (
	"fmt"
	"runtime/debug"
)

type versionCmd struct{}

// Run prints the module version esgen was built from ("(devel)" for a
// build inside this repository).
func (versionCmd) Run(e env) error {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	_, err := fmt.Fprintf(e.stdout, "esgen %s\n", v)
	return err
}
