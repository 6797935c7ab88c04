//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package natsserver_test

import (
	"bufio"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/natsserver"
)

// inUseAdvice is what an in-use error adds to its message here: nothing,
// since a lock never outlives its process.
func inUseAdvice(string) string { return "" }

// TestLockDiesWithProcess: a server in another process holds the
// directory, and Start names that process; once it is killed with SIGKILL
// (no Shutdown) the directory is free again.
func TestLockDiesWithProcess(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), lockChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	running := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		running <- sc.Scan() && sc.Text() == "running"
	}()
	select {
	case ok := <-running:
		if !ok {
			t.Fatal("the child did not start its server")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the child did not start its server within 20s")
	}

	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: dir})
	if err == nil {
		_ = srv.Shutdown(t.Context())
		t.Fatal("a server started on the directory the child holds")
	}
	inUse(t, err, dir, cmd.Process.Pid)

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want killed by SIGKILL", cmd.ProcessState)
	}
	start(t, natsserver.Options{DataDir: dir})
}
