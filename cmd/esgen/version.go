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
// this repository. --version prints the same.
func (versionCmd) Run(e env) error {
	_, err := fmt.Fprintf(e.stdout, "esgen %s\n", moduleVersion())
	return err
}

// moduleVersion is esgen's version as esgen version prints it: the
// module's version, with the directory a replace directive puts in its
// place, or "(devel)".
func moduleVersion() string {
	m := esgenModule()
	switch {
	case m == nil:
		return "(devel)"
	case m.Replace != nil:
		return m.Version + " => " + m.Replace.Path
	case m.Version == "":
		return "(devel)"
	}
	return m.Version
}

// esgenModule finds esgen's module in the build information: the main
// module when esgen is built on its own, a dependency when it runs as a
// tool of another module (go tool esgen); nil when there is none.
func esgenModule() *debug.Module {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	if bi.Main.Path == modulePath {
		return &bi.Main
	}
	for _, d := range bi.Deps {
		if d.Path == modulePath {
			return d
		}
	}
	return nil
}

// releaseVersion is the version of esgen's module a go.mod can require
// (v0.1.0, or the pseudo-version a replace directive stands in for);
// empty for a build inside this repository, which has none.
func releaseVersion() string {
	m := esgenModule()
	if m == nil || m.Version == "" || m.Version == "(devel)" {
		return ""
	}
	return m.Version
}
