package wire

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/jsstore"
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
	// Tombstones yields the tombstones of archived aggregates too, as
	// messages with Archived set (and no records); without it Read skips
	// them. A Filter naming aggregates' subjects ("events.Order.o-1",
	// "events.Order.*") then takes their tombstones too
	// ("events.archived.Order.o-1"...): an aggregate that is archived is
	// seen as such.
	Tombstones bool
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
	var filters []string
	if o.Filter != "" {
		filters = []string{o.Filter}
		if o.Tombstones {
			if t := tombstoneFilter(stream.CachedInfo().Config.Subjects, o.Filter); t != "" {
				filters = append(filters, t)
			}
		}
	}
	var last uint64 // the last message to read without Follow
	if !o.Follow {
		if len(filters) == 0 {
			last = stream.CachedInfo().State.LastSeq
		}
		for _, f := range filters {
			m, err := stream.GetLastMsgForSubject(ctx, f)
			switch {
			case errors.Is(err, jetstream.ErrMsgNotFound):
			case err != nil:
				return fmt.Errorf("stream %s: last message on %s: %w", o.Stream, f, err)
			default:
				last = max(last, m.Sequence)
			}
		}
		if last <= o.After {
			return nil
		}
	}
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy, FilterSubjects: filters}
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
		if isTombstone(msg.Subject(), msg.Data()) {
			if o.Tombstones {
				m, err := decodeTombstone(msg.Subject(), meta.Sequence.Stream, o.Stream, meta.Timestamp, msg.Data())
				if err != nil {
					return err
				}
				if !yield(m, nil) {
					return nil
				}
			}
			if !o.Follow && meta.Sequence.Stream >= last {
				return nil
			}
			continue
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

// isTombstone reports whether a message is the tombstone of an archived
// aggregate ("<prefix>.archived.<type>.<id>", a JSON object; see
// jsstore.Tombstone), which holds no events: an envelope starts with
// the byte 0xE5, never with '{'.
func isTombstone(subject string, data []byte) bool {
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	toks := strings.Split(subject, ".")
	return len(toks) >= 4 && toks[len(toks)-3] == "archived"
}

// tombstoneFilter returns the filter of the tombstones of the aggregates
// whose subjects filter takes, on a stream with subjects "<prefix>.>": ""
// when filter takes them already ("<prefix>.>", "<prefix>.*.>"), names
// tombstones itself ("<prefix>.archived.>"), or is not under the prefix.
func tombstoneFilter(subjects []string, filter string) string {
	if len(subjects) != 1 || !strings.HasSuffix(subjects[0], ".>") {
		return ""
	}
	prefix := strings.TrimSuffix(subjects[0], ">")
	rest, ok := strings.CutPrefix(filter, prefix)
	if !ok {
		return ""
	}
	toks := strings.Split(rest, ".")
	switch {
	case toks[0] == ">" || toks[0] == "archived",
		toks[0] == "*" && toks[len(toks)-1] == ">":
		return ""
	}
	return prefix + "archived." + rest
}

// decodeTombstone returns the message of a tombstone stored at sequence on
// subject of stream at time t.
func decodeTombstone(subject string, sequence uint64, stream string, t time.Time, data []byte) (Message, error) {
	toks := strings.Split(subject, ".")
	prefix := strings.Join(toks[:len(toks)-3], ".")
	ref, tomb, ok, err := jsstore.ParseTombstone(prefix, subject, sequence, data)
	if err != nil {
		return Message{}, err
	}
	if !ok {
		return Message{}, &jsstore.CorruptMessageError{Subject: subject, Sequence: sequence, Reason: "not a tombstone"}
	}
	return Message{Subject: subject, Sequence: sequence, Archived: &Archived{
		Ref: ref, Subject: prefix + "." + ref.Type + "." + ref.ID, Tombstone: tomb, Time: t.UTC(), Object: jsstore.ArchiveObject(stream, ref),
	}}, nil
}
