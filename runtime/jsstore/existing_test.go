package jsstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
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
				cfg.Retention = jetstream.InterestPolicy
				cfg.MaxAge = time.Hour
				needed = []string{"allow_direct", "subjects", "duplicate_window", "retention", "max_age"}
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
// asked for, and settings that keep every event and acknowledge every
// append (limits retention, acknowledgements, no limit that removes
// messages, not sealed, not a mirror, no subject transform).
func TestStreamNeeds(t *testing.T) {
	_, js := connect(t, server(t))
	for i, tc := range []struct {
		name     string
		subjects []string
		window   time.Duration
		opts     []jsstore.Option
		mod      func(c *jetstream.StreamConfig, prefix string)
		seal     bool   // sealed once made (a stream cannot be made sealed)
		want     string // the differences of the error, "" for none
		fixed    string // the settings the error says the store cannot change
	}{
		{"exactly the store's", []string{"p.>"}, 2 * time.Minute, nil, nil, false, "", ""},
		{"type and id wildcards", []string{"x.y", "p.*.*"}, 2 * time.Minute, nil, nil, false, "", ""},
		{"a longer window", []string{"p.>"}, time.Hour, nil, nil, false, "", ""},
		{"a shorter window asked for", []string{"p.>"}, 30 * time.Second, []jsstore.Option{jsstore.WithDuplicateWindow(30 * time.Second)}, nil, false, "", ""},
		{"a shorter window", []string{"p.>"}, 30 * time.Second, nil, nil, false, "duplicate_window: want at least 2m0s, have 30s", ""},
		{"one type only", []string{"p.Order.*"}, 2 * time.Minute, nil, nil, false, `subjects: want a subject covering p.*.*, have ["p.Order.*"]`, ""},
		{"too few tokens", []string{"p.*"}, 2 * time.Minute, nil, nil, false, `subjects: want a subject covering p.*.*, have ["p.*"]`, ""},
		{"fewer replicas", []string{"p.>"}, 2 * time.Minute, []jsstore.Option{jsstore.WithReplicas(3)}, nil, false, "num_replicas: want at least 3, have 1", ""},
		{"interest retention", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) { c.Retention = jetstream.InterestPolicy },
			false, "retention: want limits, have interest", ""},
		{"work queue retention", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) { c.Retention = jetstream.WorkQueuePolicy },
			false, "retention: want limits, have workqueue", "retention"},
		{"no acknowledgements", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) { c.NoAck = true },
			false, "no_ack: want false, have true", ""},
		{"a maximum age", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) { c.MaxAge = time.Hour },
			false, "max_age: want no limit, have 1h0m0s", ""},
		{"a maximum of messages", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) { c.MaxMsgs = 1000 },
			false, "max_msgs: want no limit, or discard new, have 1000 with discard old", ""},
		{"a maximum of messages, discard new", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) {
			c.MaxMsgs, c.Discard = 1000, jetstream.DiscardNew
		}, false, "", ""},
		{"a maximum of bytes", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) { c.MaxBytes = 1 << 20 },
			false, "max_bytes: want no limit, or discard new, have 1048576 with discard old", ""},
		{"a maximum of bytes, discard new", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) {
			c.MaxBytes, c.Discard = 1<<20, jetstream.DiscardNew
		}, false, "", ""},
		{"one message per subject", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) { c.MaxMsgsPerSubject = 1 },
			false, "max_msgs_per_subject: want no limit, or discard new per subject, have 1 with discard old", ""},
		{"one message per subject, discard new", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) {
			c.MaxMsgsPerSubject, c.Discard = 1, jetstream.DiscardNew
		}, false, "max_msgs_per_subject: want no limit, or discard new per subject, have 1 with discard new, not per subject", ""},
		{"ten messages per subject, discard new per subject", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) {
			c.MaxMsgsPerSubject, c.Discard, c.DiscardNewPerSubject = 10, jetstream.DiscardNew, true
		}, false, "", ""},
		{"sealed", []string{"p.>"}, 2 * time.Minute, nil, nil, true, "sealed: want false, have true", "sealed"},
		{"a mirror", nil, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) { c.Mirror = &jetstream.StreamSource{Name: "NEEDSA"} },
			false, "subjects: want a subject covering p.*.*, have []; mirror: want none, have stream NEEDSA", "mirror"},
		{"a subject transform", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, prefix string) {
			c.SubjectTransform = &jetstream.SubjectTransformConfig{Source: prefix + ".>", Destination: "moved." + prefix + ".>"}
		}, false, `subject_transform: want none, have "p.>" to "moved.p.>"`, ""},
		{"several", []string{"p.>"}, 2 * time.Minute, nil, func(c *jetstream.StreamConfig, _ string) {
			c.Retention, c.NoAck = jetstream.WorkQueuePolicy, true
		}, true, "retention: want limits, have workqueue; no_ack: want false, have true; sealed: want false, have true",
			"retention, sealed"},
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
			cfg := jetstream.StreamConfig{Name: name, Subjects: subjects, Duplicates: tc.window, AllowDirect: true}
			if tc.mod != nil {
				tc.mod(&cfg, prefix)
			}
			if _, err := js.CreateStream(t.Context(), cfg); err != nil {
				t.Fatal(err)
			}
			if tc.seal {
				cfg.Sealed = true
				if _, err := js.UpdateStream(t.Context(), cfg); err != nil {
					t.Fatal(err)
				}
			}
			opts := append([]jsstore.Option{jsstore.WithStream(name), jsstore.WithSubjectPrefix(prefix)}, tc.opts...)
			_, err := jsstore.New(t.Context(), js, opts...)
			if tc.want == "" {
				if err != nil {
					t.Errorf("New: %v", err)
				}
				return
			}
			suffix := " (change them, or give jsstore.WithUpdateStream() to let the store change only these)"
			if tc.fixed != "" {
				suffix = " (the store cannot change " + tc.fixed + ": give it a stream of its own)"
			}
			want := "jsstore: stream " + name + " lacks settings the store needs and was left unchanged: " +
				strings.ReplaceAll(tc.want, "p.", prefix+".") + suffix
			if err == nil || err.Error() != want {
				t.Errorf("New = %v, want %q", err, want)
			}
			var sce *jsstore.StreamConfigError
			if !errors.As(err, &sce) {
				t.Fatalf("New = %v, want a *jsstore.StreamConfigError", err)
			}
			for _, d := range sce.Diffs {
				if d.Unchangeable != strings.Contains(tc.fixed, d.Field) {
					t.Errorf("%s: Unchangeable %t, want %t", d.Field, d.Unchangeable, !d.Unchangeable)
				}
			}
			if tc.fixed != "" {
				// WithUpdateStream cannot help: refused the same way.
				_, err2 := jsstore.New(t.Context(), js, append(opts, jsstore.WithUpdateStream())...)
				if err2 == nil || err2.Error() != want {
					t.Errorf("New with WithUpdateStream = %v, want %q", err2, want)
				}
			}
		})
	}
}

// TestUpdateKeeps: WithUpdateStream gives a stream the settings that
// keep every event and acknowledge every append, changes nothing else,
// and logs each change; the store then stores and reads.
func TestUpdateKeeps(t *testing.T) {
	nc, js := connect(t, server(t))
	if _, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: "KEEP", Subjects: []string{"keep.>"}, AllowDirect: true,
		Retention: jetstream.InterestPolicy, NoAck: true, MaxAge: time.Hour, MaxMsgs: 1000, MaxBytes: 1 << 20, MaxMsgsPerSubject: 1,
		SubjectTransform: &jetstream.SubjectTransformConfig{Source: "keep.>", Destination: "kept.>"},
		Description:      "theirs", MaxMsgSize: 64 << 10}); err != nil {
		t.Fatal(err)
	}
	before := streamSettings(t, nc, "KEEP")
	var logs bytes.Buffer
	s, err := jsstore.New(t.Context(), js, jsstore.WithStream("KEEP"), jsstore.WithSubjectPrefix("keep"), jsstore.WithUpdateStream(),
		jsstore.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	after := streamSettings(t, nc, "KEEP")
	want := map[string]string{"retention": `"limits"`, "no_ack": "", "max_age": "0", "max_msgs": "-1", "max_bytes": "-1",
		"max_msgs_per_subject": "-1", "subject_transform": ""}
	for field, v := range want {
		if after[field] != v {
			t.Errorf("after the update %s = %s, want %s", field, after[field], v)
		}
		delete(before, field)
		delete(after, field)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("the update changed other settings (-before +after):\n%s", diff)
	}
	for _, field := range []string{"retention", "no_ack", "max_age", "max_msgs", "max_bytes", "max_msgs_per_subject", "subject_transform"} {
		if !strings.Contains(logs.String(), field+".was=") {
			t.Errorf("the log does not name the change of %s:\n%s", field, logs.String())
		}
	}
	repo := es.NewRepository(s, storetest.TallyDefinition(0))
	for range 3 {
		mustHandle(t, repo, "k", storetest.Add{N: 1})
	}
	inst, err := es.NewRepository(s, storetest.TallyDefinition(0)).Load(t.Context(), "k")
	if err != nil || inst.Version != 3 || inst.State.Total != 3 {
		t.Errorf("Load = %+v, %v; want version 3, total 3: every event kept", inst, err)
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
