package main

import (
	"fmt"
	"runtime/debug"
)

// modulePath is esgen's module.
const modulePath = "github.com/esgen/esgen"

type versionCmd struct{}

// Run prints the esgen module version: the version go install, go run
// pkg@version or a go.mod tool line resolved, "(devel)" for a build inside
// this repository.
func (versionCmd) Run(e env) error {
	_, err := fmt.Fprintf(e.stdout, "esgen %s\n", moduleVersion())
	return err
}

// moduleVersion finds esgen's version in the build information: the main
// module when esgen is built on its own, a dependency when it runs as a
// tool of another module (go tool esgen).
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	m := &bi.Main
	if m.Path != modulePath {
		m = nil
		for _, d := range bi.Deps {
			if d.Path == modulePath {
				m = d
				break
			}
		}
	}
	if m == nil {
		return "(devel)"
	}
	if m.Replace != nil {
		return m.Version + " => " + m.Replace.Path
	}
	if m.Version == "" {
		return "(devel)"
	}
	return m.Version
}
