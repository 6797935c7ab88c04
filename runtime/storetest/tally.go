package storetest

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"github.com/esgen/esgen/runtime/es"
)

// Tally is a tiny hand-written aggregate for tests and benchmarks of stores
// through es.Repository: a running total that numbers are added to until it
// is closed. Its codecs are hand-written JSON without reflection, as
// generated ones are, so that benchmarks measure the runtime, not
// encoding/json. Added has two schema versions: v1 {"value":N} is upcast to
// v2 {"n":N}.
type Tally struct {
	Total  int64
	Adds   int // number of Added events applied
	Closed bool
}

// TallyCommand is a command to a Tally: Add, AddAll or Close.
type TallyCommand interface{ isTallyCommand() }

// Add adds N.
type Add struct{ N int64 }

// AddAll adds each number, one event each, in one command.
type AddAll struct{ Ns []int64 }

// Close closes the tally; a closed tally accepts no command.
type Close struct{}

func (Add) isTallyCommand()    {}
func (AddAll) isTallyCommand() {}
func (Close) isTallyCommand()  {}

// TallyEvent is an event of a Tally: Added or Closed.
type TallyEvent interface{ isTallyEvent() }

// Added records a number added.
type Added struct{ N int64 }

// Closed records the tally closed.
type Closed struct{}

func (Added) isTallyEvent()  {}
func (Closed) isTallyEvent() {}

// TallyDefinition returns the Tally aggregate's definition, snapshotting
// every snapshotEvery events (0: never).
func TallyDefinition(snapshotEvery uint64) es.Definition[Tally, TallyCommand, TallyEvent] {
	return es.Definition[Tally, TallyCommand, TallyEvent]{
		Type:          "Tally",
		Initial:       func() Tally { return Tally{} },
		Decide:        decideTally,
		Evolve:        evolveTally,
		Events:        TallyEventCodec{},
		States:        TallyStateCodec{},
		SnapshotEvery: snapshotEvery,
	}
}

func decideTally(_ context.Context, s Tally, cmd TallyCommand, events []TallyEvent) ([]TallyEvent, error) {
	state := "Open"
	if s.Closed {
		state = "Closed"
	}
	switch c := cmd.(type) {
	case Add:
		if !s.Closed {
			return append(events, Added(c)), nil
		}
		return nil, &es.InvalidTransitionError{Aggregate: "Tally", State: state, Command: "Add"}
	case AddAll:
		if !s.Closed {
			for _, n := range c.Ns {
				events = append(events, Added{N: n})
			}
			return events, nil
		}
		return nil, &es.InvalidTransitionError{Aggregate: "Tally", State: state, Command: "AddAll"}
	case Close:
		if !s.Closed {
			return append(events, Closed{}), nil
		}
		return nil, &es.InvalidTransitionError{Aggregate: "Tally", State: state, Command: "Close"}
	}
	return nil, fmt.Errorf("tally: unknown command %T", cmd)
}

func evolveTally(s Tally, e TallyEvent) (Tally, error) {
	if s.Closed {
		return s, &es.InvalidEvolutionError{Aggregate: "Tally", State: "Closed", Event: fmt.Sprintf("%T", e)}
	}
	switch e := e.(type) {
	case Added:
		s.Total += e.N
		s.Adds++
	case Closed:
		s.Closed = true
	}
	return s, nil
}

// TallyEventCodec is the Tally's es.EventCodec.
type TallyEventCodec struct{}

// Encode encodes Added as {"n":N} (schema version 2) and Closed as {}.
func (TallyEventCodec) Encode(_ []byte, e TallyEvent) (es.RawEvent, error) {
	switch e := e.(type) {
	case Added:
		b := make([]byte, 0, 24)
		b = append(b, `{"n":`...)
		b = strconv.AppendInt(b, e.N, 10)
		return es.RawEvent{Type: "Added", SchemaVersion: 2, Data: append(b, '}')}, nil
	case Closed:
		return es.RawEvent{Type: "Closed", SchemaVersion: 1, Data: []byte("{}")}, nil
	}
	return es.RawEvent{}, fmt.Errorf("tally: unknown event %T", e)
}

// Decode decodes Added v1 {"value":N} (upcast) and v2 {"n":N}, and Closed v1.
func (TallyEventCodec) Decode(eventType string, schemaVersion int, data []byte) (TallyEvent, error) {
	switch eventType {
	case "Added":
		var prefix string
		switch schemaVersion {
		case 1:
			prefix = `{"value":`
		case 2:
			prefix = `{"n":`
		default:
			return nil, &es.DecodeError{EventType: eventType, SchemaVersion: schemaVersion, Err: es.ErrUnknownSchemaVersion}
		}
		num, ok := bytes.CutPrefix(data, []byte(prefix))
		if ok {
			num, ok = bytes.CutSuffix(num, []byte("}"))
		}
		n, okNum := parseInt(num)
		if !ok || !okNum {
			return nil, &es.DecodeError{EventType: eventType, SchemaVersion: schemaVersion,
				Err: fmt.Errorf("%w: payload %q", es.ErrCorruptEvent, data)}
		}
		return Added{N: n}, nil
	case "Closed":
		if schemaVersion != 1 {
			return nil, &es.DecodeError{EventType: eventType, SchemaVersion: schemaVersion, Err: es.ErrUnknownSchemaVersion}
		}
		if string(data) != "{}" {
			return nil, &es.DecodeError{EventType: eventType, SchemaVersion: schemaVersion,
				Err: fmt.Errorf("%w: payload %q", es.ErrCorruptEvent, data)}
		}
		return Closed{}, nil
	}
	return nil, &es.DecodeError{EventType: eventType, SchemaVersion: schemaVersion, Err: es.ErrUnknownEventType}
}

// parseInt parses a decimal int64 without allocating.
func parseInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// TallyStateCodec is the Tally's es.StateCodec: "total adds closed" as text.
type TallyStateCodec struct{}

// StateSchema names the state encoding.
func (TallyStateCodec) StateSchema() string { return "tally/1" }

// EncodeState encodes s.
func (TallyStateCodec) EncodeState(s Tally) ([]byte, error) {
	return fmt.Appendf(nil, "%d %d %t", s.Total, s.Adds, s.Closed), nil
}

// DecodeState decodes what EncodeState encoded.
func (TallyStateCodec) DecodeState(data []byte) (Tally, error) {
	var s Tally
	if _, err := fmt.Sscanf(string(data), "%d %d %t", &s.Total, &s.Adds, &s.Closed); err != nil {
		return Tally{}, fmt.Errorf("tally state %q: %w", data, err)
	}
	return s, nil
}
