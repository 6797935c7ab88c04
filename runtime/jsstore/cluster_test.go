package jsstore_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/storetest"
)

// startCluster starts n embedded servers forming one JetStream cluster on
// loopback; they are shut down when the test ends unless stopped before.
// Every node needs every route up front, so the ports are reserved and
// released before the servers bind them: when another process takes one
// in between, the cluster is started again on new ports.
func startCluster(t *testing.T, n int) []*natsserver.Server {
	t.Helper()
	for attempt := 1; ; attempt++ {
		nodes, err := tryCluster(t, n)
		if err == nil {
			return nodes
		}
		if attempt == 5 || !strings.Contains(err.Error(), "address already in use") {
			t.Fatal(err)
		}
		t.Logf("cluster attempt %d: %v; again on other ports", attempt, err)
	}
}

// tryCluster starts n servers on ports reserved just before; on an error it
// stops those it started.
func tryCluster(t *testing.T, n int) ([]*natsserver.Server, error) {
	listens := make([]string, n)
	routes := make([]string, n)
	for i := range listens {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		listens[i] = l.Addr().String()
		routes[i] = "nats://" + listens[i]
		_ = l.Close()
	}
	nodes := make([]*natsserver.Server, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			nodes[i], errs[i] = natsserver.Start(t.Context(), natsserver.Options{
				DataDir: t.TempDir(),
				Name:    fmt.Sprintf("node-%d", i+1),
				Cluster: &natsserver.ClusterOptions{Name: "esgen-test", Listen: listens[i], Routes: routes},
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, srv := range nodes {
			if srv != nil {
				_ = srv.Shutdown(context.Background())
			}
		}
		return nil, err
	}
	for _, srv := range nodes {
		t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	}
	return nodes, nil
}

// TestClusterNodeLoss: on a 3-node cluster with an R3 stream, the stream
// leader stops while writers append; writers retry failed commands with
// the same command id, and afterwards every acknowledged command is stored
// exactly once with contiguous versions.
func TestClusterNodeLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("a leader election takes seconds")
	}
	nodes := startCluster(t, 3)
	var urls []string
	for _, n := range nodes {
		urls = append(urls, n.ClientURL())
	}
	nc, err := natsconn.Connect(strings.Join(urls, ","), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	var s *jsstore.Store
	for s == nil {
		// The cluster needs a meta leader before it creates streams.
		actx, acancel := context.WithTimeout(ctx, 2*time.Second)
		s, err = jsstore.New(actx, js, jsstore.WithReplicas(3))
		acancel()
		if err != nil {
			if ctx.Err() != nil {
				t.Fatalf("no R3 stream: %v", err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	const writers = 3
	var acks atomic.Int64
	stop := make(chan struct{})
	ackedBy := make([][]string, writers) // command ids acknowledged, per writer
	var wg sync.WaitGroup
	for w := range writers {
		id := fmt.Sprintf("agg-%d", w)
		repo := es.NewRepository(s, storetest.TallyDefinition(0))
		wg.Go(func() {
			for n := int64(1); ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				cmdID := fmt.Sprintf("%s-cmd-%d", id, n)
				for {
					cctx, ccancel := context.WithTimeout(ctx, 2*time.Second)
					_, err := repo.Handle(cctx, id, storetest.Add{N: n}, es.WithCommandID(cmdID))
					ccancel()
					if err == nil {
						break
					}
					if ctx.Err() != nil {
						return
					}
					// Unknown outcome: retry the same command.
					repo.Forget(id)
					time.Sleep(50 * time.Millisecond)
				}
				ackedBy[w] = append(ackedBy[w], cmdID)
				acks.Add(1)
			}
		})
	}
	waitAcks := func(n int64) {
		t.Helper()
		for acks.Load() < n {
			if ctx.Err() != nil {
				close(stop)
				wg.Wait()
				t.Fatalf("only %d commands acknowledged, waited for %d", acks.Load(), n)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitAcks(150)
	st, err := js.Stream(ctx, s.Stream())
	if err != nil {
		t.Fatal(err)
	}
	leader := st.CachedInfo().Cluster.Leader
	stopped := -1
	for i, n := range nodes {
		if n.NATS().Name() == leader {
			stopped = i
		}
	}
	if stopped < 0 {
		t.Fatalf("stream leader %q is none of the nodes", leader)
	}
	before := acks.Load()
	start := time.Now()
	if err := nodes[stopped].Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	waitAcks(before + 150)
	t.Logf("stopped the stream leader %s after %d acknowledged commands; 150 more took %v", leader, before, time.Since(start).Round(time.Millisecond))
	close(stop)
	wg.Wait()

	reader := es.NewRepository(s, storetest.TallyDefinition(0))
	for w := range writers {
		id := fmt.Sprintf("agg-%d", w)
		var recs []es.Record
		var events []storetest.TallyEvent
		// Replicas may lag a moment behind the new leader.
		for {
			recs, events, err = reader.History(ctx, id)
			if err == nil && len(recs) >= len(ackedBy[w]) || ctx.Err() != nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("History(%s): %v", id, err)
		}
		stored := map[string]int{}
		for i, rec := range recs {
			if rec.Version != uint64(i+1) {
				t.Fatalf("%s: event %d has version %d", id, i, rec.Version)
			}
			if a := events[i].(storetest.Added); a.N != int64(i+1) {
				t.Errorf("%s: event %d adds %d: a command was lost or stored twice", id, i+1, a.N)
			}
			stored[strings.TrimSuffix(rec.EventID, "-1")]++
		}
		for _, cmd := range ackedBy[w] {
			if stored[cmd] != 1 {
				t.Errorf("%s: acknowledged command %s stored %d times", id, cmd, stored[cmd])
			}
		}
	}
}

// TestClusterReplicasUpdate: a stream and a snapshot bucket another
// service made with one replica are refused by a store asking for three,
// and given three, and no other change, with WithUpdateStream.
func TestClusterReplicasUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("a cluster takes a second to elect its meta leader")
	}
	nodes := startCluster(t, 3)
	nc, err := natsconn.Connect(nodes[0].ClientURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	for {
		// The cluster needs a meta leader before it creates streams.
		actx, acancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := js.CreateStream(actx, jetstream.StreamConfig{Name: "EVENTS", Subjects: []string{"events.>"}, AllowDirect: true, Replicas: 1})
		acancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("no stream: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "EVENTS_SNAPSHOTS", History: 3}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what, stream string
		open         func(...jsstore.Option) error
		want         string
	}{
		{"stream", "EVENTS", func(opts ...jsstore.Option) error { _, err := jsstore.New(ctx, js, opts...); return err },
			"jsstore: stream EVENTS lacks settings the store needs and was left unchanged: num_replicas: want at least 3, have 1"},
		{"bucket", "KV_EVENTS_SNAPSHOTS", func(opts ...jsstore.Option) error { _, err := jsstore.NewSnapshotStore(ctx, js, opts...); return err },
			"jsstore: snapshot bucket EVENTS_SNAPSHOTS (stream KV_EVENTS_SNAPSHOTS) lacks settings the store needs and was left unchanged: num_replicas: want at least 3, have 1"},
	} {
		before := streamSettings(t, nc, tc.stream)
		err := tc.open(jsstore.WithReplicas(3))
		if !errors.Is(err, jsstore.ErrStreamConfig) || !strings.HasPrefix(err.Error(), tc.want+" (") {
			t.Errorf("%s of one replica, three asked for: %v, want %q", tc.what, err, tc.want)
		}
		if err := tc.open(jsstore.WithReplicas(3), jsstore.WithUpdateStream()); err != nil {
			t.Fatalf("%s with WithUpdateStream: %v", tc.what, err)
		}
		after := streamSettings(t, nc, tc.stream)
		if after["num_replicas"] != "3" {
			t.Errorf("%s: num_replicas %s after the update, want 3", tc.what, after["num_replicas"])
		}
		delete(before, "num_replicas")
		delete(after, "num_replicas")
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("%s: the update changed more than num_replicas (-before +after):\n%s", tc.what, diff)
		}
		if err := tc.open(jsstore.WithReplicas(3)); err != nil {
			t.Errorf("%s after the update: %v", tc.what, err)
		}
	}
}
