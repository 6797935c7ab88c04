package natsconn_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDependencies: a program that only connects to an external NATS
// links the client, never the server (nor the generator), while the
// embedded server's package does link it, so that the list is known to
// show it.
func TestDependencies(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list dependencies with")
	}
	deps := func(pkg string) []string {
		t.Helper()
		out, err := exec.Command(gobin, "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	const server = "github.com/nats-io/nats-server/v2"
	has := func(list []string, prefix string) bool {
		return slices.ContainsFunc(list, func(p string) bool { return p == prefix || strings.HasPrefix(p, prefix+"/") })
	}
	conn := deps("github.com/esgen/esgen/runtime/natsconn")
	if !slices.Contains(conn, "github.com/nats-io/nats.go") {
		t.Fatalf("runtime/natsconn does not depend on github.com/nats-io/nats.go: %q", conn)
	}
	for _, bad := range []string{server, "github.com/esgen/esgen/runtime/natsserver", "github.com/esgen/esgen/dsl", "github.com/esgen/esgen/generator"} {
		if has(conn, bad) {
			t.Errorf("runtime/natsconn depends on %s", bad)
		}
	}
	if embedded := deps("github.com/esgen/esgen/runtime/natsserver"); !has(embedded, server) {
		t.Errorf("runtime/natsserver does not depend on %s: the list cannot show it", server)
	}
}
