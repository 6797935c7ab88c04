package timers_test

// Tests that pin the behaviour of nats-server's message schedules (2.15.2)
// that the JetStream timers rely on. Each is named in the package
// documentation next to the behaviour it pins. They use raw JetStream
// calls, not the timers.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// rawStream creates a stream taking "<prefix>.>" with message schedules
// on the shared server and a durable consumer on "<prefix>.fire.>".
func rawStream(t *testing.T, retention jetstream.RetentionPolicy) (jetstream.JetStream, jetstream.Stream, jetstream.Consumer, string) {
	t.Helper()
	js := connect(t, sharedServer(t))
	n := streamSeq.Add(1)
	prefix := fmt.Sprintf("raw%d", n)
	st, err := js.CreateStream(context.Background(), jetstream.StreamConfig{
		Name: fmt.Sprintf("RAW_%d", n), Subjects: []string{prefix + ".>"},
		AllowMsgSchedules: true, Retention: retention,
	})
	if err != nil {
		t.Fatal(err)
	}
	cons, err := st.CreateConsumer(context.Background(), jetstream.ConsumerConfig{
		Durable: "c", FilterSubject: prefix + ".fire.>", AckPolicy: jetstream.AckExplicitPolicy, MaxDeliver: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	return js, st, cons, prefix
}

// schedMsg is a schedule message on subject, firing on target at due.
func schedMsg(subject, target string, due time.Time) *nats.Msg {
	m := nats.NewMsg(subject)
	m.Header.Set(jetstream.ScheduleHeader, "@at "+due.UTC().Format(time.RFC3339Nano))
	m.Header.Set(jetstream.ScheduleTargetHeader, target)
	return m
}

func publish(t *testing.T, js jetstream.JetStream, m *nats.Msg, opts ...jetstream.PublishOpt) uint64 {
	t.Helper()
	ack, err := js.PublishMsg(context.Background(), m, opts...)
	if err != nil {
		t.Fatalf("publish on %s: %v", m.Subject, err)
	}
	return ack.Sequence
}

// fetch returns the firings that arrive within wait, acknowledged.
func fetch(t *testing.T, cons jetstream.Consumer, n int, wait time.Duration) []jetstream.Msg {
	t.Helper()
	var got []jetstream.Msg
	deadline := time.Now().Add(wait)
	for len(got) < n && time.Now().Before(deadline) {
		b, err := cons.Fetch(n-len(got), jetstream.FetchMaxWait(time.Until(deadline)))
		if err != nil {
			t.Fatal(err)
		}
		for m := range b.Messages() {
			if err := m.DoubleAck(context.Background()); err != nil {
				t.Fatal(err)
			}
			got = append(got, m)
		}
	}
	return got
}

func subjects(t *testing.T, st jetstream.Stream) map[string]uint64 {
	t.Helper()
	info, err := st.Info(context.Background(), jetstream.WithSubjectFilter(">"))
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Subjects == nil {
		return map[string]uint64{}
	}
	return info.State.Subjects
}

// TestServerFiring pins what a firing is: a copy of the schedule message's
// payload and headers on the target subject, less the Nats-Schedule* and
// Nats-Msg-Id headers, plus Nats-Scheduler (the schedule's subject) and
// Nats-Schedule-Next: purge; stored at the due time given with fractional
// seconds, not the second before; the schedule message is purged when the
// firing is stored. On a work-queue stream a schedule message, which no
// consumer reads, stays until then, and the firing goes on its
// acknowledgement.
func TestServerFiring(t *testing.T) {
	skipTimedUnderRace(t)
	t.Parallel()
	js, st, cons, p := rawStream(t, jetstream.WorkQueuePolicy)
	due := time.Now().Add(700 * time.Millisecond).Truncate(time.Second).Add(1900 * time.Millisecond) // .9 s past a second
	m := schedMsg(p+".sched.a", p+".fire.a", due)
	m.Header.Set("Esgen-Timer-Version", "7")
	m.Header.Set(jetstream.MsgIDHeader, "id-1")
	m.Data = []byte("payload\x00\xff")
	publish(t, js, m)
	if got := subjects(t, st); got[p+".sched.a"] != 1 || len(got) != 1 {
		t.Fatalf("stream before the due time: %v, want the schedule message only", got)
	}
	if ms := fetch(t, cons, 1, time.Until(due)-100*time.Millisecond); len(ms) != 0 {
		t.Fatalf("fired %s before its due time %s (whole seconds only?)", ms[0].Subject(), due.Format(time.RFC3339Nano))
	}
	ms := fetch(t, cons, 1, 3*time.Second)
	if len(ms) != 1 {
		t.Fatal("no firing")
	}
	f := ms[0]
	md, _ := f.Metadata()
	if late := md.Timestamp.Sub(due); late < 0 || late > 300*time.Millisecond {
		t.Errorf("stored %s after its due time, want within [0, 300ms]", late)
	}
	want := nats.Header{
		"Esgen-Timer-Version": {"7"},
		"Nats-Scheduler":      {p + ".sched.a"},
		"Nats-Schedule-Next":  {"purge"},
	}
	if fmt.Sprint(f.Headers()) != fmt.Sprint(want) || f.Subject() != p+".fire.a" || string(f.Data()) != "payload\x00\xff" {
		t.Errorf("firing on %s with headers %v and data %q, want on %s with %v and %q",
			f.Subject(), f.Headers(), f.Data(), p+".fire.a", want, "payload\x00\xff")
	}
	if got := subjects(t, st); len(got) != 0 {
		t.Errorf("stream after the firing was acknowledged: %v, want empty (schedule purged, firing removed)", got)
	}
	// jetstream.WithScheduleAt writes whole seconds, which would fire up
	// to a second early: the timers write the header themselves.
	m2 := nats.NewMsg(p + ".x")
	opts := []jetstream.PublishOpt{jetstream.WithScheduleAt(due)}
	if _, err := js.PublishMsg(context.Background(), m2, append(opts, jetstream.WithExpectStream("no such stream"))...); err == nil {
		t.Fatal("publish expecting another stream succeeded")
	}
	if h := m2.Header.Get(jetstream.ScheduleHeader); h != "@at "+due.UTC().Truncate(time.Second).Format(time.RFC3339) {
		t.Errorf("WithScheduleAt wrote %q", h)
	}
}

// TestServerReplaceAndPurge pins how armings go away: a schedule
// published on the subject of another replaces it (the server adds
// Nats-Rollup: sub); purging a schedule's subject disarms it; a purge
// with a subject filter and a sequence removes only the armings before
// that sequence. And it pins the check Schedule's single-publish path
// relies on: an expected last sequence of 0 for a subject filter with a
// wildcard fails (10071) when any subject it takes has a message.
func TestServerReplaceAndPurge(t *testing.T) {
	skipTimedUnderRace(t)
	t.Parallel()
	js, st, cons, p := rawStream(t, jetstream.WorkQueuePolicy)
	now := time.Now()
	ctx := context.Background()
	// Replaced on its subject.
	publish(t, js, schedMsg(p+".sched.r", p+".fire.r1", now.Add(400*time.Millisecond)))
	publish(t, js, schedMsg(p+".sched.r", p+".fire.r2", now.Add(800*time.Millisecond)))
	// Disarmed by a purge of its subject.
	publish(t, js, schedMsg(p+".sched.c", p+".fire.c", now.Add(400*time.Millisecond)))
	if err := st.Purge(ctx, jetstream.WithPurgeSubject(p+".sched.c")); err != nil {
		t.Fatal(err)
	}
	// Older armings of a key purged, the newest kept.
	filter := p + ".sched.k.*"
	publish(t, js, schedMsg(p+".sched.k.1", p+".fire.k1", now.Add(400*time.Millisecond)), jetstream.WithExpectLastSequenceForSubject(0, filter))
	_, err := js.PublishMsg(ctx, schedMsg(p+".sched.k.2", p+".fire.k2", now.Add(600*time.Millisecond)), jetstream.WithExpectLastSequenceForSubject(0, filter))
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != 10071 {
		t.Fatalf("second arming expecting none on %s: %v, want error 10071", filter, err)
	}
	seq := publish(t, js, schedMsg(p+".sched.k.2", p+".fire.k2", now.Add(600*time.Millisecond)))
	if err := st.Purge(ctx, jetstream.WithPurgeSubject(filter), jetstream.WithPurgeSequence(seq)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range fetch(t, cons, 3, 2*time.Second) {
		got = append(got, m.Subject())
	}
	// The two due 200 ms apart may fire in one tick of the scheduler, in
	// either order, on a loaded machine: which fire is what this pins.
	slices.Sort(got)
	if want := []string{p + ".fire.k2", p + ".fire.r2"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fired %v, want %v", got, want)
	}
}

// TestServerPastDue pins that a schedule whose time has passed fires at
// once: within the scheduler's minimum period of 250 ms.
func TestServerPastDue(t *testing.T) {
	skipTimedUnderRace(t)
	t.Parallel()
	js, _, cons, p := rawStream(t, jetstream.WorkQueuePolicy)
	sent := time.Now()
	publish(t, js, schedMsg(p+".sched.p", p+".fire.p", sent.Add(-time.Hour)))
	if ms := fetch(t, cons, 1, 2*time.Second); len(ms) != 1 {
		t.Fatal("no firing")
	}
	if d := time.Since(sent); d > 600*time.Millisecond {
		t.Errorf("past-due schedule fired after %s", d)
	}
}

// TestServerInterestDropsSchedules pins why the timers refuse an
// interest-retention stream: the server drops a schedule message at once,
// since no consumer is interested in its subject.
func TestServerInterestDropsSchedules(t *testing.T) {
	t.Parallel()
	js, st, _, p := rawStream(t, jetstream.InterestPolicy)
	publish(t, js, schedMsg(p+".sched.i", p+".fire.i", time.Now().Add(time.Hour)))
	if got := subjects(t, st); len(got) != 0 {
		t.Errorf("interest stream holds %v", got)
	}
}

// TestServerResetRedelivers pins what Run does on start: on a work-queue
// stream, resetting a consumer with an unacknowledged delivery delivers
// it again at once, not after the ack wait.
func TestServerResetRedelivers(t *testing.T) {
	t.Parallel()
	js, st, cons, p := rawStream(t, jetstream.WorkQueuePolicy)
	publish(t, js, schedMsg(p+".sched.a", p+".fire.a", time.Now()))
	b, err := cons.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range b.Messages() {
		n++ // not acknowledged: its ack wait is 30 s
	}
	if n != 1 {
		t.Fatal("no firing")
	}
	if _, err := st.ResetConsumer(context.Background(), "c"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if ms := fetch(t, cons, 1, 2*time.Second); len(ms) != 1 {
		t.Fatal("not delivered again after the reset")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("delivered again %s after the reset", d)
	}
}
