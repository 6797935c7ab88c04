package process_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/timers"
)

// childEnv holds the configuration of a child process manager (JSON of
// childConfig) when a test runs the test binary as one.
const childEnv = "ESGEN_PROCESS_CHILD"

type childConfig struct {
	worldConfig
	// BlockArming makes the child stop for good in the first Schedule of
	// a timer, after printing "arming <key>": a kill then lands between
	// the append of the step that armed the timer and the schedule.
	BlockArming bool
}

// blockingTimers are timers whose Schedule never returns.
type blockingTimers struct{ timers.Timers }

func (b blockingTimers) Schedule(ctx context.Context, t timers.Timer) error {
	fmt.Println("arming", t.Key)
	<-ctx.Done()
	return ctx.Err()
}

// runChild runs the Fulfilment process manager on the server a test
// named, until it is killed; it prints "running" once it runs.
func runChild(v string) int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	var c childConfig
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var log *slog.Logger
	if os.Getenv("ESGEN_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	nc, err := natsconn.Connect(c.URL, log)
	if err != nil {
		return fail(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return fail(err)
	}
	w, err := openWorld(ctx, js, c.worldConfig)
	if err != nil {
		return fail(err)
	}
	var tm timers.Timers = w.tm
	if c.BlockArming {
		tm = blockingTimers{w.tm}
	}
	r, err := w.runner(tm)
	if err != nil {
		return fail(err)
	}
	p, err := w.consumer(r)
	if err != nil {
		return fail(err)
	}
	fmt.Println("running")
	if err := r.Run(ctx, p); err != nil {
		return fail(err)
	}
	return fail(fmt.Errorf("not killed"))
}

// child is a process manager running in a child process.
type child struct {
	cmd   *exec.Cmd
	lines chan string
}

// startChild starts the test binary as a child process manager and
// waits until it runs.
func startChild(t *testing.T, c childConfig) *child {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(data))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := &child{cmd: cmd, lines: make(chan string, 16)}
	go func() {
		defer close(ch.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			ch.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	ch.expect(t, "running", 20*time.Second)
	return ch
}

// expect waits for the child to print a line starting with prefix.
func (c *child) expect(t *testing.T, prefix string, timeout time.Duration) string {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				t.Fatalf("the child ended before it printed %q", prefix)
			}
			if len(l) >= len(prefix) && l[:len(prefix)] == prefix {
				return l
			}
		case <-deadline:
			t.Fatalf("the child did not print %q within %s", prefix, timeout)
		}
	}
}

// kill kills the child with SIGKILL and checks that it died of it.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
	if ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want killed by SIGKILL", c.cmd.ProcessState)
	}
}
