package jsstore

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
)

// Batch direct get limits: messages per request, and bytes per request
// (the server stops after the message that crosses it), so that one
// request never overflows the reply subscription.
const (
	readBatch    = 1000
	readMaxBytes = 8 << 20
)

// defaultReadTimeout bounds the wait for a server reply when the caller's
// context has no deadline.
const defaultReadTimeout = 10 * time.Second

// Read yields the events of ref whose version is greater than
// from.Version, in order, reading from from.Sequence on with batched direct
// gets of payloads only. See es.Store. Each message's envelope must follow
// the previous one (versions contiguous, sequences chained); a message that
// does not fails the read with a *CorruptMessageError.
func (s *Store) Read(ctx context.Context, ref es.Ref, from es.Position) iter.Seq2[es.Record, error] {
	return func(yield func(es.Record, error) bool) {
		if err := es.ValidateRef(ref); err != nil {
			yield(es.Record{}, fmt.Errorf("jsstore: read: %w", err))
			return
		}
		if err := ctx.Err(); err != nil {
			yield(es.Record{}, err)
			return
		}
		subject := s.Subject(ref)
		next := from.Version + 1 // the version the next yielded record must have
		stopped := false
		err := s.scan(ctx, subject, max(from.Sequence, 1), 0, func(env envelope.Envelope, seq uint64) bool {
			first := env.Records[0].Version
			last := first + uint64(len(env.Records)) - 1
			if last < next {
				return true // wholly before from (the message holding from.Version)
			}
			if first > next {
				yield(es.Record{}, &CorruptMessageError{Subject: subject, Sequence: seq,
					Reason: fmt.Sprintf("holds versions %d to %d, expected version %d next", first, last, next)})
				stopped = true
				return false
			}
			for _, rec := range env.Records[next-first:] {
				rec.Sequence = seq
				if !yield(rec, nil) {
					stopped = true
					return false
				}
			}
			next = last + 1
			return true
		})
		if err != nil && !stopped {
			yield(es.Record{}, fmt.Errorf("jsstore: read %s %q: %w", ref.Type, ref.ID, err))
		}
	}
}

// scan reads the messages of subject from stream sequence start on, in
// order, and calls fn with each one's envelope and sequence until fn
// returns false, limit messages were read (0: no limit) or the subject has
// no more. It uses batched direct gets without headers: a message's
// sequence is the next message's prev field, or, for the last of a batch,
// the batch's end marker's Nats-Last-Sequence.
func (s *Store) scan(ctx context.Context, subject string, start uint64, limit int, fn func(envelope.Envelope, uint64) bool) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultReadTimeout)
		defer cancel()
	}
	inbox := s.nc.NewRespInbox()
	sub, err := s.nc.SubscribeSync(inbox)
	if err != nil {
		return err
	}
	defer func() { _ = sub.Unsubscribe() }()

	read := 0
	var req []byte
	sc := new(envelope.Scratch)
	for {
		batch := readBatch
		if limit > 0 {
			batch = min(batch, limit-read)
		}
		req = appendBatchRequest(req[:0], start, subject, batch)
		if err := s.nc.PublishRequest(s.directGet, inbox, req); err != nil {
			return err
		}
		var (
			pending    envelope.Envelope
			hasPending bool
			prevSeq    = start - 1 // every sequence of this batch is above it
		)
		for {
			msg, err := sub.NextMsgWithContext(ctx)
			if err != nil {
				return err
			}
			if len(msg.Header) == 0 {
				env, err := envelope.Decode(msg.Data, sc)
				if err != nil {
					return &CorruptMessageError{Subject: subject, Reason: fmt.Sprintf("message after sequence %d: %v", prevSeq, err)}
				}
				if err := checkSubject(subject, env.Records[0].Metadata); err != nil {
					return &CorruptMessageError{Subject: subject, Reason: fmt.Sprintf("message after sequence %d: %v", prevSeq, err)}
				}
				if hasPending {
					if env.Prev <= prevSeq {
						return &CorruptMessageError{Subject: subject, Sequence: env.Prev,
							Reason: fmt.Sprintf("the next message names sequence %d as its predecessor, not above %d", env.Prev, prevSeq)}
					}
					prevSeq = env.Prev
					read++
					if !fn(pending, env.Prev) {
						return nil
					}
				}
				pending, hasPending = env, true
				continue
			}
			status := msg.Header.Get("Status")
			switch status {
			case "204": // end of batch
				last, err1 := strconv.ParseUint(msg.Header.Get("Nats-Last-Sequence"), 10, 64)
				left, err2 := strconv.ParseUint(msg.Header.Get("Nats-Num-Pending"), 10, 64)
				if err1 != nil || err2 != nil {
					return fmt.Errorf("direct get of %s: malformed end of batch %v", subject, msg.Header)
				}
				if hasPending {
					if last <= prevSeq {
						return &CorruptMessageError{Subject: subject, Sequence: last,
							Reason: fmt.Sprintf("batch ends at sequence %d, not above %d", last, prevSeq)}
					}
					read++
					if !fn(pending, last) {
						return nil
					}
				}
				if left == 0 || (limit > 0 && read >= limit) || !hasPending {
					return nil
				}
				start = last + 1
			case "404": // no message at or after start
				return nil
			case "503":
				return fmt.Errorf("direct get of %s: no responders: does stream %s exist?", subject, s.cfg.stream)
			default:
				return fmt.Errorf("direct get of %s: status %s %s", subject, status, msg.Header.Get("Description"))
			}
			break
		}
	}
}

// appendBatchRequest encodes a batch direct get request for payloads only.
func appendBatchRequest(b []byte, seq uint64, subject string, batch int) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, `,"next_by_subj":`...)
	b = appendJSONString(b, subject)
	b = append(b, `,"batch":`...)
	b = strconv.AppendInt(b, int64(batch), 10)
	b = append(b, `,"max_bytes":`...)
	b = strconv.AppendInt(b, readMaxBytes, 10)
	return append(b, `,"no_hdr":true}`...)
}

// appendJSONString appends s as a JSON string. Subjects hold no control
// characters (es.ValidateRef), but quotes and backslashes are allowed.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
