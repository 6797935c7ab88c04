package jsstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/storetest"
)

// archiveChildEnv names the data directory when the test binary runs as
// the archiving child of TestArchiveCrash.
const archiveChildEnv = "ESGEN_JSSTORE_ARCHIVE_DIR"

const (
	archiveOrders    = 1000
	archiveKillAfter = 200 // orders archived (at least) before the kill
)

// openArchive starts the embedded server on dir and returns a store with
// an archive on it.
func openArchive(ctx context.Context, dir string) (*natsserver.Server, jetstream.JetStream, *jsstore.Store, error) {
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: dir})
	if err != nil {
		return nil, nil, nil, err
	}
	nc, err := srv.Connect()
	if err != nil {
		return srv, nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return srv, nil, nil, err
	}
	a, err := jsstore.NewObjectArchive(ctx, js, "", 1)
	if err != nil {
		return srv, nil, nil, err
	}
	s, err := jsstore.New(ctx, js, jsstore.WithArchive(a))
	return srv, js, s, err
}

// TestArchiveCrash archives closed orders in a child process (this test
// binary again), kills it with SIGKILL mid-way, restarts the embedded
// server on the same data directory and checks that every order loads
// with its history, once; a second run then archives every order, each
// with one tombstone, and the stream holds nothing else.
func TestArchiveCrash(t *testing.T) {
	if dir := os.Getenv(archiveChildEnv); dir != "" {
		archiveChild(dir)
		return
	}
	dir := t.TempDir()
	srv, js, s, err := openArchive(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	r := es.NewRepository(s, archivedTally())
	want := make([][]es.Record, archiveOrders)
	parallel(t, archiveOrders, func(i int) error {
		id := fmt.Sprintf("o%d", i)
		for _, cmd := range []storetest.TallyCommand{storetest.AddAll{Ns: []int64{1, 2, 3}}, storetest.Add{N: int64(i)}, storetest.Close{}} {
			if _, err := r.Handle(t.Context(), id, cmd); err != nil {
				return err
			}
		}
		recs, _, err := r.History(t.Context(), id)
		want[i] = recs
		return err
	})
	_ = js
	if err := srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestArchiveCrash$", "-test.count=1")
	cmd.Env = append(os.Environ(), archiveChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(60*time.Second, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	done, killed := 0, false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "archived ") {
			continue
		}
		if done++; done >= archiveKillAfter && !killed {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("the child stopped after archiving %d orders before it could be killed: %v", done, err)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want killed by SIGKILL", cmd.ProcessState)
	}
	t.Logf("child killed after archiving %d orders (at least %d)", done, archiveKillAfter)

	srv, js, s, err = openArchive(t.Context(), dir)
	if err != nil {
		t.Fatalf("restart on the data directory: %v", err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	r = es.NewRepository(s, archivedTally())
	check := func(when string) {
		t.Helper()
		parallel(t, archiveOrders, func(i int) error {
			recs, _, err := r.History(t.Context(), fmt.Sprintf("o%d", i))
			if err != nil {
				return fmt.Errorf("%s: o%d: %w", when, i, err)
			}
			if !reflect.DeepEqual(recs, want[i]) {
				return fmt.Errorf("%s: o%d has history %+v, want %+v", when, i, recs, want[i])
			}
			return nil
		})
	}
	check("after the kill")
	later := time.Now().Add(2 * time.Hour)
	parallel(t, archiveOrders, func(i int) error {
		if ok, err := r.Archive(t.Context(), fmt.Sprintf("o%d", i), later); !ok || err != nil {
			return fmt.Errorf("rerun: Archive(o%d) = %v, %v", i, ok, err)
		}
		return nil
	})
	check("after the rerun")
	stream, err := js.Stream(t.Context(), s.Stream())
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(t.Context(), jetstream.WithSubjectFilter(s.SubjectPrefix()+".>"))
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != archiveOrders || len(info.State.Subjects) != archiveOrders {
		t.Errorf("the stream holds %d messages on %d subjects, want %d tombstones", info.State.Msgs, len(info.State.Subjects), archiveOrders)
	}
	for subj, n := range info.State.Subjects {
		if !strings.HasPrefix(subj, s.SubjectPrefix()+".archived.") || n != 1 {
			t.Errorf("subject %s holds %d messages, want one tombstone", subj, n)
		}
	}
}

// archiveChild archives the orders one after the other and prints
// "archived <id>" for each, until it is killed.
func archiveChild(dir string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, _, s, err := openArchive(ctx, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	r := es.NewRepository(s, archivedTally())
	later := time.Now().Add(2 * time.Hour)
	for i := range archiveOrders {
		id := fmt.Sprintf("o%d", i)
		if _, err := r.Archive(ctx, id, later); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		fmt.Printf("archived %s\n", id)
	}
	os.Exit(0)
}
