package process

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	"github.com/esgen/esgen/runtime/es"
)

// To is a command a process's decision sends, and the aggregate instance it
// is for.
type To[C any] struct {
	ID      string // the aggregate's id, as in an es.Ref
	Command C
}

// Encode makes the Send of a command to a named aggregate: its command
// encoded as JSON.
func Encode[C any](aggregate, command string, to To[C]) (Send, error) {
	if err := es.ValidateID(to.ID); err != nil {
		return Send{}, fmt.Errorf("process: send %s to %s: %w", command, aggregate, err)
	}
	data, err := json.Marshal(to.Command)
	if err != nil {
		return Send{}, fmt.Errorf("process: send %s to %s %q: %w", command, aggregate, to.ID, err)
	}
	return Send{Aggregate: aggregate, ID: to.ID, Command: command, Data: data}, nil
}

// Decode decodes the command of a Send.
func Decode[C any](s Send) (C, error) {
	var c C
	if err := json.Unmarshal(s.Data, &c); err != nil {
		return c, fmt.Errorf("process: %s %q: command %s: %w", s.Aggregate, s.ID, s.Command, err)
	}
	return c, nil
}

// stepJSON is a step as stored: the input's schema version and payload, the
// states and the sends.
type stepJSON struct {
	From    string          `json:"from"`
	To      string          `json:"to"`
	Version int             `json:"input_version"`
	Input   json.RawMessage `json:"input"`
	Sends   []sendJSON      `json:"sends,omitempty"`
}

type sendJSON struct {
	Aggregate string          `json:"aggregate"`
	ID        string          `json:"id"`
	Command   string          `json:"command"`
	Data      json.RawMessage `json:"data"`
}

// EncodeStep encodes a step whose input is already encoded (by its
// aggregate's codec, for an event: payload in its schema version), as
// stored: {"from", "to", "input_version", "input", "sends"}.
func EncodeStep[I any](buf []byte, step Step[I], input es.RawEvent) ([]byte, error) {
	sj := stepJSON{From: step.From, To: step.To, Version: input.SchemaVersion, Input: input.Data}
	for _, s := range step.Sends {
		sj.Sends = append(sj.Sends, sendJSON{Aggregate: s.Aggregate, ID: s.ID, Command: s.Command, Data: s.Data})
	}
	data, err := json.Marshal(sj)
	if err != nil {
		return nil, err
	}
	return append(buf, data...), nil
}

// DecodeStep decodes a stored step; input decodes its input from the
// schema version and payload it was stored in.
func DecodeStep[I any](data []byte, input func(version int, data []byte) (I, error)) (Step[I], error) {
	var sj stepJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sj); err != nil {
		return Step[I]{}, fmt.Errorf("%w: step: %w", es.ErrCorruptEvent, err)
	}
	in, err := input(sj.Version, sj.Input)
	if err != nil {
		return Step[I]{}, err
	}
	step := Step[I]{Input: in, From: sj.From, To: sj.To}
	for _, s := range sj.Sends {
		step.Sends = append(step.Sends, Send{Aggregate: s.Aggregate, ID: s.ID, Command: s.Command, Data: []byte(s.Data)})
	}
	return step, nil
}

// DecodeJSON decodes a process's own input (a refusal, a timer) stored in
// schema version 1 as JSON.
func DecodeJSON[T any](version int, data []byte) (T, error) {
	var v T
	if version != 1 {
		return v, fmt.Errorf("%w: schema version %s", es.ErrUnknownSchemaVersion, strconv.Itoa(version))
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, fmt.Errorf("%w: %w", es.ErrCorruptEvent, err)
	}
	return v, nil
}

// Holds reports whether records, an aggregate's history, hold the events of
// the command stored under commandID: its first event's id.
func Holds(records []es.Record, commandID string) bool {
	first := es.EventID(commandID, 0)
	for _, rec := range records {
		if rec.EventID == first {
			return true
		}
	}
	return false
}

// EqualJSON reports whether two JSON texts hold equal values (objects
// compared by their members, whatever their order). Texts that are not
// JSON are equal when their bytes are.
func EqualJSON(a, b []byte) bool {
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(va, vb)
}
