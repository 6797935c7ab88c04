package jsstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/storetest"
)

// crashChildEnv names the data directory when the test binary runs as the
// writer child of TestCrashKeepsAcknowledged.
const crashChildEnv = "ESGEN_JSSTORE_CRASH_DIR"

const (
	crashWriters   = 4
	crashKillAfter = 400 // acknowledged commands (at least) before the kill
)

// TestCrashKeepsAcknowledged runs a writer in a child process (this test
// binary again), kills it with SIGKILL while it appends, restarts the
// embedded server on the same data directory and checks that every
// acknowledged event is there, once, with contiguous versions.
func TestCrashKeepsAcknowledged(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledged$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// acked[aggregate] is the highest version the child saw acknowledged.
	acked := map[string]uint64{}
	total := 0
	killed := false
	timer := time.AfterFunc(60*time.Second, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "ack" {
			continue
		}
		v, err := strconv.ParseUint(f[2], 10, 64)
		if err != nil {
			t.Fatalf("child line %q", sc.Text())
		}
		acked[f[1]] = max(acked[f[1]], v)
		total++
		// Kill once enough commands are acknowledged and every writer has
		// had some: on a loaded machine one writer may start late.
		if total >= crashKillAfter && len(acked) == crashWriters && !killed {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("the child stopped after %d acknowledged commands before it could be killed: %v", total, err)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want killed by SIGKILL", cmd.ProcessState)
	}
	t.Logf("child killed after %d acknowledged commands (at least %d)", total, crashKillAfter)

	srv, err := natsserver.Start(t.Context(), natsserver.Options{DataDir: dir})
	if err != nil {
		t.Fatalf("restart on the crashed data directory: %v", err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	_, js := connect(t, srv)
	s, err := jsstore.New(t.Context(), js, jsstore.WithExistingStream())
	if err != nil {
		t.Fatal(err)
	}
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	for w := range crashWriters {
		id := fmt.Sprintf("crash-%d", w)
		recs, events, err := repo.History(t.Context(), id)
		if err != nil {
			t.Fatalf("History(%s) after restart: %v", id, err)
		}
		t.Logf("%s: %d events acknowledged, %d stored", id, acked[id], len(recs))
		if acked[id] == 0 || uint64(len(recs)) < acked[id] {
			t.Errorf("%s: %d events stored, %d were acknowledged", id, len(recs), acked[id])
		}
		for i, rec := range recs {
			if rec.Version != uint64(i+1) {
				t.Fatalf("%s: event %d has version %d", id, i, rec.Version)
			}
			// The child adds version numbers in order: each event says
			// which version it was decided for.
			if a := events[i].(storetest.Added); a.N != int64(i+1) {
				t.Errorf("%s: event %d adds %d, want %d", id, i+1, a.N, i+1)
			}
		}
		// The aggregate takes commands again where it stopped.
		if _, err := repo.Handle(t.Context(), id, storetest.Add{N: int64(len(recs) + 1)}); err != nil {
			t.Errorf("%s: Handle after restart: %v", id, err)
		}
	}
}

// crashChild appends to crashWriters aggregates as fast as it can and
// prints one "ack <id> <version>" line per acknowledged event, until it is
// killed (or a minute passes).
func crashChild(dir string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	nc, err := srv.Connect()
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	js, _ := jetstream.New(nc)
	s, err := jsstore.New(ctx, js)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range crashWriters {
		id := fmt.Sprintf("crash-%d", w)
		wg.Go(func() {
			for v := int64(1); ctx.Err() == nil; {
				var cmd storetest.TallyCommand = storetest.Add{N: v}
				if v%5 == 0 {
					cmd = storetest.AddAll{Ns: []int64{v, v + 1, v + 2}}
				}
				res, err := repo.Handle(ctx, id, cmd)
				if err != nil {
					fmt.Fprintln(os.Stderr, "child:", err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "ack %s %d\n", id, res.Version)
				mu.Unlock()
				v = int64(res.Version) + 1
			}
		})
	}
	wg.Wait()
	os.Exit(0)
}
