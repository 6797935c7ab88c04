package es_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/esgen/esgen/runtime/es"
)

// A tiny hand-written aggregate for the Repository's tests: a door that is
// opened, closed, and locked with a code. Locking an open door emits
// Closed then Locked (two events, one command).

type door struct {
	Open   bool
	Locked bool
	Code   int
	Moves  int
}

type doorCmd interface{ isDoorCmd() }

type (
	openDoor   struct{}
	closeDoor  struct{}
	lockDoor   struct{ Code int }
	unlockDoor struct{ Code int }
)

func (openDoor) isDoorCmd()   {}
func (closeDoor) isDoorCmd()  {}
func (lockDoor) isDoorCmd()   {}
func (unlockDoor) isDoorCmd() {}

type doorEvent interface{ isDoorEvent() }

type (
	opened   struct{}
	closed   struct{}
	locked   struct{ Code int }
	unlocked struct{}
)

func (opened) isDoorEvent()   {}
func (closed) isDoorEvent()   {}
func (locked) isDoorEvent()   {}
func (unlocked) isDoorEvent() {}

var errWrongCode = errors.New("wrong code")

func doorState(d door) string {
	switch {
	case d.Locked:
		return "Locked"
	case d.Open:
		return "Open"
	}
	return "Closed"
}

func decideDoor(_ context.Context, d door, cmd doorCmd, events []doorEvent) ([]doorEvent, error) {
	invalid := func(c string) error {
		return &es.InvalidTransitionError{Aggregate: "Door", State: doorState(d), Command: c}
	}
	switch c := cmd.(type) {
	case openDoor:
		if d.Open || d.Locked {
			return nil, invalid("Open")
		}
		return append(events, opened{}), nil
	case closeDoor:
		if !d.Open {
			return nil, nil // already closed: nothing to do
		}
		return append(events, closed{}), nil
	case lockDoor:
		switch {
		case d.Locked:
			return nil, invalid("Lock")
		case d.Open:
			return append(events, closed{}, locked(c)), nil
		}
		return append(events, locked(c)), nil
	case unlockDoor:
		if !d.Locked {
			return nil, invalid("Unlock")
		}
		if c.Code != d.Code {
			return nil, errWrongCode
		}
		return append(events, unlocked{}), nil
	}
	return nil, fmt.Errorf("unknown command %T", cmd)
}

func evolveDoor(d door, e doorEvent) (door, error) {
	bad := func() (door, error) {
		return d, &es.InvalidEvolutionError{Aggregate: "Door", State: doorState(d), Event: fmt.Sprintf("%T", e)}
	}
	switch e := e.(type) {
	case opened:
		if d.Open || d.Locked {
			return bad()
		}
		d.Open = true
	case closed:
		if !d.Open {
			return bad()
		}
		d.Open = false
	case locked:
		if d.Open || d.Locked {
			return bad()
		}
		d.Locked, d.Code = true, e.Code
	case unlocked:
		if !d.Locked {
			return bad()
		}
		d.Locked, d.Code = false, 0
	}
	d.Moves++
	return d, nil
}

type doorCodec struct{}

func (doorCodec) Encode(_ []byte, e doorEvent) (es.RawEvent, error) {
	switch e := e.(type) {
	case opened:
		return es.RawEvent{Type: "Opened", SchemaVersion: 1, Data: []byte(`{}`)}, nil
	case closed:
		return es.RawEvent{Type: "Closed", SchemaVersion: 1, Data: []byte(`{}`)}, nil
	case locked:
		return es.RawEvent{Type: "Locked", SchemaVersion: 1, Data: []byte(`{"code":` + strconv.Itoa(e.Code) + `}`)}, nil
	case unlocked:
		return es.RawEvent{Type: "Unlocked", SchemaVersion: 1, Data: []byte(`{}`)}, nil
	}
	return es.RawEvent{}, fmt.Errorf("unknown event %T", e)
}

func (doorCodec) Decode(typ string, v int, data []byte) (doorEvent, error) {
	if v != 1 {
		return nil, &es.DecodeError{EventType: typ, SchemaVersion: v, Err: es.ErrUnknownSchemaVersion}
	}
	switch typ {
	case "Opened":
		return opened{}, nil
	case "Closed":
		return closed{}, nil
	case "Locked":
		s, ok := strings.CutPrefix(string(data), `{"code":`)
		s, ok2 := strings.CutSuffix(s, "}")
		n, err := strconv.Atoi(s)
		if !ok || !ok2 || err != nil {
			return nil, &es.DecodeError{EventType: typ, SchemaVersion: v, Err: fmt.Errorf("%w: %q", es.ErrCorruptEvent, data)}
		}
		return locked{Code: n}, nil
	case "Unlocked":
		return unlocked{}, nil
	}
	return nil, &es.DecodeError{EventType: typ, SchemaVersion: v, Err: es.ErrUnknownEventType}
}

type doorStates struct{ schema string }

func (c doorStates) StateSchema() string { return c.schema }

func (doorStates) EncodeState(d door) ([]byte, error) {
	return fmt.Appendf(nil, "%t %t %d %d", d.Open, d.Locked, d.Code, d.Moves), nil
}

func (doorStates) DecodeState(b []byte) (door, error) {
	var d door
	_, err := fmt.Sscanf(string(b), "%t %t %d %d", &d.Open, &d.Locked, &d.Code, &d.Moves)
	return d, err
}

func doorDefinition(snapshotEvery uint64) es.Definition[door, doorCmd, doorEvent] {
	return es.Definition[door, doorCmd, doorEvent]{
		Type:          "Door",
		Initial:       func() door { return door{} },
		Decide:        decideDoor,
		Evolve:        evolveDoor,
		Events:        doorCodec{},
		States:        doorStates{schema: "door/1"},
		SnapshotEvery: snapshotEvery,
	}
}
