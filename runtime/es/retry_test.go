package es_test

import (
	"context"
	"errors"
	"iter"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// finderStore is a store whose FindCommand is counted, and fails with err
// when set; its Read fails with readErr when set.
type finderStore struct {
	*memstore.Store
	finds   atomic.Int64
	err     error
	readErr error
}

func (f *finderStore) Read(ctx context.Context, ref es.Ref, from es.Position) iter.Seq2[es.Record, error] {
	if f.readErr != nil {
		return func(yield func(es.Record, error) bool) { yield(es.Record{}, f.readErr) }
	}
	return f.Store.Read(ctx, ref, from)
}

// failingCodec is the door's codec, whose Decode fails while fail is set.
type failingCodec struct {
	doorCodec
	fail *atomic.Bool
}

func (c failingCodec) Decode(typ string, v int, data []byte) (doorEvent, error) {
	if c.fail.Load() {
		return nil, &es.DecodeError{EventType: typ, SchemaVersion: v, Err: es.ErrUnknownSchemaVersion}
	}
	return c.doorCodec.Decode(typ, v, data)
}

func (f *finderStore) FindCommand(ctx context.Context, ref es.Ref, commandID string) (es.AppendResult, bool, error) {
	f.finds.Add(1)
	if f.err != nil {
		return es.AppendResult{}, false, f.err
	}
	return f.Store.FindCommand(ctx, ref, commandID)
}

// wantStored handles cmd with command id cmdID and checks that it gets
// first's stored result at version.
func wantStored(t *testing.T, what string, r *doorRepo, cmd doorCmd, cmdID string, first es.Result[door, doorEvent], version uint64) es.Result[door, doorEvent] {
	t.Helper()
	res, err := r.Handle(t.Context(), "d", cmd, es.WithCommandID(cmdID))
	if err != nil {
		t.Fatalf("%s: retry of %s = %v, want its stored result", what, cmdID, err)
	}
	if !res.Duplicate || res.Version != version {
		t.Errorf("%s: retry of %s: duplicate %t version %d, want true %d", what, cmdID, res.Duplicate, res.Version, version)
	}
	if diff := cmp.Diff(first.Events, res.Events); diff != "" {
		t.Errorf("%s: retry of %s: events (-stored +retry):\n%s", what, cmdID, diff)
	}
	if diff := cmp.Diff(first.Records(), res.Records()); diff != "" {
		t.Errorf("%s: retry of %s: records (-stored +retry):\n%s", what, cmdID, diff)
	}
	return res
}

// TestRetryDecidingNothing: a retry whose decision now produces no events,
// or events Evolve rejects, gets the stored result too.
func TestRetryDecidingNothing(t *testing.T) {
	mem := memstore.New()
	r := es.NewRepository(mem, doorDefinition(0))
	handle(t, r, "d", openDoor{}, es.WithCommandID("o1"))
	first := handle(t, r, "d", closeDoor{}, es.WithCommandID("c1"))
	wantStored(t, "no events", r, closeDoor{}, "c1", first, 2)

	// A decision that closes whatever the state: Evolve rejects closing a
	// closed door.
	def := doorDefinition(0)
	def.Decide = func(_ context.Context, _ door, _ doorCmd, events []doorEvent) ([]doorEvent, error) {
		return append(events, closed{}), nil
	}
	wantStored(t, "events Evolve rejects", es.NewRepository(mem, def), closeDoor{}, "c1", first, 2)
	// Without a stored command, the empty result and the error stand.
	if res, err := r.Handle(t.Context(), "d", closeDoor{}, es.WithCommandID("c2")); err != nil || res.Duplicate || res.Version != 2 {
		t.Errorf("Close of a closed door = %+v, %v; want nothing appended at version 2", res, err)
	}
	if _, err := es.NewRepository(mem, def).Handle(t.Context(), "d", closeDoor{}, es.WithCommandID("c2")); !errors.Is(err, es.ErrInvalidEvolution) {
		t.Errorf("events Evolve rejects = %v, want es.ErrInvalidEvolution", err)
	}
}

// TestRetryWithoutFinder: on a store that is not an es.CommandFinder (a
// wrapper), the Repository reads the history and recognises a command
// among the aggregate's es.DedupeAppends newest appends.
func TestRetryWithoutFinder(t *testing.T) {
	spy := &spyStore{Store: memstore.New()}
	r := es.NewRepository(spy, doorDefinition(0))
	first := handle(t, r, "d", openDoor{}, es.WithCommandID("o1"))
	handle(t, r, "d", lockDoor{Code: 1}, es.WithCommandID("l1")) // versions 2 and 3
	reads, _ := spy.counts()
	wantStored(t, "cached", r, openDoor{}, "o1", first, 3)
	if now, _ := spy.counts(); now == reads {
		t.Errorf("the retry read nothing: it was not looked for")
	}
	wantStored(t, "fresh", es.NewRepository(spy, doorDefinition(0)), openDoor{}, "o1", first, 3)

	// A decision that refuses every command: only the lookup can tell the
	// stored command from a new one.
	errRefused := errors.New("door: refused")
	refuse := doorDefinition(0)
	refuse.Decide = func(context.Context, door, doorCmd, []doorEvent) ([]doorEvent, error) { return nil, errRefused }
	refusing := es.NewRepository(spy, refuse)

	// o1 is the oldest of the newest DedupeAppends appends, then leaves them
	// with exactly one more append.
	version := uint64(3)
	for range (es.DedupeAppends - 2) / 2 {
		handle(t, r, "d", unlockDoor{Code: 1})
		handle(t, r, "d", lockDoor{Code: 1})
		version += 2
	}
	wantStored(t, "oldest in the window", refusing, openDoor{}, "o1", first, version)
	handle(t, r, "d", unlockDoor{Code: 1})
	if _, err := refusing.Handle(t.Context(), "d", openDoor{}, es.WithCommandID("o1")); !errors.Is(err, errRefused) {
		t.Errorf("retry one append past the window = %v, want the decision's error", err)
	}
	if _, err := es.NewRepository(spy, refuse).Handle(t.Context(), "d", openDoor{}, es.WithCommandID("o1")); !errors.Is(err, errRefused) {
		t.Errorf("retry one append past the window, fresh = %v, want the decision's error", err)
	}
}

// TestRetryLookupFails: when the store cannot tell whether it holds the
// command, Handle returns an error matching both the decision's error and
// the store's, or the store's alone for a decision with no events.
func TestRetryLookupFails(t *testing.T) {
	boom := errors.New("store unreachable")
	f := &finderStore{Store: memstore.New()}
	r := es.NewRepository(f, doorDefinition(0))
	handle(t, r, "d", openDoor{}, es.WithCommandID("o1"))
	f.err = boom
	res, err := r.Handle(t.Context(), "d", openDoor{}, es.WithCommandID("o1"))
	if !errors.Is(err, boom) || !errors.Is(err, es.ErrInvalidTransition) {
		t.Errorf("decision fails while the store fails = %v, want both errors", err)
	}
	if want := `Door "d": command "o1" decided on version 1: Door: command Open is not allowed in state Open (whether an earlier attempt stored it is unknown: store unreachable)`; err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if !reflect.ValueOf(res).IsZero() {
		t.Errorf("result %+v beside an error, want the zero Result", res)
	}

	// A decision a definition's own error refuses keeps it in the chain.
	errShut := errors.New("door: shut for the night")
	def := doorDefinition(0)
	def.Decide = func(context.Context, door, doorCmd, []doorEvent) ([]doorEvent, error) { return nil, errShut }
	if _, err := es.NewRepository(f, def).Handle(t.Context(), "d", openDoor{}, es.WithCommandID("o1")); !errors.Is(err, boom) || !errors.Is(err, errShut) {
		t.Errorf("business error while the store fails = %v, want both errors", err)
	}
	// Events Evolve rejects: es.ErrInvalidEvolution stays too.
	def.Decide = func(_ context.Context, _ door, _ doorCmd, events []doorEvent) ([]doorEvent, error) {
		return append(events, opened{}), nil
	}
	if _, err := es.NewRepository(f, def).Handle(t.Context(), "d", openDoor{}, es.WithCommandID("o1")); !errors.Is(err, boom) || !errors.Is(err, es.ErrInvalidEvolution) {
		t.Errorf("events Evolve rejects while the store fails = %v, want both errors", err)
	}
	// No events: the store's error alone.
	handle(t, r, "d", closeDoor{}, es.WithCommandID("c1"))
	_, err = r.Handle(t.Context(), "d", closeDoor{}, es.WithCommandID("c1"))
	if want := `Door "d": command "c1" decided on version 2 (no events), not known whether stored before: store unreachable`; err == nil || err.Error() != want {
		t.Errorf("no events while the store fails = %v, want %q", err, want)
	}
}

// TestNoLookupForNewCommands: a command without an id of the caller's, or
// one that is appended, costs no lookup.
func TestNoLookupForNewCommands(t *testing.T) {
	f := &finderStore{Store: memstore.New()}
	r := es.NewRepository(f, doorDefinition(0))
	handle(t, r, "d", openDoor{})
	handle(t, r, "d", closeDoor{}, es.WithCommandID("c1"))
	handle(t, r, "d", closeDoor{}) // no events
	if _, err := r.Handle(t.Context(), "d", unlockDoor{Code: 1}); !errors.Is(err, es.ErrInvalidTransition) {
		t.Errorf("Unlock of an unlocked door = %v, want es.ErrInvalidTransition", err)
	}
	if n := f.finds.Load(); n != 0 {
		t.Errorf("%d lookups, want none", n)
	}
	if _, err := r.Handle(t.Context(), "d", unlockDoor{Code: 1}, es.WithCommandID("u1")); !errors.Is(err, es.ErrInvalidTransition) {
		t.Errorf("Unlock of an unlocked door = %v, want es.ErrInvalidTransition", err)
	}
	if n := f.finds.Load(); n != 1 {
		t.Errorf("%d lookups, want 1: the caller's id on a failed decision", n)
	}
}

// TestRetryResultOnError: a retry recognised as a stored command whose
// result cannot be built (its events do not decode, the newest state
// cannot be read) returns the zero Result with the error, as Load returns
// the zero Instance.
func TestRetryResultOnError(t *testing.T) {
	f := &finderStore{Store: memstore.New()}
	fail := new(atomic.Bool)
	def := doorDefinition(0)
	def.Events = failingCodec{fail: fail}
	r := es.NewRepository(f, def)
	handle(t, r, "d", openDoor{}, es.WithCommandID("o1"))

	// The state is cached: only the stored command's events are decoded.
	fail.Store(true)
	res, err := r.Handle(t.Context(), "d", openDoor{}, es.WithCommandID("o1"))
	if !errors.Is(err, es.ErrUnknownSchemaVersion) {
		t.Errorf("retry whose stored events do not decode = %v, want es.ErrUnknownSchemaVersion", err)
	}
	if !reflect.ValueOf(res).IsZero() {
		t.Errorf("result %+v beside a decode error, want the zero Result", res)
	}
	fail.Store(false)

	// Other commands followed: the newest state is read, and the read fails.
	handle(t, r, "d", closeDoor{}, es.WithCommandID("c1"))
	handle(t, r, "d", lockDoor{Code: 1}, es.WithCommandID("l1"))
	boom := errors.New("store unreachable")
	f.readErr = boom
	res, err = r.Handle(t.Context(), "d", openDoor{}, es.WithCommandID("o1"))
	if !errors.Is(err, boom) {
		t.Errorf("retry while the newest state cannot be read = %v, want the store's error", err)
	}
	if !reflect.ValueOf(res).IsZero() {
		t.Errorf("result %+v beside a read error, want the zero Result", res)
	}
}
