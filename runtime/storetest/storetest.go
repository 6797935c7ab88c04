// Package storetest is the conformance suite every es.Store and
// es.SnapshotStore must pass. Run it from the store's own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) es.Store { return memstore.New() })
//	}
//
// RunSnapshots checks an es.SnapshotStore, and RunRepository runs
// es.Repository on a store (command handling, time travel by version and by
// time, history, snapshots) so that the behaviour users see is the same on
// every store. RunWindow checks that a command retried past the store's
// dedupe window is handled as a new command, on a store of its own.
// RunExisting checks a store opened on storage another service made (a
// JetStream stream): it changes none of its settings unasked.
//
// Each subtest asks newStore for a store. It may return a fresh store or a
// shared one: every subtest uses aggregate ids of its own, made unique per
// Run call, so a store that already holds events (of an earlier run, say)
// still passes.
//
// The suite fixes the semantics generated code relies on: the expected
// sequence check, the expected version checked against it (no append
// repeats or skips versions), command ids checked (none a store could
// confuse with another), all-or-nothing appends, idempotent retries of one command,
// strict per-aggregate order, every metadata field round-tripped exactly
// (Time to the nanosecond, payload bytes as given), reads from a position
// (and ErrPositionGone from a position the store does not hold),
// rejection of ids that could address another aggregate, isolation of
// aggregates from each other, private copies (a store keeps nothing of a
// request, and a Read hands out copies), and contexts.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
)

// Run runs the es.Store conformance suite as subtests of t.
func Run(t *testing.T, newStore func(t *testing.T) es.Store) {
	t.Helper()
	token := newToken()
	for _, tc := range []struct {
		name string
		run  func(f *fixture)
	}{
		{"Ordering", testOrdering},
		{"MetadataRoundTrip", testMetadataRoundTrip},
		{"Concurrency", testConcurrency},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Atomicity", testAtomicity},
		{"Idempotency", testIdempotency},
		{"ReadFrom", testReadFrom},
		{"InvalidIDs", testInvalidIDs},
		{"Isolation", testIsolation},
		{"Copies", testCopies},
		{"CanceledContext", testCanceled},
		{"RepeatedVersion", testRepeatedVersion},
		{"CommandIDs", testCommandIDs},
		{"PositionGone", testPositionGone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(&fixture{t: t, s: newStore(t), token: token + "-" + tc.name})
		})
	}
}

// fixture is one subtest's store and helpers.
type fixture struct {
	t     *testing.T
	s     es.Store
	token string // makes the subtest's ids unique
}

// ref names an aggregate of type typ that is unique to this subtest.
func (f *fixture) ref(typ, id string) es.Ref { return es.Ref{Type: typ, ID: id + "-" + f.token} }

// suiteTime has nanoseconds so that a store that loses precision fails.
var suiteTime = time.Date(2026, 11, 25, 18, 41, 7, 123456789, time.UTC)

// events returns n raw events whose payloads name tag and their index.
func events(tag string, n int) []es.RawEvent {
	out := make([]es.RawEvent, n)
	for i := range out {
		out[i] = es.RawEvent{
			Type:          fmt.Sprintf("Happened%d", i%3),
			SchemaVersion: 1 + i%2,
			Data:          fmt.Appendf(nil, `{"tag":%q,"i":%d}`, tag, i),
		}
	}
	return out
}

// request builds an append request with every metadata field set.
func request(ref es.Ref, at es.Position, commandID string, evs []es.RawEvent) *es.AppendRequest {
	return &es.AppendRequest{
		Ref:              ref,
		ExpectedVersion:  at.Version,
		ExpectedSequence: at.Sequence,
		CommandID:        commandID,
		Time:             suiteTime,
		CorrelationID:    "corr-" + commandID,
		CausationID:      "cause-" + commandID,
		Actor:            "actor-" + commandID,
		Traceparent:      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		Events:           evs,
	}
}

// mustAppend appends and fails the test on error. A new append's result
// has no records (es.AppendResult): mustAppend checks that and fills them
// in from the request (es.AppendRequest.Records), which the tests then
// compare with what the store reads back.
func (f *fixture) mustAppend(req *es.AppendRequest) es.AppendResult {
	f.t.Helper()
	res, err := f.s.Append(f.t.Context(), req)
	if err != nil {
		f.t.Fatalf("Append(%s %q, expected sequence %d, command %q): %v", req.Ref.Type, req.Ref.ID, req.ExpectedSequence, req.CommandID, err)
	}
	if err := withRecords(req, &res); err != nil {
		f.t.Fatal(err)
	}
	return res
}

// withRecords sets the records of a new append's result, which has none,
// from its request. It leaves a duplicate's as the store returned them.
func withRecords(req *es.AppendRequest, res *es.AppendResult) error {
	if res.Duplicate {
		return nil
	}
	if res.Records != nil {
		return fmt.Errorf("Append(%s %q, command %q): a new append's result holds %d records, want none (see es.AppendResult)",
			req.Ref.Type, req.Ref.ID, req.CommandID, len(res.Records))
	}
	if want := req.ExpectedVersion + uint64(len(req.Events)); res.Version != want {
		return fmt.Errorf("Append(%s %q, command %q): result version %d, want %d", req.Ref.Type, req.Ref.ID, req.CommandID, res.Version, want)
	}
	res.Records = req.Records(res.Sequence)
	return nil
}

// add appends n events to ref at position at and returns the result.
func (f *fixture) add(ref es.Ref, at es.Position, commandID string, n int) es.AppendResult {
	f.t.Helper()
	return f.mustAppend(request(ref, at, commandID, events(commandID, n)))
}

// mustRead reads all events of ref after from and fails the test on error.
func (f *fixture) mustRead(ref es.Ref, from es.Position) []es.Record {
	f.t.Helper()
	var recs []es.Record
	for rec, err := range f.s.Read(f.t.Context(), ref, from) {
		if err != nil {
			f.t.Fatalf("Read(%s %q, from %+v): %v", ref.Type, ref.ID, from, err)
		}
		recs = append(recs, rec)
	}
	return recs
}

// wantConflict fails the test unless err is an *es.ConflictError for req.
func (f *fixture) wantConflict(req *es.AppendRequest, err error) {
	f.t.Helper()
	if !errors.Is(err, es.ErrConflict) {
		f.t.Fatalf("Append(%s %q, expected sequence %d, command %q) = %v, want an error matching es.ErrConflict",
			req.Ref.Type, req.Ref.ID, req.ExpectedSequence, req.CommandID, err)
	}
	var ce *es.ConflictError
	if !errors.As(err, &ce) {
		f.t.Fatalf("conflict error %v (%T) is not an *es.ConflictError", err, err)
	}
	if ce.Ref != req.Ref || ce.ExpectedSequence != req.ExpectedSequence {
		f.t.Errorf("ConflictError names %+v expected sequence %d, want %+v expected sequence %d",
			ce.Ref, ce.ExpectedSequence, req.Ref, req.ExpectedSequence)
	}
}

// diffRecords reports a mismatch between two record lists.
func (f *fixture) diffRecords(what string, want, got []es.Record) {
	f.t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		f.t.Errorf("%s: records differ (-want +got):\n%s", what, diff)
	}
}

func pos(res es.AppendResult) es.Position {
	return es.Position{Version: res.Version, Sequence: res.Sequence}
}

func concat(results ...es.AppendResult) []es.Record {
	var out []es.Record
	for _, r := range results {
		out = append(out, r.Records...)
	}
	return out
}

func newToken() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// canceled returns a context that is already canceled.
func canceled(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx
}
