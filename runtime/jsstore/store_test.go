package jsstore_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/storetest"
)

// server starts an embedded server on a temporary data directory, stopped
// when the test ends.
func server(t testing.TB) *natsserver.Server {
	t.Helper()
	srv, err := natsserver.Start(context.Background(), natsserver.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	})
	return srv
}

// connect opens a connection and a JetStream context, closed when the
// test ends.
func connect(t testing.TB, srv *natsserver.Server) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return nc, js
}

func newStore(t testing.TB, js jetstream.JetStream, opts ...jsstore.Option) *jsstore.Store {
	t.Helper()
	s, err := jsstore.New(context.Background(), js, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newSnapshots(t testing.TB, js jetstream.JetStream, opts ...jsstore.Option) *jsstore.SnapshotStore {
	t.Helper()
	s, err := jsstore.NewSnapshotStore(context.Background(), js, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	_, js := connect(t, server(t))
	// The stream holds other messages first, so that no sequence equals a
	// version by chance.
	shared := newStore(t, js)
	for i := range 50 {
		if _, err := js.Publish(t.Context(), "events.Filler.f"+string(rune('a'+i%26)), []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	storetest.Run(t, func(*testing.T) es.Store { return shared })
}

func TestSnapshotConformance(t *testing.T) {
	_, js := connect(t, server(t))
	snaps := newSnapshots(t, js)
	storetest.RunSnapshots(t, func(*testing.T) es.SnapshotStore { return snaps })
}

func TestRepositoryConformance(t *testing.T) {
	_, js := connect(t, server(t))
	// The default duplicate window: the suite's checks rely on a command
	// being recognised while they run, however slow the machine.
	stores := storetest.Stores{Events: newStore(t, js), Snapshots: newSnapshots(t, js)}
	storetest.RunRepository(t, func(*testing.T) storetest.Stores { return stores })
}

// TestRepositoryWindow: a command past the duplicate window is handled as
// a new command, on a stream of its own with a window short enough to
// wait out.
func TestRepositoryWindow(t *testing.T) {
	_, js := connect(t, server(t))
	const window = time.Second
	s := newStore(t, js, jsstore.WithStream("WINDOW"), jsstore.WithSubjectPrefix("window"), jsstore.WithDuplicateWindow(window))
	storetest.RunWindow(t, s, storetest.Window{Duration: window})
}

// TestBoundedContexts: two stores with their own stream and prefix on one
// server do not see each other's events.
func TestBoundedContexts(t *testing.T) {
	_, js := connect(t, server(t))
	shop := newStore(t, js, jsstore.WithStream("SHOP"), jsstore.WithSubjectPrefix("shop.events"))
	billing := newStore(t, js, jsstore.WithStream("BILLING"), jsstore.WithSubjectPrefix("billing"))
	ref := es.Ref{Type: "Order", ID: "o-1"}
	req := &es.AppendRequest{Ref: ref, CommandID: "c1", Events: []es.RawEvent{{Type: "Placed", SchemaVersion: 1, Data: []byte(`{}`)}}}
	if _, err := shop.Append(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	for rec, err := range billing.Read(t.Context(), ref, es.Position{}) {
		t.Fatalf("billing read %+v, %v: want nothing", rec, err)
	}
	stream, err := js.Stream(t.Context(), "SHOP")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := stream.GetLastMsgForSubject(t.Context(), "shop.events.Order.o-1")
	if err != nil {
		t.Fatalf("the event is not on shop.events.Order.o-1: %v", err)
	}
	if shop.Subject(ref) != "shop.events.Order.o-1" || shop.TypeSubject("Order") != "shop.events.Order.*" || shop.Stream() != "SHOP" {
		t.Errorf("naming: %q %q %q", shop.Subject(ref), shop.TypeSubject("Order"), shop.Stream())
	}
	recs, err := jsstore.Decode(msg.Subject, msg.Sequence, msg.Data)
	if err != nil || len(recs) != 1 || recs[0].EventID != "c1-1" || recs[0].Sequence != msg.Sequence {
		t.Errorf("Decode of the stored message = %+v, %v", recs, err)
	}
}

// TestBadOptions: names that JetStream or the subject space cannot take
// are refused before anything is created.
func TestBadOptions(t *testing.T) {
	_, js := connect(t, server(t))
	for _, tc := range []struct {
		name string
		opt  jsstore.Option
		want string
	}{
		{"stream with dot", jsstore.WithStream("A.B"), `jsstore: stream name "A.B" has '.' at byte 1: only letters, digits, '-' and '_' are allowed`},
		{"empty stream", jsstore.WithStream(""), "jsstore: empty stream name"},
		{"wildcard prefix", jsstore.WithSubjectPrefix("events.*"), `jsstore: subject prefix "events.*": es: invalid aggregate id: aggregate id "*" has '*' at byte 0`},
		{"empty prefix token", jsstore.WithSubjectPrefix("a..b"), `jsstore: subject prefix "a..b": es: invalid aggregate id: empty aggregate id`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := jsstore.New(t.Context(), js, tc.opt)
			if err == nil || err.Error() != tc.want {
				t.Errorf("New = %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := jsstore.NewSnapshotStore(t.Context(), js, jsstore.WithSnapshotBucket("a b")); err == nil {
		t.Error("NewSnapshotStore with bucket \"a b\" succeeded")
	}
}

// TestLongHistory: an aggregate longer than one batch of a read is read
// whole and in order, from the start and from any position.
func TestLongHistory(t *testing.T) {
	_, js := connect(t, server(t))
	s := newStore(t, js)
	ref := es.Ref{Type: "Tally", ID: "long"}
	other := es.Ref{Type: "Tally", ID: "other"}
	const n = 2500
	var at, otherAt es.Position
	positions := []es.Position{{}}
	for i := range n {
		res, err := s.Append(t.Context(), &es.AppendRequest{Ref: ref, ExpectedVersion: at.Version, ExpectedSequence: at.Sequence,
			CommandID: "c" + strconv.Itoa(i), Events: []es.RawEvent{{Type: "Added", SchemaVersion: 2, Data: []byte(`{"n":1}`)}}})
		if err != nil {
			t.Fatal(err)
		}
		at = es.Position{Version: res.Version, Sequence: res.Sequence}
		positions = append(positions, at)
		if i%3 == 0 { // interleave another aggregate
			o, err := s.Append(t.Context(), &es.AppendRequest{Ref: other, ExpectedVersion: otherAt.Version, ExpectedSequence: otherAt.Sequence,
				CommandID: "o" + strconv.Itoa(i), Events: []es.RawEvent{{Type: "Added", SchemaVersion: 2, Data: []byte(`{"n":2}`)}}})
			if err != nil {
				t.Fatal(err)
			}
			otherAt = es.Position{Version: o.Version, Sequence: o.Sequence}
		}
	}
	for _, from := range []int{0, 999, 1000, 1001, 1700, n - 1, n} {
		want := uint64(from) + 1
		for rec, err := range s.Read(t.Context(), ref, positions[from]) {
			if err != nil {
				t.Fatalf("from version %d: %v", from, err)
			}
			if rec.Version != want || rec.Sequence != positions[want].Sequence || rec.EventID != "c"+strconv.Itoa(int(want)-1)+"-1" {
				t.Fatalf("from version %d: got version %d sequence %d id %s, want version %d sequence %d",
					from, rec.Version, rec.Sequence, rec.EventID, want, positions[want].Sequence)
			}
			want++
		}
		if want != n+1 {
			t.Errorf("from version %d: read up to version %d, want %d", from, want-1, n)
		}
	}
}

// TestStreamSettings: the options reach the stream and the bucket.
func TestStreamSettings(t *testing.T) {
	_, js := connect(t, server(t))
	s := newStore(t, js, jsstore.WithStream("MEM"), jsstore.WithSubjectPrefix("mem"), jsstore.WithMemoryStorage(),
		jsstore.WithDuplicateWindow(30*time.Second))
	snaps := newSnapshots(t, js, jsstore.WithStream("MEM"), jsstore.WithMemoryStorage())
	st, err := js.Stream(t.Context(), "MEM")
	if err != nil {
		t.Fatal(err)
	}
	cfg := st.CachedInfo().Config
	if cfg.Storage != jetstream.MemoryStorage || cfg.Duplicates != 30*time.Second || cfg.Subjects[0] != "mem.>" || s.SubjectPrefix() != "mem" {
		t.Errorf("stream config %+v", cfg)
	}
	kv, err := js.KeyValue(t.Context(), snaps.Bucket())
	if err != nil {
		t.Fatalf("bucket %q: %v", snaps.Bucket(), err)
	}
	status, err := kv.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if snaps.Bucket() != "MEM_SNAPSHOTS" || status.History() != 1 || status.(*jetstream.KeyValueBucketStatus).StreamInfo().Config.Storage != jetstream.MemoryStorage {
		t.Errorf("bucket %s: history %d, config %+v", snaps.Bucket(), status.History(), status.(*jetstream.KeyValueBucketStatus).StreamInfo().Config)
	}
}

func TestScanConformance(t *testing.T) {
	_, js := connect(t, server(t))
	// A stream of its own: the shared one holds messages that are not
	// envelopes, which a scan reports.
	shared := newStore(t, js, jsstore.WithStream("SCAN"), jsstore.WithSubjectPrefix("scan"))
	storetest.RunScan(t, func(*testing.T) es.Store { return shared })
}
