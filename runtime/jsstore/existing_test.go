package jsstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/storetest"
)

// streamSettings returns every field of stream name's configuration as
// the server sends it, each as JSON.
func streamSettings(t *testing.T, nc *nats.Conn, name string) map[string]string {
	t.Helper()
	resp, err := nc.Request("$JS.API.STREAM.INFO."+name, nil, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Config map[string]json.RawMessage `json:"config"`
		Error  *jetstream.APIError        `json:"error"`
	}
	if err := json.Unmarshal(resp.Data, &info); err != nil || info.Error != nil {
		t.Fatalf("stream info of %s: %v %v", name, err, info.Error)
	}
	out := make(map[string]string, len(info.Config))
	for k, v := range info.Config {
		out[k] = string(v)
	}
	return out
}

// TestExistingConformance: New on a stream another service made changes
// none of its settings unasked, and with WithUpdateStream changes only
// those the store needs.
func TestExistingConformance(t *testing.T) {
	nc, js := connect(t, server(t))
	storetest.RunExisting(t, storetest.Existing{
		Make: func(t *testing.T, name string, lacking bool) []string {
			prefix := strings.ToLower(name)
			cfg := jetstream.StreamConfig{
				Name:               name,
				Description:        "made by billing",
				Subjects:           []string{prefix + ".>"},
				Storage:            jetstream.MemoryStorage,
				Duplicates:         5 * time.Minute,
				AllowDirect:        true,
				AllowAtomicPublish: true,
				Compression:        jetstream.S2Compression,
				MaxMsgSize:         512 << 10,
				Metadata:           map[string]string{"owner": "billing"},
			}
			var needed []string
			if lacking {
				cfg.Subjects = []string{prefix + ".Order.*", "billing." + prefix + ".>"}
				cfg.Duplicates = 30 * time.Second
				cfg.AllowDirect = false
				needed = []string{"allow_direct", "subjects", "duplicate_window"}
			}
			if _, err := js.CreateStream(t.Context(), cfg); err != nil {
				t.Fatal(err)
			}
			return needed
		},
		Settings: func(t *testing.T, name string) map[string]string { return streamSettings(t, nc, name) },
		Open: func(t *testing.T, name string, update bool) (es.Store, error) {
			opts := []jsstore.Option{jsstore.WithStream(name), jsstore.WithSubjectPrefix(strings.ToLower(name))}
			if update {
				opts = append(opts, jsstore.WithUpdateStream())
			}
			return jsstore.New(t.Context(), js, opts...)
		},
		ErrLacking: jsstore.ErrStreamConfig,
	})
}

// TestExistingStream: a stream made elsewhere without direct gets is
// refused, by name and setting, and left as it is, by New with or
// without WithExistingStream; WithUpdateStream turns direct gets on and
// changes nothing else (deny_delete stays off, unlike a stream New makes).
func TestExistingStream(t *testing.T) {
	nc, js := connect(t, server(t))
	if _, err := jsstore.New(t.Context(), js, jsstore.WithExistingStream()); !errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Errorf("New on a missing stream = %v, want jetstream.ErrStreamNotFound", err)
	}
	if _, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: "EVENTS", Subjects: []string{"events.>"}}); err != nil {
		t.Fatal(err)
	}
	before := streamSettings(t, nc, "EVENTS")
	const want = "jsstore: stream EVENTS lacks settings the store needs and was left unchanged: allow_direct: want true, have false" +
		" (change them, or give jsstore.WithUpdateStream() to let the store change only these)"
	for _, opts := range [][]jsstore.Option{nil, {jsstore.WithExistingStream()}} {
		_, err := jsstore.New(t.Context(), js, opts...)
		var sce *jsstore.StreamConfigError
		if err == nil || err.Error() != want || !errors.Is(err, jsstore.ErrStreamConfig) || !errors.As(err, &sce) {
			t.Fatalf("New with %d options on a stream without direct gets = %v, want %q", len(opts), err, want)
		}
		if diff := cmp.Diff([]jsstore.ConfigDiff{{Field: "allow_direct", Want: "true", Have: "false"}}, sce.Diffs); diff != "" {
			t.Errorf("differences (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(before, streamSettings(t, nc, "EVENTS")); diff != "" {
			t.Errorf("a refused New changed the stream (-before +after):\n%s", diff)
		}
	}
	if _, err := jsstore.New(t.Context(), js, jsstore.WithUpdateStream()); err != nil {
		t.Fatalf("New with WithUpdateStream: %v", err)
	}
	after := streamSettings(t, nc, "EVENTS")
	if after["allow_direct"] != "true" || after["deny_delete"] == "true" {
		t.Errorf("after WithUpdateStream: allow_direct %s, deny_delete %s; want true and left off", after["allow_direct"], after["deny_delete"])
	}
	delete(before, "allow_direct")
	delete(after, "allow_direct")
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("WithUpdateStream changed more than allow_direct (-before +after):\n%s", diff)
	}
	if _, err := jsstore.New(t.Context(), js, jsstore.WithExistingStream()); err != nil {
		t.Errorf("New on the updated stream: %v", err)
	}
}

// TestStreamNeeds: what New accepts of an existing stream, and how it
// names what it refuses: subjects that take every aggregate of the prefix,
// a duplicate window at least the one asked for, at least the replicas
// asked for.
func TestStreamNeeds(t *testing.T) {
	_, js := connect(t, server(t))
	for i, tc := range []struct {
		name     string
		subjects []string
		window   time.Duration
		opts     []jsstore.Option
		want     string // the differences of the error, "" for none
	}{
		{"exactly the store's", []string{"p.>"}, 2 * time.Minute, nil, ""},
		{"type and id wildcards", []string{"x.y", "p.*.*"}, 2 * time.Minute, nil, ""},
		{"a longer window", []string{"p.>"}, time.Hour, nil, ""},
		{"a shorter window asked for", []string{"p.>"}, 30 * time.Second, []jsstore.Option{jsstore.WithDuplicateWindow(30 * time.Second)}, ""},
		{"a shorter window", []string{"p.>"}, 30 * time.Second, nil, "duplicate_window: want at least 2m0s, have 30s"},
		{"one type only", []string{"p.Order.*"}, 2 * time.Minute, nil, `subjects: want a subject covering p.*.*, have ["p.Order.*"]`},
		{"too few tokens", []string{"p.*"}, 2 * time.Minute, nil, `subjects: want a subject covering p.*.*, have ["p.*"]`},
		{"fewer replicas", []string{"p.>"}, 2 * time.Minute, []jsstore.Option{jsstore.WithReplicas(3)}, "num_replicas: want at least 3, have 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "NEEDS" + string(rune('A'+i))
			prefix := "p"
			subjects := tc.subjects
			if i > 0 { // streams may not share subjects: give each its own prefix
				prefix = strings.ToLower(name)
				for j, s := range subjects {
					subjects[j] = strings.Replace(s, "p.", prefix+".", 1)
				}
			}
			if _, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: name, Subjects: subjects,
				Duplicates: tc.window, AllowDirect: true}); err != nil {
				t.Fatal(err)
			}
			opts := append([]jsstore.Option{jsstore.WithStream(name), jsstore.WithSubjectPrefix(prefix)}, tc.opts...)
			_, err := jsstore.New(t.Context(), js, opts...)
			if tc.want == "" {
				if err != nil {
					t.Errorf("New: %v", err)
				}
				return
			}
			want := "jsstore: stream " + name + " lacks settings the store needs and was left unchanged: " +
				strings.ReplaceAll(tc.want, "p.", prefix+".") +
				" (change them, or give jsstore.WithUpdateStream() to let the store change only these)"
			if err == nil || err.Error() != want {
				t.Errorf("New = %v, want %q", err, want)
			}
		})
	}
}

// TestUpdateSubjects: WithUpdateStream adds the prefix's subjects to a
// stream that takes only some of them, in place of its filters the new
// one takes in (the server refuses overlapping filters), keeping the
// others.
func TestUpdateSubjects(t *testing.T) {
	_, js := connect(t, server(t))
	if _, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: "SHOP", AllowDirect: true,
		Subjects: []string{"shop.Order.*", "audit.>", "shop.Invoice.*"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := jsstore.New(t.Context(), js, jsstore.WithStream("SHOP"), jsstore.WithSubjectPrefix("shop"), jsstore.WithUpdateStream()); err != nil {
		t.Fatal(err)
	}
	st, err := js.Stream(t.Context(), "SHOP")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"audit.>", "shop.>"}, st.CachedInfo().Config.Subjects); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
}

// TestExistingBucket: NewSnapshotStore uses a bucket another service made
// as it is (history, TTL, value size limit and description stay), and
// refuses one with fewer replicas than asked for.
func TestExistingBucket(t *testing.T) {
	nc, js := connect(t, server(t))
	if _, err := jsstore.NewSnapshotStore(t.Context(), js, jsstore.WithExistingStream()); !errors.Is(err, jetstream.ErrBucketNotFound) {
		t.Errorf("NewSnapshotStore on a missing bucket = %v, want jetstream.ErrBucketNotFound", err)
	}
	if _, err := js.CreateKeyValue(t.Context(), jetstream.KeyValueConfig{Bucket: "EVENTS_SNAPSHOTS", Description: "theirs",
		History: 5, TTL: time.Hour, MaxValueSize: 4096, Storage: jetstream.MemoryStorage}); err != nil {
		t.Fatal(err)
	}
	before := streamSettings(t, nc, "KV_EVENTS_SNAPSHOTS")
	snaps, err := jsstore.NewSnapshotStore(t.Context(), js)
	if err != nil {
		t.Fatal(err)
	}
	ref := es.Ref{Type: "Tally", ID: "t"}
	snap := es.Snapshot{Position: es.Position{Version: 3, Sequence: 9}, SchemaVersion: "s", Data: []byte("state")}
	if err := snaps.SaveSnapshot(t.Context(), ref, snap); err != nil {
		t.Fatal(err)
	}
	if got, err := snaps.LoadSnapshot(t.Context(), ref); err != nil || !cmp.Equal(got, snap) {
		t.Errorf("LoadSnapshot = %+v, %v", got, err)
	}
	if diff := cmp.Diff(before, streamSettings(t, nc, "KV_EVENTS_SNAPSHOTS")); diff != "" {
		t.Errorf("NewSnapshotStore changed the bucket (-before +after):\n%s", diff)
	}
	_, err = jsstore.NewSnapshotStore(t.Context(), js, jsstore.WithReplicas(3))
	const want = "jsstore: snapshot bucket EVENTS_SNAPSHOTS (stream KV_EVENTS_SNAPSHOTS) lacks settings the store needs and was left unchanged: " +
		"num_replicas: want at least 3, have 1 (change them, or give jsstore.WithUpdateStream() to let the store change only these)"
	if err == nil || err.Error() != want || !errors.Is(err, jsstore.ErrStreamConfig) {
		t.Errorf("NewSnapshotStore with 3 replicas on a bucket of 1 = %v, want %q", err, want)
	}
}

// TestConcurrentNew: stores made at the same time on a missing stream
// agree on it: one creates it, the others find it as made.
func TestConcurrentNew(t *testing.T) {
	_, js := connect(t, server(t))
	errs := make(chan error, 8)
	for range cap(errs) {
		go func() {
			_, err := jsstore.New(context.Background(), js)
			if err == nil {
				_, err = jsstore.NewSnapshotStore(context.Background(), js)
			}
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
