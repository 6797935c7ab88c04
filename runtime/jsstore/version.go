package jsstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
)

// maxTips bounds the aggregates whose tip a Store remembers: more than the
// states the Repositories on one store cache by default (1,024 each), so
// that a command on a cached aggregate finds its tip. A tip costs a copy
// of its ref's strings and some 60 bytes.
const maxTips = 16384

// tips remembers, per aggregate, the newest message of it the store has
// seen (appended, or read) and the version that message ends at, so that Append can check a request's expected version against the
// version at its expected sequence without asking the server. A tip is a
// fact about one message, which never changes; it may be older than the
// aggregate's newest message (another writer appended since), which the
// server's sequence check catches. Keys are refs, not subjects, so that
// an append's subject need not outlive its publish.
type tips struct {
	mu sync.Mutex
	// m holds pointers so that updating a tip keeps the key a map
	// assignment would replace with the caller's ref, whose id may share
	// a larger string's memory.
	m map[es.Ref]*tip
}

// tip is a message of an aggregate: its sequence and the version of its
// last event.
type tip struct{ seq, version uint64 }

func (t *tips) get(ref es.Ref) (tip, bool) {
	t.mu.Lock()
	p := t.m[ref]
	var v tip
	if p != nil {
		v = *p
	}
	t.mu.Unlock()
	return v, p != nil
}

// set records that the message at seq of ref ends at version. Unless
// newest is set (the message is known to be the aggregate's newest, or
// was read by a read that reached the end), it replaces only an older tip.
// When the map is full, a new aggregate replaces an arbitrary one.
func (t *tips) set(ref es.Ref, seq, version uint64, newest bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p := t.m[ref]; p != nil {
		if newest || p.seq < seq {
			*p = tip{seq: seq, version: version}
		}
		return
	}
	if t.m == nil {
		t.m = make(map[es.Ref]*tip)
	}
	if len(t.m) >= maxTips {
		for k := range t.m {
			delete(t.m, k)
			break
		}
	}
	t.m[es.Ref{Type: strings.Clone(ref.Type), ID: strings.Clone(ref.ID)}] = &tip{seq: seq, version: version}
}

// checkVersion refuses req when its expected version is not the version
// at its expected sequence while that sequence may be the aggregate's
// last: the events would repeat or skip versions and the aggregate could
// no longer be loaded. A tip at the expected sequence answers without a
// request; an expected sequence older than the tip needs no answer (the
// server refuses it as stale); otherwise one direct get of the message at
// the expected sequence answers.
func (s *Store) checkVersion(ctx context.Context, req *es.AppendRequest) error {
	if req.ExpectedSequence == 0 {
		if req.ExpectedVersion != 0 {
			return versionConflict(req, 0)
		}
		return nil
	}
	if t, ok := s.tips.get(req.Ref); ok {
		switch {
		case t.seq == req.ExpectedSequence:
			if t.version != req.ExpectedVersion {
				return versionConflict(req, t.version)
			}
			return nil
		case t.seq > req.ExpectedSequence:
			return nil
		}
	}
	version, ok, err := s.versionAt(ctx, req.Ref, req.ExpectedSequence)
	if err != nil {
		return fmt.Errorf("jsstore: append to %s %q: read the version at sequence %d: %w",
			req.Ref.Type, req.Ref.ID, req.ExpectedSequence, err)
	}
	if ok && version != req.ExpectedVersion {
		return versionConflict(req, version)
	}
	return nil
}

// versionConflict is the error of a request whose expected version is not
// the aggregate's version at its expected sequence, have.
func versionConflict(req *es.AppendRequest, have uint64) error {
	return &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence,
		Err: fmt.Errorf("expected version %d, the aggregate is at version %d there", req.ExpectedVersion, have)}
}

// versionAt returns the version the message at seq ends at, when that
// message is ref's (ok false otherwise), and remembers it as a tip.
func (s *Store) versionAt(ctx context.Context, ref es.Ref, seq uint64) (version uint64, ok bool, err error) {
	subject := s.Subject(ref)
	wait, cancel := s.bound(ctx)
	defer cancel()
	req := strconv.AppendUint([]byte(`{"seq":`), seq, 10)
	resp, err := s.nc.RequestWithContext(wait, s.directGet, append(req, '}'))
	if err != nil {
		return 0, false, err
	}
	switch status := resp.Header.Get("Status"); status {
	case "":
	case "404":
		return 0, false, nil
	default:
		return 0, false, fmt.Errorf("direct get: status %s %s", status, resp.Header.Get("Description"))
	}
	if resp.Header.Get(jetstream.SubjectHeader) != subject {
		return 0, false, nil
	}
	env, err := envelope.Decode(resp.Data, nil)
	if err == nil {
		err = checkSubject(subject, env.Records[0].Metadata)
	}
	if err != nil {
		return 0, false, &CorruptMessageError{Subject: subject, Sequence: seq, Reason: err.Error()}
	}
	version = env.Records[len(env.Records)-1].Version
	s.tips.set(ref, seq, version, false)
	return version, true, nil
}
