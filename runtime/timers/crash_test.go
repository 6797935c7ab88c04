package timers_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/timers"
)

// crashEnv names the server URL and the due time (Unix nanoseconds) when
// the test binary runs as the child of TestSIGKILL.
const crashEnv = "ESGEN_TIMERS_CRASH"

var (
	crashArmed    = timers.Key{Type: "Order", ID: "o-armed", Name: "deadline"}
	crashHandling = timers.Key{Type: "Order", ID: "o-handling", Name: "deadline"}
)

// TestSIGKILL: a process schedules a timer and is killed with SIGKILL
// while another of its timers is in its handler. The embedded server
// (this process, on a loopback listener) keeps both: a runner started
// afterwards gets the one being handled at once, the other at its due
// time, within a second, each exactly once.
func TestSIGKILL(t *testing.T) {
	skipTimedUnderRace(t)
	if v := os.Getenv(crashEnv); v != "" {
		crashChild(v)
		return
	}
	t.Parallel()
	srv := startServer(t, "", true)
	due := time.Now().Add(1500 * time.Millisecond)
	cmd := exec.Command(os.Args[0], "-test.run=^TestSIGKILL$", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d", crashEnv, srv.ClientURL(), due.UnixNano()))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	watchdog := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	defer watchdog.Stop()
	scheduled, handling := false, false
	sc := bufio.NewScanner(out)
	for !(scheduled && handling) && sc.Scan() {
		switch sc.Text() {
		case "scheduled":
			scheduled = true
		case "handling":
			handling = true
		}
	}
	if !scheduled || !handling {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the child stopped before it scheduled (%v) and handled (%v)", scheduled, handling)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want killed by SIGKILL", cmd.ProcessState)
	}
	if time.Now().After(due.Add(-200 * time.Millisecond)) {
		t.Fatalf("the child was killed only %s before the due time: too late to tell", time.Until(due))
	}

	tm, err := timers.NewJetStream(context.Background(), connect(t, srv), timers.WithLogger(testLogger(t)))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok, err := tm.Armed(context.Background(), crashArmed); err != nil || !ok || !got.Due.Equal(due) || got.Version != 42 {
		t.Fatalf("Armed(%s) after the kill: %+v %v %v, want version 42 due %s", crashArmed, got, ok, err, due)
	}
	started := time.Now()
	ch := runTimers(t, tm)
	h := receive(t, ch, 5*time.Second)
	if h.f.Key != crashHandling || h.f.Version != 7 {
		t.Fatalf("first firing: %s version %d, want %s (the one the killed process was handling)", h.f.Key, h.f.Version, crashHandling)
	}
	if d := h.at.Sub(started); d > time.Second {
		t.Errorf("the firing the killed process was handling came %s after the runner started, want within 1 s", d)
	}
	h = receive(t, ch, 5*time.Second)
	if h.f.Key != crashArmed || h.f.Version != 42 || string(h.f.Payload) != "cancel" || !h.f.Due.Equal(due) {
		t.Fatalf("second firing: %+v, want %s version 42", h.f, crashArmed)
	}
	if late := h.at.Sub(due); late < 0 || late >= time.Second {
		t.Errorf("handled %s after its due time, want within [0, 1 s)", late)
	}
	quiet(t, ch, time.Second)
}

// crashChild schedules two timers, one due at once whose handler never
// returns, prints "scheduled" and "handling", and waits to be killed.
func crashChild(v string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	url, dueText, _ := strings.Cut(v, " ")
	ns, err := strconv.ParseInt(dueText, 10, 64)
	if err != nil {
		fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nc, err := natsconn.Connect(url, nil)
	if err != nil {
		fail(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		fail(err)
	}
	tm, err := timers.NewJetStream(ctx, js)
	if err != nil {
		fail(err)
	}
	if err := tm.Schedule(ctx, timers.Timer{Key: crashHandling, Due: time.Now(), Version: 7}); err != nil {
		fail(err)
	}
	if err := tm.Schedule(ctx, timers.Timer{Key: crashArmed, Due: time.Unix(0, ns), Version: 42, Payload: []byte("cancel")}); err != nil {
		fail(err)
	}
	fmt.Println("scheduled")
	_ = tm.Run(ctx, func(ctx context.Context, f timers.Firing) error {
		if f.Key == crashHandling {
			fmt.Println("handling")
			<-ctx.Done() // killed before it returns
		}
		return ctx.Err()
	})
	fail(fmt.Errorf("not killed"))
}
