package jsstore

import (
	"fmt"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
)

// CorruptMessageError reports a stream message that is not a well-formed
// esgen envelope, or whose content contradicts its subject or its
// neighbours. errors.Is(err, es.ErrCorruptEvent) holds.
type CorruptMessageError struct {
	Subject  string
	Sequence uint64 // stream sequence, 0 when unknown
	Reason   string
}

// Error names the message by sequence and subject, and says what is wrong.
func (e *CorruptMessageError) Error() string {
	return fmt.Sprintf("jsstore: message %d on %s: %s", e.Sequence, e.Subject, e.Reason)
}

// Is makes errors.Is(err, es.ErrCorruptEvent) true.
func (e *CorruptMessageError) Is(target error) bool { return target == es.ErrCorruptEvent }

// Decode decodes one stored stream message, given its subject, stream
// sequence and payload, into the records of the events it holds: one
// message holds every event of one command, in order, and every record
// gets sequence as its Sequence. The records' payloads share memory with
// data. A payload that is not a valid envelope, or whose aggregate does not
// match the subject, fails with a *CorruptMessageError.
func Decode(subject string, sequence uint64, data []byte) ([]es.Record, error) {
	env, err := envelope.Decode(data, nil)
	if err != nil {
		return nil, &CorruptMessageError{Subject: subject, Sequence: sequence, Reason: err.Error()}
	}
	if err := checkSubject(subject, env.Records[0].Metadata); err != nil {
		return nil, &CorruptMessageError{Subject: subject, Sequence: sequence, Reason: err.Error()}
	}
	for i := range env.Records {
		env.Records[i].Sequence = sequence
	}
	return env.Records, nil
}

// DecodeMsg decodes a message delivered by a JetStream consumer (or
// fetched from the stream) with Decode, taking its stream sequence from the
// message's metadata.
func DecodeMsg(msg jetstream.Msg) ([]es.Record, error) {
	meta, err := msg.Metadata()
	if err != nil {
		return nil, &CorruptMessageError{Subject: msg.Subject(), Reason: "no stream metadata: " + err.Error()}
	}
	return Decode(msg.Subject(), meta.Sequence.Stream, msg.Data())
}

// checkSubject makes sure a message's envelope names the aggregate its
// subject addresses ("<prefix>.<type>.<id>").
func checkSubject(subject string, m es.Metadata) error {
	tail := "." + m.AggregateType + "." + m.AggregateID
	if !strings.HasSuffix(subject, tail) || len(subject) == len(tail) {
		return fmt.Errorf("envelope of %s %q does not belong on this subject", m.AggregateType, m.AggregateID)
	}
	return nil
}
