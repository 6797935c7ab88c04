package wire

import (
	"fmt"
	"strings"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
	"github.com/esgen/esgen/runtime/jsstore"
)

// Message is one stored message of an esgen event stream: every event of
// one command, in order, with the message's place in the stream.
type Message struct {
	Subject  string // "<prefix>.<aggregate type>.<aggregate id>"
	Sequence uint64 // the stream sequence, shared by the message's events
	// Prev is the stream sequence of the aggregate's previous message,
	// 0 for its first.
	Prev      uint64
	CommandID string
	// Records are the command's events, each with its full metadata;
	// Sequence is set on each. Their payloads share memory with the
	// decoded bytes.
	Records []es.Record
}

// Decode decodes the payload of the message stored at sequence on
// subject. A payload that is not a valid envelope (docs/wire-format.md),
// or whose aggregate is not the one the subject addresses, fails with a
// *jsstore.CorruptMessageError (errors.Is(err, es.ErrCorruptEvent)).
func Decode(subject string, sequence uint64, data []byte) (Message, error) {
	env, err := envelope.Decode(data, nil)
	if err != nil {
		return Message{}, &jsstore.CorruptMessageError{Subject: subject, Sequence: sequence, Reason: err.Error()}
	}
	m := env.Records[0].Metadata
	if tail := "." + m.AggregateType + "." + m.AggregateID; !strings.HasSuffix(subject, tail) || len(subject) == len(tail) {
		return Message{}, &jsstore.CorruptMessageError{Subject: subject, Sequence: sequence,
			Reason: fmt.Sprintf("envelope of %s %q does not belong on this subject", m.AggregateType, m.AggregateID)}
	}
	for i := range env.Records {
		env.Records[i].Sequence = sequence
	}
	return Message{Subject: subject, Sequence: sequence, Prev: env.Prev, CommandID: env.CommandID, Records: env.Records}, nil
}
