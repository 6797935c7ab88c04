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

// defaultTimeout bounds each wait for the server (an acknowledgement, one
// batch of a read) when neither the caller's context nor the JetStream
// context says otherwise.
const defaultTimeout = 10 * time.Second

// Read yields the events of ref whose version is greater than
// from.Version, in order, reading from from.Sequence on with batched direct
// gets of payloads only. See es.Store. Each message's envelope must follow
// the previous one: sequences chained, and versions contiguous. Only the
// first message read, the one at from.Sequence holding from.Version, may
// hold versions up to from.Version (from a position with no sequence,
// every message up to the one holding it). A message that does not fails
// the read with a *CorruptMessageError naming its subject (the
// aggregate), its sequence and its versions. When from.Sequence is not a
// message of ref (the subject was purged, and maybe written again since),
// the read fails with an error matching es.ErrPositionGone and yields no
// record.
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
		var (
			stopped bool
			seen    tip // the last message read that follows the ones before
			// before: no message after the one holding from.Version was
			// read yet. That is the first message read, at from.Sequence;
			// from a position with no sequence, every message up to it.
			before = true
			read   bool // a message was read
		)
		err := s.scan(ctx, subject, max(from.Sequence, 1), 0, func(env envelope.Envelope, seq uint64) bool {
			if !read && from.Sequence > 0 && seq != from.Sequence {
				// The subject's first message from there is after it:
				// the message at the position is gone.
				yield(es.Record{}, positionGone(ref, from, seq))
				stopped = true
				return false
			}
			read = true
			first := env.Records[0].Version
			last := first + uint64(len(env.Records)) - 1
			skip := uint64(0) // records before next
			if before && first < next {
				// The message holding from.Version: the read starts
				// after it, or inside it.
				if last < next {
					seen = tip{seq: seq, version: last}
					before = from.Sequence == 0
					return true
				}
				skip = next - first
			}
			before = false
			if first+skip != next {
				reason := fmt.Sprintf("holds versions %d to %d, expected version %d next", first, last, next)
				if first < next {
					reason = fmt.Sprintf("holds versions %d to %d, repeating versions up to %d read before it", first, last, next-1)
				}
				yield(es.Record{}, &CorruptMessageError{Subject: subject, Sequence: seq, Reason: reason})
				stopped = true
				return false
			}
			seen = tip{seq: seq, version: last}
			for _, rec := range env.Records[skip:] {
				rec.Sequence = seq
				if !yield(rec, nil) {
					stopped = true
					return false
				}
			}
			next = last + 1
			return true
		})
		if seen.seq != 0 {
			// A read that reached the end saw the aggregate's newest message.
			s.tips.set(ref, seen.seq, seen.version, err == nil && !stopped)
		}
		if err != nil && !stopped {
			yield(es.Record{}, fmt.Errorf("jsstore: read %s %q: %w", ref.Type, ref.ID, err))
		} else if err == nil && !stopped && !read && s.cfg.archive != nil && s.readArchived(ctx, ref, from, yield) {
			// Archived: its events come from the archive.
		} else if err == nil && !stopped && !read && from.Sequence > 0 {
			yield(es.Record{}, positionGone(ref, from, 0)) // the subject holds nothing from there
		}
	}
}

// positionGone is the error of a read of ref from a position whose
// message the stream does not hold; next is the subject's first message
// after it, 0 for none.
func positionGone(ref es.Ref, from es.Position, next uint64) error {
	after := "none after it"
	if next > 0 {
		after = "the next is " + strconv.FormatUint(next, 10)
	}
	return fmt.Errorf("jsstore: read %s %q from version %d at sequence %d: %w: the aggregate has no message there (%s): was its subject purged?",
		ref.Type, ref.ID, from.Version, from.Sequence, es.ErrPositionGone, after)
}

// scan reads the messages of subject from stream sequence start on, in
// order, and calls fn with each one's envelope and sequence until fn
// returns false, limit messages were read (0: no limit) or the subject has
// no more. It uses batched direct gets without headers: a message's
// sequence is the next message's prev field, or, for the last of a batch,
// the batch's end marker's Nats-Last-Sequence.
func (s *Store) scan(ctx context.Context, subject string, start uint64, limit int, fn func(envelope.Envelope, uint64) bool) error {
	return s.scanFrom(ctx, subject, start, time.Time{}, limit, fn)
}

// scanSince is scan from the first message stored at or after since.
func (s *Store) scanSince(ctx context.Context, subject string, since time.Time, fn func(envelope.Envelope, uint64) bool) error {
	return s.scanFrom(ctx, subject, 0, since, 0, fn)
}

// scanFrom is scan from sequence start, or, when start is 0, from the
// first message stored at or after since.
func (s *Store) scanFrom(ctx context.Context, subject string, start uint64, since time.Time, limit int, fn func(envelope.Envelope, uint64) bool) error {
	rs, err := s.replies.get(s.nc)
	if err != nil {
		return err
	}
	b := batchReader{sub: rs, subject: subject, limit: limit, fn: fn}
	defer func() { s.replies.put(rs, b.clean) }()
	var req []byte
	for {
		n := readBatch
		if limit > 0 {
			n = min(n, limit-b.read)
		}
		req = appendBatchRequest(req[:0], start, since, subject, n)
		wait, cancel := s.bound(ctx)
		b.clean = false
		err := s.nc.PublishRequest(s.directGet, rs.inbox, req)
		var next uint64
		if err == nil {
			next, err = b.batch(wait, max(start, 1))
		}
		cancel()
		if err != nil || next == 0 {
			return err
		}
		start = next
	}
}

// bound returns ctx, given the store's request timeout when it has no
// deadline, so that no wait for the server hangs.
func (s *Store) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return bound(ctx, s.timeout)
}

// bound returns ctx, given timeout when it has no deadline.
func bound(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, timeout)
}

// batchReader reads the replies to a scan's batch requests.
type batchReader struct {
	sub     *replySub
	subject string
	limit   int
	fn      func(envelope.Envelope, uint64) bool
	read    int  // messages handed to fn
	stopped bool // fn asked to stop
	// clean is set once every reply to the last request was taken: the
	// batch's end marker (or its only reply) came.
	clean bool
	sc    envelope.Scratch
}

// batch reads the replies to one batch request that started at start. It
// returns the sequence to request the next batch from, or 0 when the scan
// is done.
func (b *batchReader) batch(ctx context.Context, start uint64) (uint64, error) {
	var (
		pending    envelope.Envelope
		hasPending bool
		prevSeq    = start - 1 // every sequence of this batch is above it
	)
	// deliver hands the pending message, at sequence seq, to fn.
	deliver := func(seq uint64) bool {
		b.read++
		if !b.fn(pending, seq) {
			b.stopped = true
			return false
		}
		return true
	}
	for {
		msg, err := b.sub.next(ctx)
		if err != nil {
			return 0, err
		}
		if len(msg.Header) == 0 {
			env, err := envelope.Decode(msg.Data, &b.sc)
			if err == nil {
				err = checkSubject(b.subject, env.Records[0].Metadata)
			}
			if err != nil {
				return 0, &CorruptMessageError{Subject: b.subject, Reason: fmt.Sprintf("message after sequence %d: %v", prevSeq, err)}
			}
			if hasPending {
				if env.Prev <= prevSeq {
					return 0, &CorruptMessageError{Subject: b.subject, Sequence: env.Prev,
						Reason: fmt.Sprintf("the next message names sequence %d as its predecessor, not above %d", env.Prev, prevSeq)}
				}
				prevSeq = env.Prev
				if !deliver(env.Prev) {
					return 0, nil
				}
			}
			pending, hasPending = env, true
			continue
		}
		b.clean = true // a status reply is the request's last
		switch status := msg.Header.Get("Status"); status {
		case "204": // end of batch
			last, err1 := strconv.ParseUint(msg.Header.Get("Nats-Last-Sequence"), 10, 64)
			left, err2 := strconv.ParseUint(msg.Header.Get("Nats-Num-Pending"), 10, 64)
			if err1 != nil || err2 != nil {
				return 0, fmt.Errorf("direct get of %s: malformed end of batch %v", b.subject, msg.Header)
			}
			if !hasPending {
				return 0, nil
			}
			if last <= prevSeq {
				return 0, &CorruptMessageError{Subject: b.subject, Sequence: last,
					Reason: fmt.Sprintf("batch ends at sequence %d, not above %d", last, prevSeq)}
			}
			if !deliver(last) || left == 0 || (b.limit > 0 && b.read >= b.limit) {
				return 0, nil
			}
			return last + 1, nil
		case "404": // no message at or after start
			return 0, nil
		case "503":
			return 0, fmt.Errorf("direct get of %s: no responders: is the stream there?", b.subject)
		default:
			return 0, fmt.Errorf("direct get of %s: status %s %s", b.subject, status, msg.Header.Get("Description"))
		}
	}
}

// appendBatchRequest encodes a batch direct get request for payloads only,
// from sequence seq or, when seq is 0, from time since.
func appendBatchRequest(b []byte, seq uint64, since time.Time, subject string, batch int) []byte {
	if seq == 0 {
		b = append(b, `{"start_time":"`...)
		b = since.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	} else {
		b = append(b, `{"seq":`...)
		b = strconv.AppendUint(b, seq, 10)
	}
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
