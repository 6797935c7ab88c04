package wire_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/wire"
)

func startJS(t *testing.T) jetstream.JetStream {
	t.Helper()
	srv, err := natsserver.Start(context.Background(), natsserver.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

func appendOne(t *testing.T, s *jsstore.Store, typ, id, cmd string, seq, version uint64) {
	t.Helper()
	_, err := s.Append(context.Background(), &es.AppendRequest{Ref: es.Ref{Type: typ, ID: id}, CommandID: cmd, CorrelationID: cmd, CausationID: cmd,
		ExpectedSequence: seq, ExpectedVersion: version, Time: t0, Events: []es.RawEvent{{Type: "Happened", SchemaVersion: 1, Data: []byte(`{}`)}}})
	if err != nil {
		t.Fatal(err)
	}
}

// collect reads and returns "subject seq command prev" of each message.
func collect(t *testing.T, ctx context.Context, js jetstream.JetStream, o wire.ReadOptions, n int) ([]string, error) {
	var got []string
	for m, err := range wire.Read(ctx, js, o) {
		if err != nil {
			return got, err
		}
		got = append(got, m.Subject+" "+m.CommandID+" "+itoa(m.Sequence)+" "+itoa(m.Prev)+" v"+itoa(m.Records[0].Version))
		if len(got) == n {
			break
		}
	}
	return got, nil
}

func itoa(u uint64) string { return strconv.FormatUint(u, 10) }

// TestRead: Read yields the messages of the stream in order, with their
// sequences and chain, filtered, from a sequence on, and ends at the last
// one stored unless it follows.
func TestRead(t *testing.T) {
	js := startJS(t)
	s, err := jsstore.New(context.Background(), js)
	if err != nil {
		t.Fatal(err)
	}
	appendOne(t, s, "Order", "o-1", "a", 0, 0)
	appendOne(t, s, "Payment", "p-1", "b", 0, 0)
	appendOne(t, s, "Order", "o-1", "c", 1, 1)
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		o    wire.ReadOptions
		want []string
	}{
		{"all", wire.ReadOptions{Stream: "EVENTS"}, []string{"events.Order.o-1 a 1 0 v1", "events.Payment.p-1 b 2 0 v1", "events.Order.o-1 c 3 1 v2"}},
		{"filter", wire.ReadOptions{Stream: "EVENTS", Filter: "events.Order.*"}, []string{"events.Order.o-1 a 1 0 v1", "events.Order.o-1 c 3 1 v2"}},
		{"after", wire.ReadOptions{Stream: "EVENTS", After: 1}, []string{"events.Payment.p-1 b 2 0 v1", "events.Order.o-1 c 3 1 v2"}},
		{"after the end", wire.ReadOptions{Stream: "EVENTS", After: 3}, nil},
	} {
		got, err := collect(t, ctx, js, tt.o, -1)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(got) != len(tt.want) || !equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}

	// Following: a message stored after the read began comes too.
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	go func() {
		time.Sleep(100 * time.Millisecond)
		appendOne(t, s, "Payment", "p-1", "d", 2, 1)
	}()
	got, err := collect(t, fctx, js, wire.ReadOptions{Stream: "EVENTS", After: 2, Follow: true}, 2)
	if err != nil || !equal(got, []string{"events.Order.o-1 c 3 1 v2", "events.Payment.p-1 d 4 2 v2"}) {
		t.Errorf("follow: %q, %v", got, err)
	}

	// A missing stream is named, with those there are.
	_, err = collect(t, ctx, js, wire.ReadOptions{Stream: "NOPE"}, -1)
	var nf *wire.StreamNotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, jetstream.ErrStreamNotFound) || err.Error() != "stream NOPE not found: the server has EVENTS" {
		t.Errorf("missing stream: %v", err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDecodeSubject: an envelope stored on another aggregate's subject is
// corrupt.
func TestDecodeSubject(t *testing.T) {
	_, err := wire.Decode("events.Order.o-2", 7, valid())
	if !errors.Is(err, es.ErrCorruptEvent) || err.Error() != `jsstore: message 7 on events.Order.o-2: envelope of Order "o-1" does not belong on this subject` {
		t.Errorf("err = %v", err)
	}
	if _, err := wire.Decode("Order.o-1", 7, valid()); !errors.Is(err, es.ErrCorruptEvent) {
		t.Errorf("a subject without a prefix: %v", err)
	}
	if _, err := wire.Decode("shop.events.Order.o-1", 7, valid()); err != nil {
		t.Errorf("a prefix of two tokens: %v", err)
	}
}
