package jsstore

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
)

var _ es.Scanner = (*Store)(nil)

// scanBatch is how many messages a Scan fetches at a time.
const scanBatch = 512

// Scan yields every record stored after stream sequence after, of every
// aggregate, in the order stored, up to the last message stored when Scan
// is called. See es.Scanner.
//
// It reads the messages on "<prefix>.>" from after on through an ordered
// consumer (an ephemeral consumer the server creates for the read and
// that Scan deletes when it ends), decoding each with DecodeMsg: two
// requests for the last sequence, one for the consumer, and the messages
// themselves, up to scanBatch in flight. Its cost is that of every command
// stored after after, whatever the caller keeps of them.
func (s *Store) Scan(ctx context.Context, after uint64) iter.Seq2[es.Record, error] {
	return func(yield func(es.Record, error) bool) {
		if err := s.scanAll(ctx, after, yield); err != nil {
			yield(es.Record{}, fmt.Errorf("jsstore: scan stream %s after %d: %w", s.cfg.stream, after, err))
		}
	}
}

// scanAll yields the records of the scan; it returns an error to yield,
// or nil.
func (s *Store) scanAll(ctx context.Context, after uint64, yield func(es.Record, error) bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	filter := s.cfg.prefix + ".>"
	wait, cancel := s.bound(ctx)
	stream, err := s.js.Stream(wait, s.cfg.stream)
	var last uint64
	if err == nil {
		var m *jetstream.RawStreamMsg
		m, err = stream.GetLastMsgForSubject(wait, filter)
		switch {
		case errors.Is(err, jetstream.ErrMsgNotFound):
			err = nil
		case err == nil:
			last = m.Sequence
		}
	}
	cancel()
	if err != nil || last <= after {
		return err
	}
	cons, err := s.js.OrderedConsumer(ctx, s.cfg.stream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{filter},
		DeliverPolicy:  jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:    after + 1,
	})
	if err != nil {
		return err
	}
	defer func() {
		if info := cons.CachedInfo(); info != nil {
			del, cancel := s.bound(context.WithoutCancel(ctx))
			_ = s.js.DeleteConsumer(del, s.cfg.stream, info.Name) // else the server drops it once idle
			cancel()
		}
	}()
	msgs, err := cons.Messages(jetstream.PullMaxMessages(scanBatch))
	if err != nil {
		return err
	}
	defer msgs.Stop()
	for {
		// Each message stored up to last comes: a wait for one is bounded
		// by the store's timeout unless ctx says otherwise.
		wait, cancel := s.bound(ctx)
		msg, err := msgs.Next(jetstream.NextContext(wait))
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		if IsTombstone(s.cfg.prefix, msg.Subject(), msg.Data()) {
			// A tombstone holds no events (see ArchiveAggregate).
			if meta, err := msg.Metadata(); err == nil && meta.Sequence.Stream >= last {
				return nil
			}
			continue
		}
		recs, err := DecodeMsg(msg)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if !yield(rec, nil) {
				return nil
			}
		}
		if recs[0].Sequence >= last {
			return nil
		}
	}
}
