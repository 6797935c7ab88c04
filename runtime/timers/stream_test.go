package timers_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/timers"
)

// TestStreamCreated: a missing stream is created with StreamConfig, which
// has what the timers need.
func TestStreamCreated(t *testing.T) {
	t.Parallel()
	tm, js := newJetStream(t)
	st, err := js.Stream(context.Background(), tm.Stream())
	if err != nil {
		t.Fatal(err)
	}
	have := st.CachedInfo().Config
	want := tm.StreamConfig()
	if have.Retention != jetstream.WorkQueuePolicy || !have.AllowMsgSchedules || !have.AllowRollup || have.DenyPurge ||
		have.Storage != jetstream.FileStorage || have.Replicas != 1 || fmt.Sprint(have.Subjects) != fmt.Sprint(want.Subjects) ||
		have.MaxAge != 0 || have.MaxMsgs != -1 || have.MaxBytes != -1 || have.MaxMsgsPerSubject != -1 {
		t.Errorf("created stream: %+v", have)
	}
	if want.Name != tm.Stream() || want.Subjects[0] != tm.FireSubject(timers.Key{Type: "a", ID: "b", Name: "c"})[:len(want.Subjects[0])-1]+">" {
		t.Errorf("StreamConfig() = %+v", want)
	}
}

// TestExistingStreamChecked: an existing stream lacking what the timers
// need fails NewJetStream with a *StreamConfigError naming every setting,
// and is left unchanged.
func TestExistingStreamChecked(t *testing.T) {
	t.Parallel()
	js := connect(t, sharedServer(t))
	ctx := context.Background()
	for i, tc := range []struct {
		cfg   jetstream.StreamConfig
		opts  []timers.Option
		diffs []timers.ConfigDiff
	}{
		{
			cfg:   jetstream.StreamConfig{Subjects: []string{"P.>"}},
			diffs: []timers.ConfigDiff{{Field: "allow_msg_schedules", Want: "true", Have: "false"}},
		},
		{
			cfg: jetstream.StreamConfig{Subjects: []string{"P.sched.>"}, AllowMsgSchedules: true, Retention: jetstream.InterestPolicy},
			diffs: []timers.ConfigDiff{
				{Field: "subjects", Want: "a subject filter taking every P.fire.*.*.*", Have: `["P.sched.>"]`},
				{Field: "retention", Want: `"workqueue" or "limits"`, Have: `"interest"`},
			},
		},
		{
			cfg: jetstream.StreamConfig{Subjects: []string{"P.*.*.*.*"}, AllowMsgSchedules: true, MaxAge: time.Hour,
				MaxMsgs: 10, MaxBytes: 1 << 20, MaxMsgsPerSubject: 1},
			opts: []timers.Option{timers.WithReplicas(3)},
			diffs: []timers.ConfigDiff{
				{Field: "subjects", Want: "a subject filter taking every P.sched.*.*.*.*", Have: `["P.*.*.*.*"]`},
				{Field: "num_replicas", Want: "at least 3", Have: "1"},
				{Field: "max_age", Want: "0 (no limit)", Have: "1h0m0s"},
				{Field: "max_msgs", Want: "-1 (no limit)", Have: "10"},
				{Field: "max_bytes", Want: "-1 (no limit)", Have: "1048576"},
				{Field: "max_msgs_per_subject", Want: "-1 (no limit)", Have: "1"},
			},
		},
	} {
		name, prefix := fmt.Sprintf("EXISTING_%d_%d", streamSeq.Add(1), i), fmt.Sprintf("existing%d", streamSeq.Add(1))
		cfg := tc.cfg
		cfg.Name = name
		for j, s := range cfg.Subjects {
			cfg.Subjects[j] = prefix + s[1:]
		}
		st, err := js.CreateStream(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		before := st.CachedInfo().Config
		_, err = timers.NewJetStream(ctx, js, append([]timers.Option{timers.WithStream(name), timers.WithSubjectPrefix(prefix)}, tc.opts...)...)
		var sce *timers.StreamConfigError
		if !errors.As(err, &sce) || !errors.Is(err, timers.ErrStreamConfig) {
			t.Fatalf("case %d: NewJetStream on a stream lacking settings: %v, want a *StreamConfigError", i, err)
		}
		for j := range tc.diffs {
			tc.diffs[j].Want = replaceP(tc.diffs[j].Want, prefix)
			tc.diffs[j].Have = replaceP(tc.diffs[j].Have, prefix)
		}
		if diff := cmp.Diff(tc.diffs, sce.Diffs); diff != "" {
			t.Errorf("case %d: diffs (-want +got):\n%s", i, diff)
		}
		if sce.Stream != name {
			t.Errorf("case %d: error names stream %q", i, sce.Stream)
		}
		info, err := st.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(before, info.Config); diff != "" {
			t.Errorf("case %d: the stream changed (-before +after):\n%s", i, diff)
		}
	}
	err := &timers.StreamConfigError{Stream: "T", Diffs: []timers.ConfigDiff{{Field: "allow_msg_schedules", Want: "true", Have: "false"}, {Field: "max_age", Want: "0 (no limit)", Have: "1h0m0s"}}}
	want := "timers: stream T lacks settings the timers need and was left unchanged: allow_msg_schedules: want true, have false; max_age: want 0 (no limit), have 1h0m0s (change them, or give the timers a stream of their own with timers.WithStream)"
	if err.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", err.Error(), want)
	}
}

// replaceP puts prefix in place of the placeholder "P" of a subject.
func replaceP(s, prefix string) string { return strings.ReplaceAll(s, "P.", prefix+".") }

// TestExistingStreamAccepted: a stream an operator made another way that
// has what the timers need (limits retention, a subject filter per kind)
// is used as it is.
func TestExistingStreamAccepted(t *testing.T) {
	t.Parallel()
	js := connect(t, sharedServer(t))
	ctx := context.Background()
	n := streamSeq.Add(1)
	name, prefix := fmt.Sprintf("OPS_%d", n), fmt.Sprintf("ops%d.timers", n)
	st, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{prefix + ".sched.>", prefix + ".fire.*.*.*"},
		AllowMsgSchedules: true, Description: "the operator's", Storage: jetstream.MemoryStorage})
	if err != nil {
		t.Fatal(err)
	}
	before := st.CachedInfo().Config
	tm, err := timers.NewJetStream(ctx, js, timers.WithStream(name), timers.WithSubjectPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	ch := runTimers(t, tm)
	k := timers.Key{Type: "Order", ID: "o-1", Name: "t"}
	if err := tm.Schedule(ctx, timers.Timer{Key: k, Due: time.Now(), Version: 1}); err != nil {
		t.Fatal(err)
	}
	if h := receive(t, ch, 5*time.Second); h.f.Key != k {
		t.Errorf("firing of %s", h.f.Key)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, info.Config); diff != "" {
		t.Errorf("the stream changed (-before +after):\n%s", diff)
	}
}

// TestConcurrentCreate: processes starting at once on a missing stream
// all succeed, one creating it.
func TestConcurrentCreate(t *testing.T) {
	t.Parallel()
	js := connect(t, sharedServer(t))
	n := streamSeq.Add(1)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			_, err := timers.NewJetStream(context.Background(), js, timers.WithStream(fmt.Sprintf("RACE_%d", n)), timers.WithSubjectPrefix(fmt.Sprintf("race%d", n)))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestInvalidOptions: names and settings the timers cannot use are
// refused before anything is sent.
func TestInvalidOptions(t *testing.T) {
	t.Parallel()
	js := connect(t, sharedServer(t))
	for _, opt := range []timers.Option{
		timers.WithStream(""), timers.WithStream("A.B"), timers.WithStream("A B"),
		timers.WithConsumer(""), timers.WithConsumer("c.d"),
		timers.WithSubjectPrefix(""), timers.WithSubjectPrefix("a..b"), timers.WithSubjectPrefix("a.*"), timers.WithSubjectPrefix("a.>"),
		timers.WithRetryBackoff(0, time.Second), timers.WithRetryBackoff(time.Second, time.Millisecond),
		timers.WithAckWait(time.Millisecond), timers.WithReplicas(0),
	} {
		if _, err := timers.NewJetStream(context.Background(), js, opt); err == nil {
			t.Errorf("NewJetStream accepted an invalid option")
		}
	}
	if _, err := timers.NewMemory(nil, timers.WithRetryBackoff(0, 0)); err == nil {
		t.Errorf("NewMemory accepted a retry backoff of 0")
	}
}
