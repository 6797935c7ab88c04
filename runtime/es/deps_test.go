package es_test

import (
	"os/exec"
	"strings"
	"testing"
)

// forbiddenDeps are modules and packages the runtime must never link: the
// DSL front end and the generator with their libraries. Generated code and
// its users import the runtime; they must not pay for the compiler.
var forbiddenDeps = []string{
	"github.com/alecthomas/participle",
	"github.com/dave/jennifer",
	"github.com/goccy/go-graphviz",
	"github.com/esgen/esgen/dsl",
	"github.com/esgen/esgen/generator",
	"github.com/esgen/esgen/cmd",
	// The OpenTelemetry SDK is the user's choice: the runtime uses the API.
	"go.opentelemetry.io/otel/sdk",
}

// TestRuntimeDependencies fails when any package under runtime/ depends,
// directly or not, on a forbidden package (tests excluded: they may use
// anything).
func TestRuntimeDependencies(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list dependencies with")
	}
	out, err := exec.Command(gobin, "list", "-e", "-deps", "-f", "{{.ImportPath}}", "github.com/esgen/esgen/runtime/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list found only %d packages: %q", len(deps), deps)
	}
	for _, dep := range deps {
		for _, bad := range forbiddenDeps {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				t.Errorf("the runtime depends on %s", dep)
			}
		}
	}
}
