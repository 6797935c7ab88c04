package wire

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
)

// ReadOptions say what Read reads.
type ReadOptions struct {
	// Stream is the stream's name, e.g. jsstore.DefaultStream.
	Stream string
	// Filter is a subject filter ("events.Order.*", "events.>"); empty
	// reads every subject of the stream.
	Filter string
	// After skips the messages up to this stream sequence.
	After uint64
	// Follow goes on yielding messages stored after Read was called,
	// until ctx ends. Without it, Read ends with the last message stored
	// when it was called.
	Follow bool
}

// readBatch is how many messages Read asks the server for at a time.
const readBatch = 512

// Read yields the messages of a stream in the order stored, each decoded
// with Decode. A message that does not decode ends the read with its
// *jsstore.CorruptMessageError. When ctx ends, Read yields its error.
//
// It reads through an ordered consumer, an ephemeral consumer held in the
// server's memory that Read deletes when it ends: the stream itself is
// never written to. A stream that does not exist fails with an error
// *StreamNotFoundError.
func Read(ctx context.Context, js jetstream.JetStream, o ReadOptions) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		if err := read(ctx, js, o, yield); err != nil {
			yield(Message{}, err)
		}
	}
}

func read(ctx context.Context, js jetstream.JetStream, o ReadOptions, yield func(Message, error) bool) error {
	stream, err := js.Stream(ctx, o.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return notFound(ctx, js, o.Stream)
	}
	if err != nil {
		return fmt.Errorf("stream %s: %w", o.Stream, err)
	}
	var last uint64 // the last message to read without Follow
	if !o.Follow {
		if o.Filter == "" {
			last = stream.CachedInfo().State.LastSeq
		} else {
			m, err := stream.GetLastMsgForSubject(ctx, o.Filter)
			switch {
			case errors.Is(err, jetstream.ErrMsgNotFound):
			case err != nil:
				return fmt.Errorf("stream %s: last message on %s: %w", o.Stream, o.Filter, err)
			default:
				last = m.Sequence
			}
		}
		if last <= o.After {
			return nil
		}
	}
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy}
	if o.Filter != "" {
		cfg.FilterSubjects = []string{o.Filter}
	}
	if o.After > 0 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, o.After+1
	}
	cons, err := js.OrderedConsumer(ctx, o.Stream, cfg)
	if err != nil {
		return fmt.Errorf("stream %s: %w", o.Stream, err)
	}
	defer func() {
		if info := cons.CachedInfo(); info != nil {
			_ = js.DeleteConsumer(context.WithoutCancel(ctx), o.Stream, info.Name) // else the server drops it once idle
		}
	}()
	msgs, err := cons.Messages(jetstream.PullMaxMessages(readBatch))
	if err != nil {
		return fmt.Errorf("stream %s: %w", o.Stream, err)
	}
	defer msgs.Stop()
	for {
		msg, err := msgs.Next(jetstream.NextContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("stream %s: %w", o.Stream, err)
		}
		meta, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("stream %s: message on %s: %w", o.Stream, msg.Subject(), err)
		}
		m, err := Decode(msg.Subject(), meta.Sequence.Stream, msg.Data())
		if err != nil {
			return err
		}
		if !yield(m, nil) {
			return nil
		}
		if !o.Follow && m.Sequence >= last {
			return nil
		}
	}
}

// StreamNotFoundError reports a stream that is not on the server, and
// names those that are. errors.Is(err, jetstream.ErrStreamNotFound) holds.
type StreamNotFoundError struct {
	Stream string
	Have   []string // the server's streams, sorted
}

// Error names the stream and the server's streams.
func (e *StreamNotFoundError) Error() string {
	if len(e.Have) == 0 {
		return fmt.Sprintf("stream %s not found: the server has no streams", e.Stream)
	}
	return fmt.Sprintf("stream %s not found: the server has %s", e.Stream, strings.Join(e.Have, ", "))
}

// Is makes errors.Is(err, jetstream.ErrStreamNotFound) true.
func (e *StreamNotFoundError) Is(target error) bool { return target == jetstream.ErrStreamNotFound }

// notFound is the error of a missing stream, naming those there are.
func notFound(ctx context.Context, js jetstream.JetStream, stream string) error {
	var names []string
	lister := js.StreamNames(ctx)
	for n := range lister.Name() {
		names = append(names, n)
	}
	slices.Sort(names)
	return &StreamNotFoundError{Stream: stream, Have: names}
}
