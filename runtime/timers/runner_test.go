package timers_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/timers"
)

// TestSlowHandler: a handler that takes longer than the ack wait is not
// cut short: the runner reports progress, and the firing is delivered
// once; the firings behind it follow.
func TestSlowHandler(t *testing.T) {
	t.Parallel()
	tm, _ := newJetStream(t, timers.WithAckWait(time.Second))
	var mu sync.Mutex
	var got []string
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	all := make(chan struct{})
	go func() {
		done <- tm.Run(ctx, func(_ context.Context, f timers.Firing) error {
			if f.Key.ID == "slow" && f.Delivery == 1 {
				time.Sleep(2500 * time.Millisecond)
			}
			mu.Lock()
			got = append(got, fmt.Sprintf("%s #%d", f.Key.ID, f.Delivery))
			if len(got) == 2 {
				close(all)
			}
			mu.Unlock()
			return nil
		})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	now := time.Now()
	for _, id := range []string{"slow", "next"} {
		if err := tm.Schedule(context.Background(), timers.Timer{Key: timers.Key{Type: "Order", ID: id, Name: "t"}, Due: now}); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-all:
	case <-time.After(10 * time.Second):
		t.Fatal("the firings were not handled")
	}
	time.Sleep(1500 * time.Millisecond) // a redelivery would come within the ack wait
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"slow #1", "next #1"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("handled %v, want %v", got, want)
	}
}

// records is a slog handler that keeps the messages logged.
type records struct {
	mu   sync.Mutex
	msgs []string
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, rec.Message)
	return nil
}
func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }
func (r *records) count(msg string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.msgs {
		if m == msg {
			n++
		}
	}
	return n
}

// TestUnreadableFiring: messages on the firing subjects that no schedule
// made are logged and terminated; the runner goes on.
func TestUnreadableFiring(t *testing.T) {
	t.Parallel()
	logs := &records{}
	tm, js := newJetStream(t, timers.WithLogger(slog.New(logs)))
	ch := runTimers(t, tm)
	k := timers.Key{Type: "Order", ID: "o-1", Name: "t"}
	fire := tm.FireSubject(k)
	for _, m := range []*nats.Msg{
		{Subject: fire, Data: []byte("no headers")},
		{Subject: fire + ".extra", Header: nats.Header{timers.HeaderVersion: {"1"}, timers.HeaderDue: {time.Now().UTC().Format(time.RFC3339Nano)}}},
		{Subject: fire, Header: nats.Header{timers.HeaderVersion: {"x"}, timers.HeaderDue: {time.Now().UTC().Format(time.RFC3339Nano)}}},
	} {
		if _, err := js.PublishMsg(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if err := tm.Schedule(context.Background(), timers.Timer{Key: k, Due: time.Now(), Version: 9}); err != nil {
		t.Fatal(err)
	}
	if h := receive(t, ch, 5*time.Second); h.f.Key != k || h.f.Version != 9 {
		t.Fatalf("firing %s version %d, want %s version 9", h.f.Key, h.f.Version, k)
	}
	if n := logs.count("unreadable firing terminated"); n != 3 {
		t.Errorf("%d unreadable firings logged, want 3", n)
	}
	st, err := js.Stream(context.Background(), tm.Stream())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for st.CachedInfo().State.Msgs != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		_, _ = st.Info(context.Background())
	}
	if n := st.CachedInfo().State.Msgs; n != 0 {
		t.Errorf("%d messages left in the stream", n)
	}
}

// TestRunRefused: Run returns the server's refusal to set up its consumer.
func TestRunRefused(t *testing.T) {
	t.Parallel()
	tm, js := newJetStream(t)
	// A work-queue stream takes one consumer per subject: another one on
	// the firings makes the server refuse the runner's.
	if _, err := js.CreateConsumer(context.Background(), tm.Stream(), jetstream.ConsumerConfig{
		Durable: "other", FilterSubject: tm.FireSubject(timers.Key{Type: "a", ID: "b", Name: "c"}), AckPolicy: jetstream.AckExplicitPolicy,
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := tm.Run(ctx, func(context.Context, timers.Firing) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "consumer timers on stream") {
		t.Errorf("Run with a refused consumer: %v", err)
	}
}

// TestReArmAtDueTime: timers re-armed at the very moment they fire lose
// nothing: each replacement fires, once. Each arming has a schedule
// subject of its own; were the replacement on the replaced one's subject,
// the firing under way would purge it (the server purges the whole
// subject once a firing is stored).
func TestReArmAtDueTime(t *testing.T) {
	t.Parallel()
	tm, _ := newJetStream(t)
	ch := runTimers(t, tm)
	const n = 300
	ctx := context.Background()
	due := time.Now().Add(time.Second)
	key := func(i int) timers.Key { return timers.Key{Type: "Order", ID: fmt.Sprintf("o-%d", i), Name: "t"} }
	for i := range n {
		if err := tm.Schedule(ctx, timers.Timer{Key: key(i), Due: due, Version: 1}); err != nil {
			t.Fatal(err)
		}
	}
	// The server fires them in the order they were scheduled; re-arming
	// them the other way round meets its progress in the middle, whatever
	// the speeds.
	time.Sleep(time.Until(due.Add(-2 * time.Millisecond)))
	later := due.Add(700 * time.Millisecond)
	for i := n - 1; i >= 0; i-- {
		if err := tm.Schedule(ctx, timers.Timer{Key: key(i), Due: later, Version: 2}); err != nil {
			t.Fatal(err)
		}
	}
	first, second := map[timers.Key]int{}, map[timers.Key]int{}
	deadline := time.After(later.Add(1500 * time.Millisecond).Sub(time.Now()))
	for {
		select {
		case h := <-ch:
			if h.f.Version == 1 {
				first[h.f.Key]++
			} else {
				second[h.f.Key]++
			}
			continue
		case <-deadline:
		}
		break
	}
	t.Logf("%d of %d timers fired before their replacement was armed", len(first), n)
	for i := range n {
		k := key(i)
		if second[k] != 1 || first[k] > 1 {
			t.Errorf("%s: replacement fired %d times, replaced one %d times; want 1 and at most 1", k, second[k], first[k])
		}
	}
}
