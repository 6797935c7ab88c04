package es_test

import (
	"context"
	"errors"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// unknownStore answers the next appends with an *es.OutcomeUnknownError,
// after storing them when store is set (the answer was lost) or without
// (the request was lost), and counts appends.
type unknownStore struct {
	es.Store
	fail    int // appends to answer so
	store   bool
	appends int
	last    *es.OutcomeUnknownError
}

func (u *unknownStore) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	u.appends++
	if u.fail == 0 {
		return u.Store.Append(ctx, req)
	}
	u.fail--
	if u.store {
		if _, err := u.Store.Append(ctx, req); err != nil {
			return es.AppendResult{}, err
		}
	}
	u.last = &es.OutcomeUnknownError{Ref: req.Ref, CommandID: req.CommandID, Err: context.DeadlineExceeded}
	return es.AppendResult{}, u.last
}

// TestOutcomeUnknownPassedThrough: Handle returns a store's
// *es.OutcomeUnknownError as it is, without retrying it as a conflict,
// naming the command id it made up; the command handled again with that
// id is stored once, whether the first append was stored or not.
func TestOutcomeUnknownPassedThrough(t *testing.T) {
	for _, stored := range []bool{true, false} {
		u := &unknownStore{Store: memstore.New(), store: stored}
		r := es.NewRepository(u, doorDefinition(0))
		handle(t, r, "d", openDoor{})
		u.appends, u.fail = 0, 1
		res, err := r.Handle(t.Context(), "d", closeDoor{})
		var oue *es.OutcomeUnknownError
		if !errors.As(err, &oue) || oue != u.last || err != error(u.last) || u.appends != 1 || res.Version != 0 {
			t.Fatalf("stored %t: Handle = %+v, %v after %d appends; want the store's error as it is, after one append", stored, res, err, u.appends)
		}
		if !errors.Is(err, es.ErrOutcomeUnknown) || !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, es.ErrConflict) {
			t.Errorf("stored %t: %v matches the wrong sentinels", stored, err)
		}
		if oue.CommandID == "" || oue.Ref != (es.Ref{Type: "Door", ID: "d"}) {
			t.Errorf("stored %t: the error names %+v command %q, want Door d and the id Handle made up", stored, oue.Ref, oue.CommandID)
		}
		again := handle(t, r, "d", closeDoor{}, es.WithCommandID(oue.CommandID))
		if again.Duplicate != stored || again.Version != 2 || again.State.Open {
			t.Errorf("stored %t: retry with the id = duplicate %t version %d state %+v, want duplicate %t, version 2, closed",
				stored, again.Duplicate, again.Version, again.State, stored)
		}
		recs, _, err := r.History(t.Context(), "d")
		if err != nil || len(recs) != 2 || recs[1].EventID != es.EventID(oue.CommandID, 0) {
			t.Errorf("stored %t: history %d events (%v), want 2, the second of command %s", stored, len(recs), err, oue.CommandID)
		}
	}
}

// TestOutcomeUnknownLog: Log.Append returns the store's
// *es.OutcomeUnknownError as it is too.
func TestOutcomeUnknownLog(t *testing.T) {
	u := &unknownStore{Store: memstore.New(), fail: 1}
	l := es.NewLog(u, es.LogDefinition[metric]{Type: "Metrics", Events: metricCodec{}})
	_, err := l.Append(t.Context(), "m", []metric{{"cpu", 1}})
	if err != error(u.last) || u.appends != 1 {
		t.Errorf("Log.Append = %v after %d appends, want the store's error as it is after one", err, u.appends)
	}
}

func TestOutcomeUnknownError(t *testing.T) {
	err := &es.OutcomeUnknownError{Ref: es.Ref{Type: "Order", ID: "o-1"}, CommandID: "c-9", Err: context.DeadlineExceeded}
	const want = `Order "o-1": command "c-9": outcome unknown (it may be stored; retry with this command id): context deadline exceeded`
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if !errors.Is(err, es.ErrOutcomeUnknown) || !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, es.ErrConflict) {
		t.Errorf("%v matches the wrong sentinels", err)
	}
}
