package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
)

// errOverCap is the decision of a capped tally refusing an Add.
var errOverCap = errors.New("tally: over the cap")

// cappedTally is the Tally whose Add is refused when it would take the
// total over limit: a decision a retried Add fails once other commands
// have moved the state on, while the tally still accepts commands.
func cappedTally(limit int64) es.Definition[Tally, TallyCommand, TallyEvent] {
	def := TallyDefinition(0)
	def.Decide = func(ctx context.Context, s Tally, cmd TallyCommand, events []TallyEvent) ([]TallyEvent, error) {
		if a, ok := cmd.(Add); ok && s.Total+a.N > limit {
			return nil, errOverCap
		}
		return decideTally(ctx, s, cmd, events)
	}
	return def
}

// wantDuplicate handles cmd again with command id cmdID and checks that
// the result is first's stored result: Duplicate set, first's events and
// records, and the state want at version.
func wantDuplicate(t *testing.T, what string, r *tallyRepo, id string, cmd TallyCommand, cmdID string,
	first es.Result[Tally, TallyEvent], want Tally, version uint64) {
	t.Helper()
	res, err := r.Handle(t.Context(), id, cmd, es.WithCommandID(cmdID))
	if err != nil {
		t.Errorf("%s: retry of stored command %s = %v, want its stored result", what, cmdID, err)
		return
	}
	if !res.Duplicate {
		t.Errorf("%s: retry of stored command %s: Duplicate = false, want true", what, cmdID)
	}
	if diff := cmp.Diff(first.Events, res.Events); diff != "" {
		t.Errorf("%s: retry of %s: events (-stored +retry):\n%s", what, cmdID, diff)
	}
	if diff := cmp.Diff(first.Records(), res.Records()); diff != "" {
		t.Errorf("%s: retry of %s: records (-stored +retry):\n%s", what, cmdID, diff)
	}
	if res.State != want || res.Version != version {
		t.Errorf("%s: retry of %s: state %+v version %d, want %+v %d", what, cmdID, res.State, res.Version, want, version)
	}
}

// testRetryAfterStateMoved: a command retried with its id after the
// state moved past it (the writer did not get the reply, or another
// process retried it) gets its stored result, whether its decision on the
// current state fails or succeeds again, on the repository that stored it
// and on one with nothing cached; nothing is stored twice.
func testRetryAfterStateMoved(t *testing.T, s Stores, id string) {
	a := es.NewRepository(s.Events, TallyDefinition(0))
	fresh := func() *tallyRepo { return es.NewRepository(s.Events, TallyDefinition(0)) }

	// The decision now fails: a closed tally refuses Close.
	closed := id + "-closed"
	first := mustHandle(t, a, closed, Close{}, es.WithCommandID("close-1"))
	wantDuplicate(t, "cached state, decision fails", a, closed, Close{}, "close-1", first, Tally{Closed: true}, 1)
	wantDuplicate(t, "fresh repository, decision fails", fresh(), closed, Close{}, "close-1", first, Tally{Closed: true}, 1)

	// The decision succeeds again: the store recognises the command.
	again := id + "-again"
	first = mustHandle(t, a, again, Add{N: 5}, es.WithCommandID("add-1"))
	wantDuplicate(t, "cached state, decision succeeds", a, again, Add{N: 5}, "add-1", first, Tally{Total: 5, Adds: 1}, 1)
	wantDuplicate(t, "fresh repository, decision succeeds", fresh(), again, Add{N: 5}, "add-1", first, Tally{Total: 5, Adds: 1}, 1)

	// Other commands in between: the result is the stored command's
	// events and the newest state.
	between := id + "-between"
	r1 := mustHandle(t, a, between, Add{N: 1}, es.WithCommandID("b-1"))
	r2 := mustHandle(t, a, between, Add{N: 2}, es.WithCommandID("b-2"))
	now := Tally{Total: 3, Adds: 2}
	wantDuplicate(t, "after another command, decision succeeds", a, between, Add{N: 1}, "b-1", r1, now, 2)
	wantDuplicate(t, "after another command, fresh", fresh(), between, Add{N: 1}, "b-1", r1, now, 2)
	mustHandle(t, a, between, Close{}, es.WithCommandID("b-3"))
	now.Closed = true
	wantDuplicate(t, "after other commands, decision fails", a, between, Add{N: 1}, "b-1", r1, now, 3)
	wantDuplicate(t, "after other commands, decision fails, fresh", fresh(), between, Add{N: 2}, "b-2", r2, now, 3)

	// A command the aggregate does not hold gets its decision's error: one
	// never stored, one stored for another aggregate, one with no id.
	for _, opts := range [][]es.HandleOption{{es.WithCommandID("b-4")}, {es.WithCommandID("add-1")}, nil} {
		for name, r := range map[string]*tallyRepo{"cached": a, "fresh": fresh()} {
			_, err := r.Handle(t.Context(), between, Add{N: 1}, opts...)
			if !errors.Is(err, es.ErrInvalidTransition) {
				t.Errorf("%s: Add with %d options on a closed tally = %v, want es.ErrInvalidTransition", name, len(opts), err)
			}
		}
	}
	for _, tc := range []struct {
		id   string
		want []TallyEvent
	}{
		{closed, []TallyEvent{Closed{}}},
		{again, []TallyEvent{Added{N: 5}}},
		{between, []TallyEvent{Added{N: 1}, Added{N: 2}, Closed{}}},
	} {
		_, events, err := a.History(t.Context(), tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, events); diff != "" {
			t.Errorf("history of %s (-want +got):\n%s", tc.id, diff)
		}
	}
}

// testRetryPastWindow: a command is recognised wherever it is retried
// while it is within the store's window, and not past it: a retry whose
// decision fails then gets its decision's error. Past a window of appends
// a retry whose decision succeeds is stored as a new command. (Past a
// window of time the server may still drop such a retry for a while: it
// forgets message ids on a timer.)
func testRetryPastWindow(t *testing.T, s es.Store, w Window, id string) {
	r := es.NewRepository(s, cappedTally(1))
	old := mustHandle(t, r, id, Add{N: 1}, es.WithCommandID("old"))
	want := Tally{Total: 1, Adds: 1}
	// Commands that keep the total at 1, to make old the oldest of the
	// window's appends.
	for range w.Appends - 1 {
		mustHandle(t, r, id, Add{N: 0})
		want.Adds++
	}
	version := uint64(max(w.Appends, 1))
	wantDuplicate(t, "within the window", r, id, Add{N: 1}, "old", old, want, version)
	wantDuplicate(t, "within the window, fresh", es.NewRepository(s, cappedTally(1)), id, Add{N: 1}, "old", old, want, version)

	if w.Appends > 0 {
		mustHandle(t, r, id, Add{N: 0}) // old leaves the window
		version++
	} else {
		time.Sleep(w.Duration + w.Duration/4 + 100*time.Millisecond)
	}
	for name, r := range map[string]*tallyRepo{"cached": r, "fresh": es.NewRepository(s, cappedTally(1))} {
		if res, err := r.Handle(t.Context(), id, Add{N: 1}, es.WithCommandID("old")); !errors.Is(err, errOverCap) {
			t.Errorf("%s: retry of a command past the window = %+v, %v; want the decision's error", name, res, err)
		}
	}
	if w.Appends > 0 {
		res := mustHandle(t, es.NewRepository(s, TallyDefinition(0)), id, Add{N: 1}, es.WithCommandID("old"))
		version++
		if res.Duplicate || res.Version != version || res.State.Total != 2 {
			t.Errorf("retry past the window, decision succeeds: duplicate %t version %d total %d, want a new command: false %d 2",
				res.Duplicate, res.Version, res.State.Total, version)
		}
	}
	recs, _, err := r.History(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if n := uint64(len(recs)); n != version {
		t.Errorf("%d events stored, want %d", n, version)
	}
}
