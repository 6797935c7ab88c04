package es_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// lossyStore stores appends but loses the reply of the next one, as a
// connection that drops after the server acknowledged.
type lossyStore struct {
	es.Store
	loseNext bool
}

var errLostReply = errors.New("reply lost")

func (l *lossyStore) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	res, err := l.Store.Append(ctx, req)
	if err == nil && l.loseNext {
		l.loseNext = false
		return es.AppendResult{}, errLostReply
	}
	return res, err
}

// TestHandleAfterLostReply: the caller retries a command whose reply was
// lost with the same command id; the repository's cached state does not
// include it, the store recognises it, and the state is evolved from the
// stored events, not stored twice.
func TestHandleAfterLostReply(t *testing.T) {
	lossy := &lossyStore{Store: memstore.New()}
	r := es.NewRepository(lossy, doorDefinition(0))
	handle(t, r, "d", openDoor{})
	lossy.loseNext = true
	if _, err := r.Handle(t.Context(), "d", lockDoor{Code: 7}, es.WithCommandID("lock-1")); !errors.Is(err, errLostReply) {
		t.Fatalf("Handle = %v, want the lost reply", err)
	}
	res := handle(t, r, "d", lockDoor{Code: 7}, es.WithCommandID("lock-1"))
	if !res.Duplicate || res.Version != 3 || res.State != (door{Locked: true, Code: 7, Moves: 3}) {
		t.Errorf("retry = duplicate %t version %d state %+v, want true 3 locked", res.Duplicate, res.Version, res.State)
	}
	if diff := cmp.Diff([]doorEvent{closed{}, locked{Code: 7}}, res.Events); diff != "" {
		t.Errorf("retry events (-want +got):\n%s", diff)
	}
	_, events, err := r.History(t.Context(), "d")
	if err != nil || len(events) != 3 {
		t.Errorf("History: %d events (%v), want 3", len(events), err)
	}
	// The cache holds the state after the duplicate.
	next := handle(t, r, "d", unlockDoor{Code: 7})
	if next.Version != 4 || next.State.Locked {
		t.Errorf("after the retry: %+v", next.Instance)
	}
}

type metric struct {
	Name  string
	Value int
}

type metricCodec struct{}

func (metricCodec) Encode(_ []byte, m metric) (es.RawEvent, error) {
	if m.Name == "" {
		return es.RawEvent{}, errors.New("metric without a name")
	}
	return es.RawEvent{Type: "Measured", SchemaVersion: 1, Data: []byte(m.Name + "=" + string(rune('0'+m.Value)))}, nil
}

func (metricCodec) Decode(typ string, v int, data []byte) (metric, error) {
	name, val, ok := strings.Cut(string(data), "=")
	if typ != "Measured" || v != 1 || !ok || len(val) != 1 {
		return metric{}, &es.DecodeError{EventType: typ, SchemaVersion: v, Err: es.ErrCorruptEvent}
	}
	return metric{Name: name, Value: int(val[0] - '0')}, nil
}

func TestLog(t *testing.T) {
	mem := memstore.New(memstore.WithStartSequence(10))
	def := es.LogDefinition[metric]{Type: "Metrics", Events: metricCodec{}}
	a := es.NewLog(mem, def)
	b := es.NewLog(mem, def)
	recs, err := a.Append(t.Context(), "host-1", []metric{{"cpu", 3}, {"mem", 5}}, es.WithActor("agent"))
	if err != nil || len(recs) != 2 || recs[1].Version != 2 || recs[0].Actor != "agent" || recs[0].Sequence != 11 {
		t.Fatalf("first append = %+v, %v", recs, err)
	}
	// b does not know a's position: it conflicts, rereads and appends after.
	if recs, err = b.Append(t.Context(), "host-1", []metric{{"cpu", 4}}); err != nil || recs[0].Version != 3 {
		t.Fatalf("second log's append = %+v, %v; want version 3", recs, err)
	}
	// a's cached position is stale now: it retries after the conflict.
	if recs, err = a.Append(t.Context(), "host-1", []metric{{"disk", 1}}, es.WithCommandID("m-4")); err != nil || recs[0].Version != 4 {
		t.Fatalf("stale log's append = %+v, %v; want version 4", recs, err)
	}
	// The same command again is stored once.
	if recs, err = a.Append(t.Context(), "host-1", []metric{{"disk", 1}}, es.WithCommandID("m-4")); err != nil || recs[0].Version != 4 {
		t.Fatalf("repeated command = %+v, %v; want the stored version 4", recs, err)
	}
	if recs, err := a.Append(t.Context(), "host-1", nil); err != nil || recs != nil {
		t.Errorf("append of no events = %v, %v; want nothing", recs, err)
	}
	_, got, err := b.History(t.Context(), "host-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]metric{{"cpu", 3}, {"mem", 5}, {"cpu", 4}, {"disk", 1}}, got); diff != "" {
		t.Errorf("History (-want +got):\n%s", diff)
	}
	if _, err := a.Append(t.Context(), "host.1", []metric{{"cpu", 1}}); !errors.Is(err, es.ErrInvalidID) {
		t.Errorf("append to host.1 = %v, want es.ErrInvalidID", err)
	}
	if _, err := a.Append(t.Context(), "host-1", []metric{{"", 1}}); err == nil || err.Error() != `Metrics "host-1": encode event: metric without a name` {
		t.Errorf("append of an unencodable event = %v", err)
	}
	// With no retries, a conflict reaches the caller.
	c := es.NewLog(mem, def, es.WithMaxRetries(0))
	if _, err := c.Append(t.Context(), "host-2", []metric{{"x", 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Append(t.Context(), "host-2", []metric{{"y", 2}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Append(t.Context(), "host-2", []metric{{"z", 3}}); !errors.Is(err, es.ErrConflict) {
		t.Errorf("append with a stale position and no retries = %v, want es.ErrConflict", err)
	}
	// The conflict dropped the stale position: the next append rereads it.
	if recs, err := c.Append(t.Context(), "host-2", []metric{{"z", 3}}); err != nil || recs[0].Version != 3 {
		t.Errorf("append after a conflict = %+v, %v; want version 3", recs, err)
	}
}
