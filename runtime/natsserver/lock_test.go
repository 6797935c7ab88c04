package natsserver_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/natsserver"
)

// lockChildEnv names the data directory on which the test binary, run as a
// child process, holds a server until it is killed.
const lockChildEnv = "ESGEN_NATSSERVER_LOCK_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(lockChildEnv); dir != "" {
		os.Exit(lockChild(dir))
	}
	os.Exit(m.Run())
}

// lockChild runs a server on dir, prints "running" and waits to be killed.
func lockChild(dir string) int {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := natsserver.Start(ctx, natsserver.Options{DataDir: dir}); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	fmt.Println("running")
	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "child: not killed")
	return 2
}

// inUse checks that err is the refusal of a directory that pid holds.
func inUse(t *testing.T, err error, dir string, pid int) {
	t.Helper()
	var e *natsserver.DataDirInUseError
	if !errors.Is(err, natsserver.ErrDataDirInUse) || !errors.As(err, &e) {
		t.Fatalf("Start = %v, want a *DataDirInUseError", err)
	}
	want := fmt.Sprintf("natsserver: data directory %s is in use by another server (pid %d)", dir, pid) + inUseAdvice(dir)
	if e.Dir != dir || e.PID != pid || err.Error() != want {
		t.Errorf("Start = %q (Dir %q, PID %d), want %q", err, e.Dir, e.PID, want)
	}
}

// TestSecondStartRefused: a second server on a directory a server of the
// same process holds fails at once; after Shutdown the directory is free.
func TestSecondStartRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // Start creates it
	first := start(t, natsserver.Options{DataDir: dir})
	began := time.Now()
	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: dir, Listen: "127.0.0.1:0"})
	if err == nil {
		_ = srv.Shutdown(context.Background())
		t.Fatal("a second server started on the directory")
	}
	inUse(t, err, dir, os.Getpid())
	if d := time.Since(began); d > time.Second {
		t.Errorf("Start took %v to fail", d)
	}
	// The refused Start left the holder's lock alone.
	if _, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: dir}); !errors.Is(err, natsserver.ErrDataDirInUse) {
		t.Fatalf("third Start = %v, want ErrDataDirInUse", err)
	}
	if err := first.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	start(t, natsserver.Options{DataDir: dir})
}

// TestFailedStartReleasesLock: a Start that fails after taking the lock
// gives it back.
func TestFailedStartReleasesLock(t *testing.T) {
	dir := t.TempDir()
	_, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: dir, Cluster: &natsserver.ClusterOptions{Name: "c", Listen: "127.0.0.1:0"}})
	if err == nil || errors.Is(err, natsserver.ErrDataDirInUse) {
		t.Fatalf("Start of a cluster node without routes = %v, want its own error", err)
	}
	start(t, natsserver.Options{DataDir: dir})
}
