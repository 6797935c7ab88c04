package es_test

import (
	"context"
	"errors"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/esgen/esgen/runtime/storetest"
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

// TestOutcomeUnknownRetryPastWindow: a command whose append had an
// unknown outcome, retried with its id on the same Repository after
// another writer moved the aggregate past the store's dedupe window
// (1,024 appends in memory), is recognised when it was stored, and
// stored once, at the newest state, when it was not: the Repository
// decides the retry on the state it decided the command on, and a
// conflict there sends it on to the stored state without counting a
// retry (WithMaxRetries(0)).
func TestOutcomeUnknownRetryPastWindow(t *testing.T) {
	type tallyRepo = es.Repository[storetest.Tally, storetest.TallyCommand, storetest.TallyEvent]
	for _, stored := range []bool{true, false} {
		u := &unknownStore{Store: memstore.New(), store: stored}
		r := es.NewRepository(u, storetest.TallyDefinition(0), es.WithMaxRetries(0))
		mustHandle := func(r *tallyRepo, cmd storetest.TallyCommand, opts ...es.HandleOption) es.Result[storetest.Tally, storetest.TallyEvent] {
			t.Helper()
			res, err := r.Handle(t.Context(), "t", cmd, opts...)
			if err != nil {
				t.Fatalf("stored %t: Handle(%#v): %v", stored, cmd, err)
			}
			return res
		}
		mustHandle(r, storetest.Add{N: 1})
		u.fail = 1
		_, err := r.Handle(t.Context(), "t", storetest.Add{N: 5})
		var oue *es.OutcomeUnknownError
		if !errors.As(err, &oue) {
			t.Fatalf("stored %t: Handle = %v, want an *es.OutcomeUnknownError", stored, err)
		}
		other := es.NewRepository(u.Store, storetest.TallyDefinition(0))
		for range es.DedupeAppends {
			mustHandle(other, storetest.Add{N: 0})
		}
		newest := uint64(es.DedupeAppends + 1)
		if stored {
			newest++
		}
		u.appends = 0
		res := mustHandle(r, storetest.Add{N: 5}, es.WithCommandID(oue.CommandID))
		if stored {
			// The stored command's result, on the state it followed.
			if !res.Duplicate || res.Version != 2 || res.State.Total != 6 || len(res.Events) != 1 || u.appends != 1 {
				t.Errorf("stored: retry = duplicate %t version %d total %d events %v after %d appends; want the stored command: true 2 6 [Added 5] after 1",
					res.Duplicate, res.Version, res.State.Total, res.Events, u.appends)
			}
		} else if res.Duplicate || res.Version != newest+1 || res.State.Total != 6 || u.appends != 2 {
			t.Errorf("not stored: retry = duplicate %t version %d total %d after %d appends; want a new command at the newest state: false %d 6 after 2",
				res.Duplicate, res.Version, res.State.Total, u.appends, newest+1)
		}
		recs, _, err := r.History(t.Context(), "t")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, rec := range recs {
			if rec.EventID == es.EventID(oue.CommandID, 0) {
				n++
			}
		}
		if want := newest + map[bool]uint64{true: 0, false: 1}[stored]; n != 1 || uint64(len(recs)) != want {
			t.Errorf("stored %t: %d events, the command's %d times; want %d events, the command's once", stored, len(recs), n, want)
		}
	}
}

// TestOutcomeUnknownRetryLog: the same for Log.Append: an append with an
// unknown outcome retried with its id past the dedupe window is
// recognised, or stored once.
func TestOutcomeUnknownRetryLog(t *testing.T) {
	for _, stored := range []bool{true, false} {
		u := &unknownStore{Store: memstore.New(), store: stored}
		def := es.LogDefinition[metric]{Type: "Metrics", Events: metricCodec{}}
		l := es.NewLog(u, def, es.WithMaxRetries(0))
		if _, err := l.Append(t.Context(), "m", []metric{{"cpu", 1}}); err != nil {
			t.Fatal(err)
		}
		u.fail = 1
		_, err := l.Append(t.Context(), "m", []metric{{"cpu", 2}})
		var oue *es.OutcomeUnknownError
		if !errors.As(err, &oue) {
			t.Fatalf("stored %t: Append = %v, want an *es.OutcomeUnknownError", stored, err)
		}
		other := es.NewLog(u.Store, def)
		for range es.DedupeAppends {
			if _, err := other.Append(t.Context(), "m", []metric{{"mem", 0}}); err != nil {
				t.Fatal(err)
			}
		}
		recs, err := l.Append(t.Context(), "m", []metric{{"cpu", 2}}, es.WithCommandID(oue.CommandID))
		if err != nil {
			t.Fatalf("stored %t: retry: %v", stored, err)
		}
		wantVersion := uint64(2)
		if !stored {
			wantVersion = es.DedupeAppends + 2
		}
		if len(recs) != 1 || recs[0].Version != wantVersion || recs[0].EventID != es.EventID(oue.CommandID, 0) {
			t.Errorf("stored %t: retry = %+v, want the command's event at version %d", stored, recs, wantVersion)
		}
		all, _, err := l.History(t.Context(), "m")
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != es.DedupeAppends+2 {
			t.Errorf("stored %t: %d events stored, want %d: the command's once", stored, len(all), es.DedupeAppends+2)
		}
	}
}
