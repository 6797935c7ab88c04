package jsstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
)

// JetStream error codes of a failed expected-last-subject-sequence check.
const (
	codeWrongLastSequence         jetstream.ErrorCode = 10071
	codeWrongLastSequenceConstant jetstream.ErrorCode = 10164
)

// TraceparentHeader is the message header that carries a command's W3C
// trace context, for tools that read headers; the envelope carries it too.
const TraceparentHeader = "traceparent"

// Store is the es.Store on one JetStream stream. It is safe for concurrent
// use.
type Store struct {
	js        jetstream.JetStream
	nc        *nats.Conn
	cfg       config
	directGet string        // subject of the stream's direct get API
	timeout   time.Duration // for requests whose context has no deadline
	window    time.Duration // the stream's duplicate window
	tips      tips          // the newest message seen of each aggregate
	replies   replies       // idle reply subscriptions for reads
}

var (
	_ es.Store         = (*Store)(nil)
	_ es.CommandFinder = (*Store)(nil)
)

// New returns a store on the stream of the bounded context that opts name.
// It creates a missing stream with StreamConfig (unless
// WithExistingStream is given). It never changes an existing stream
// unasked: it checks that the stream has what the store needs (direct
// gets, subjects taking "<prefix>.<type>.<id>", a duplicate window at
// least as long as WithDuplicateWindow's, at least WithReplicas'
// replicas) and keeps every event and acknowledges every append (limits
// retention, acknowledgements, no limit that removes messages, not
// sealed, not a mirror, no subject transform), and fails with a
// *StreamConfigError naming each setting that differs, or, with
// WithUpdateStream, changes those settings and no other (some it cannot
// change: see ConfigDiff.Unchangeable).
// When a call's context has no deadline, each wait for the server (an
// acknowledgement, one batch of a read) is bounded by js's default
// timeout.
func New(ctx context.Context, js jetstream.JetStream, opts ...Option) (*Store, error) {
	cfg := newConfig(opts)
	if err := validateStreamName("stream", cfg.stream); err != nil {
		return nil, err
	}
	if err := validatePrefix(cfg.prefix); err != nil {
		return nil, err
	}
	s := &Store{js: js, nc: js.Conn(), cfg: cfg, directGet: apiPrefix(js) + "DIRECT.GET." + cfg.stream, timeout: requestTimeout(js)}
	window, err := s.openStream(ctx, js)
	if err != nil {
		return nil, err
	}
	// The server completes the settings: a window of 0 asked for is its
	// default.
	s.window = cmp.Or(window, cfg.duplicates)
	return s, nil
}

// requestTimeout is how long a request of a call whose context has no
// deadline waits for the server: js's default timeout.
func requestTimeout(js jetstream.JetStream) time.Duration {
	if t := js.Options().DefaultTimeout; t > 0 {
		return t
	}
	return defaultTimeout
}

// apiPrefix returns the JetStream API prefix js sends requests to, with a
// trailing dot.
func apiPrefix(js jetstream.JetStream) string {
	o := js.Options()
	switch {
	case o.APIPrefix != "":
		return strings.TrimSuffix(o.APIPrefix, ".") + "."
	case o.Domain != "":
		return "$JS." + o.Domain + ".API."
	}
	return jetstream.DefaultAPIPrefix
}

// StreamConfig returns the configuration New creates a missing stream
// with: file storage (unless WithMemoryStorage), the bounded context's
// subjects, the replicas and duplicate window asked for, direct gets
// allowed, and no deletion of single messages (an aggregate's history is
// immutable; purging a whole subject stays possible).
func (s *Store) StreamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        s.cfg.stream,
		Description: "esgen events: one subject per aggregate instance, one message per command",
		Subjects:    []string{s.cfg.prefix + ".>"},
		Storage:     s.cfg.storage,
		Compression: s.cfg.compress,
		Replicas:    s.cfg.replicas,
		Duplicates:  s.cfg.duplicates,
		AllowDirect: true,
		DenyDelete:  true,
	}
}

// Stream returns the name of the stream.
func (s *Store) Stream() string { return s.cfg.stream }

// SubjectPrefix returns the subject prefix of the bounded context.
func (s *Store) SubjectPrefix() string { return s.cfg.prefix }

// Subject returns the subject of aggregate ref.
func (s *Store) Subject(ref es.Ref) string { return Subject(s.cfg.prefix, ref) }

// TypeSubject returns the subject filter of every instance of one
// aggregate type, for consumers.
func (s *Store) TypeSubject(aggregateType string) string {
	return TypeSubject(s.cfg.prefix, aggregateType)
}

// msgID is the Nats-Msg-Id of a command's message: unique per aggregate
// and command, identical for every retry of the command.
func msgID(ref es.Ref, commandID string) string {
	return ref.Type + "." + ref.ID + "." + commandID
}

// Append stores every event of req in one message, or nothing. See
// es.Store. The server checks req.ExpectedSequence. The store checks
// req.ExpectedVersion against the version at that sequence: from the
// message it last appended or read of the aggregate, without a request,
// or else with one direct get of that message.
//
// A stored command retried is recognised and its stored result returned
// with Duplicate set: by the server's dedupe within the duplicate window,
// or, when the server reports a conflict, by the command id of the message
// right after req.ExpectedSequence.
//
// When the message was handed to the connection but no answer came (the
// context ended, the store's timeout passed, the connection failed while
// waiting), the command may be stored, or be stored later: a client
// resends what it buffered during an outage once it reconnects. Append
// then fails with an *es.OutcomeUnknownError naming req.CommandID.
func (s *Store) Append(ctx context.Context, req *es.AppendRequest) (es.AppendResult, error) {
	if err := validateRequest(req); err != nil {
		return es.AppendResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return es.AppendResult{}, err
	}
	if err := s.checkVersion(ctx, req); err != nil {
		return es.AppendResult{}, err
	}
	if req.ExpectedSequence == 0 && s.cfg.archive != nil {
		// An archived aggregate's subject is empty: its tombstone says it
		// is not new.
		if _, archived, err := s.tombstone(ctx, req.Ref); err != nil {
			return es.AppendResult{}, fmt.Errorf("jsstore: append to %s %q: tombstone: %w", req.Ref.Type, req.Ref.ID, err)
		} else if archived {
			return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: 0, Err: errors.New("the aggregate is archived")}
		}
	}
	data := envelope.Append(make([]byte, 0, envelope.Size(req)), req)
	if max := s.nc.MaxPayload(); int64(len(data)) > max {
		return es.AppendResult{}, fmt.Errorf("%w: %s %q: %d events take %d bytes, the server accepts %d per command",
			es.ErrTooLarge, req.Ref.Type, req.Ref.ID, len(req.Events), len(data), max)
	}
	subject := s.Subject(req.Ref)
	msg := &nats.Msg{Subject: subject, Data: data, Header: make(nats.Header, 3)}
	msg.Header[jetstream.MsgIDHeader] = []string{msgID(req.Ref, req.CommandID)}
	msg.Header[jetstream.ExpectedLastSubjSeqHeader] = []string{strconv.FormatUint(req.ExpectedSequence, 10)}
	if req.Traceparent != "" {
		msg.Header[TraceparentHeader] = []string{req.Traceparent}
	}
	ack, unknown, err := s.publish(ctx, msg)
	if err != nil {
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && (apiErr.ErrorCode == codeWrongLastSequence || apiErr.ErrorCode == codeWrongLastSequenceConstant) {
			return s.conflict(ctx, req, err)
		}
		if unknown {
			return es.AppendResult{}, &es.OutcomeUnknownError{Ref: req.Ref, CommandID: req.CommandID, Err: err}
		}
		return es.AppendResult{}, fmt.Errorf("jsstore: append to %s %q: %w", req.Ref.Type, req.Ref.ID, err)
	}
	if ack.Duplicate {
		return s.duplicate(ctx, req, ack.Sequence)
	}
	version := req.ExpectedVersion + uint64(len(req.Events))
	s.tips.set(req.Ref, ack.Sequence, version, true)
	return es.AppendResult{Sequence: ack.Sequence, Version: version}, nil
}

// conflict handles a failed sequence check: the message right after the
// expected sequence is either this very command (a retry after a lost
// reply: the server checks the sequence before it dedupes) or another
// writer's. A command id never sent before (req.NewCommandID) is not
// looked for.
func (s *Store) conflict(ctx context.Context, req *es.AppendRequest, cause error) (es.AppendResult, error) {
	var (
		found es.AppendResult
		ok    bool
	)
	if !req.NewCommandID {
		err := s.scan(ctx, s.Subject(req.Ref), req.ExpectedSequence+1, 1, func(env envelope.Envelope, seq uint64) bool {
			if env.CommandID == req.CommandID {
				found, ok = resultOf(env, seq), true
			}
			return false
		})
		if err != nil {
			// This append was refused, but whether an earlier one of the
			// command was stored is not known.
			return es.AppendResult{}, &es.OutcomeUnknownError{Ref: req.Ref, CommandID: req.CommandID,
				Err: fmt.Errorf("jsstore: the append conflicted, and looking for an earlier append of the command failed: %w", err)}
		}
	}
	if ok {
		s.cfg.log.LogAttrs(ctx, slog.LevelInfo, "append recognised as a retry of a stored command",
			slog.String("aggregate", req.Ref.Type), slog.String("id", req.Ref.ID),
			slog.String("command_id", req.CommandID), slog.Uint64("sequence", found.Sequence))
		return found, nil
	}
	s.cfg.log.LogAttrs(ctx, slog.LevelDebug, "append conflict",
		slog.String("aggregate", req.Ref.Type), slog.String("id", req.Ref.ID),
		slog.String("command_id", req.CommandID), slog.Uint64("expected_sequence", req.ExpectedSequence))
	return es.AppendResult{}, &es.ConflictError{Ref: req.Ref, ExpectedSequence: req.ExpectedSequence, Err: cause}
}

// duplicate reads the stored message the server deduplicated req against.
func (s *Store) duplicate(ctx context.Context, req *es.AppendRequest, seq uint64) (es.AppendResult, error) {
	var (
		found es.AppendResult
		ok    bool
	)
	err := s.scan(ctx, s.Subject(req.Ref), seq, 1, func(env envelope.Envelope, at uint64) bool {
		if at == seq && env.CommandID == req.CommandID {
			found, ok = resultOf(env, at), true
		}
		return false
	})
	if err != nil {
		// Stored, but its result is not known: a retry with its id gets it.
		return es.AppendResult{}, &es.OutcomeUnknownError{Ref: req.Ref, CommandID: req.CommandID,
			Err: fmt.Errorf("jsstore: the server holds the command at sequence %d, reading it failed: %w", seq, err)}
	}
	if !ok {
		return es.AppendResult{}, fmt.Errorf("jsstore: append to %s %q: duplicate: the server reported message %d as this command's, but it is not",
			req.Ref.Type, req.Ref.ID, seq)
	}
	s.tips.set(req.Ref, found.Sequence, found.Version, false)
	s.cfg.log.LogAttrs(ctx, slog.LevelInfo, "append deduplicated by the server",
		slog.String("aggregate", req.Ref.Type), slog.String("id", req.Ref.ID),
		slog.String("command_id", req.CommandID), slog.Uint64("sequence", seq))
	return found, nil
}

// FindCommand returns the stored result of command commandID of ref, as
// Append returns a duplicate, when the stream stored it within its
// duplicate window: the commands the server's dedupe recognises wherever
// they are retried. The window is measured on the messages' timestamps,
// which the server's clock sets, from the current time as this process's
// clock reads it. It reads the aggregate's messages of the window with
// batched direct gets. See es.CommandFinder.
func (s *Store) FindCommand(ctx context.Context, ref es.Ref, commandID string) (es.AppendResult, bool, error) {
	if err := es.ValidateRef(ref); err != nil {
		return es.AppendResult{}, false, fmt.Errorf("jsstore: find command: %w", err)
	}
	if err := es.ValidateCommandID(commandID); err != nil {
		return es.AppendResult{}, false, fmt.Errorf("jsstore: find command of %s %q: %w", ref.Type, ref.ID, err)
	}
	if err := ctx.Err(); err != nil {
		return es.AppendResult{}, false, err
	}
	var (
		found es.AppendResult
		ok    bool
	)
	since := time.Now().Add(-s.window)
	err := s.scanSince(ctx, s.Subject(ref), since, func(env envelope.Envelope, seq uint64) bool {
		if env.CommandID == commandID {
			found, ok = resultOf(env, seq), true
			return false
		}
		return true
	})
	if err != nil {
		return es.AppendResult{}, false, fmt.Errorf("jsstore: find command %q of %s %q: %w", commandID, ref.Type, ref.ID, err)
	}
	return found, ok, nil
}

// resultOf is the AppendResult of a stored message.
func resultOf(env envelope.Envelope, seq uint64) es.AppendResult {
	recs := make([]es.Record, len(env.Records)) // env's are scratch
	for i, rec := range env.Records {
		rec.Sequence = seq
		recs[i] = rec
	}
	return es.AppendResult{Sequence: seq, Version: recs[len(recs)-1].Version, Records: recs, Duplicate: true}
}

// validateRequest rejects requests no store could honour.
func validateRequest(req *es.AppendRequest) error {
	if err := es.ValidateRef(req.Ref); err != nil {
		return fmt.Errorf("jsstore: append: %w", err)
	}
	if err := es.ValidateCommandID(req.CommandID); err != nil {
		return fmt.Errorf("jsstore: append to %s %q: %w", req.Ref.Type, req.Ref.ID, err)
	}
	if len(req.Events) == 0 {
		return fmt.Errorf("jsstore: append to %s %q: no events", req.Ref.Type, req.Ref.ID)
	}
	for i, e := range req.Events {
		if e.Type == "" {
			return fmt.Errorf("jsstore: append to %s %q: event %d has no type", req.Ref.Type, req.Ref.ID, i)
		}
		if e.SchemaVersion < 0 {
			return fmt.Errorf("jsstore: append to %s %q: event %d has schema version %d", req.Ref.Type, req.Ref.ID, i, e.SchemaVersion)
		}
	}
	return nil
}
