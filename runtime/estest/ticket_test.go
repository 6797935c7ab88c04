package estest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/esgen/esgen/runtime/es"
)

// A tiny hand-written aggregate, shaped like generated code: sealed state,
// command and event sets with unexported marker methods.

type TicketState interface{ isTicketState() }

type None struct{}

type Open struct {
	Title  string
	Opened time.Time
}

type Closed struct {
	Title  string
	Reason string
}

func (None) isTicketState()   {}
func (Open) isTicketState()   {}
func (Closed) isTicketState() {}

type TicketCommand interface{ isTicketCommand() }

type OpenTicket struct {
	Title string
	At    time.Time
}

type CloseTicket struct{ Reason string }

// Rename to the same title emits nothing; to "twice" it emits a second,
// invalid event, so that tests can see an emitted event Evolve rejects.
type Rename struct{ Title string }

type Tag struct{ Tag string }

func (OpenTicket) isTicketCommand()  {}
func (CloseTicket) isTicketCommand() {}
func (Rename) isTicketCommand()      {}
func (Tag) isTicketCommand()         {}

type TicketEvent interface{ isTicketEvent() }

type TicketOpened struct {
	Title string
	At    time.Time
}

type TicketClosed struct{ Reason string }

type TicketRenamed struct{ Title string }

// TicketTagged has an unexported field go-cmp cannot compare unaided.
type TicketTagged struct{ tag string }

func (TicketOpened) isTicketEvent()  {}
func (TicketClosed) isTicketEvent()  {}
func (TicketRenamed) isTicketEvent() {}
func (TicketTagged) isTicketEvent()  {}

var errEmptyTitle = errors.New("ticket: title is empty")

type ctxKey struct{}

func ticketDefinition() es.Definition[TicketState, TicketCommand, TicketEvent] {
	return es.Definition[TicketState, TicketCommand, TicketEvent]{
		Type:    "Ticket",
		Initial: func() TicketState { return None{} },
		Decide:  decideTicket,
		Evolve:  evolveTicket,
	}
}

func decideTicket(ctx context.Context, s TicketState, c TicketCommand, events []TicketEvent) ([]TicketEvent, error) {
	if rec, ok := ctx.Value(ctxKey{}).(*context.Context); ok {
		*rec = ctx
	}
	switch s := s.(type) {
	case None:
		if c, ok := c.(OpenTicket); ok {
			if c.Title == "" {
				return nil, fmt.Errorf("open: %w", errEmptyTitle)
			}
			return append(events, TicketOpened(c)), nil
		}
	case Open:
		switch c := c.(type) {
		case CloseTicket:
			return append(events, TicketClosed(c)), nil
		case Rename:
			switch c.Title {
			case s.Title:
				return nil, nil
			case "twice":
				return append(events, TicketRenamed(c), TicketOpened{Title: c.Title}), nil
			}
			return append(events, TicketRenamed(c)), nil
		case Tag:
			return append(events, TicketTagged{tag: c.Tag}), nil
		}
	}
	return nil, &es.InvalidTransitionError{Aggregate: "Ticket", State: fmt.Sprintf("%T", s), Command: fmt.Sprintf("%T", c)}
}

func evolveTicket(s TicketState, e TicketEvent) (TicketState, error) {
	switch s := s.(type) {
	case None:
		if e, ok := e.(TicketOpened); ok {
			return Open{Title: e.Title, Opened: e.At}, nil
		}
	case Open:
		switch e := e.(type) {
		case TicketClosed:
			return Closed{Title: s.Title, Reason: e.Reason}, nil
		case TicketRenamed:
			return Open{Title: e.Title, Opened: s.Opened}, nil
		case TicketTagged:
			return s, nil
		}
	}
	return nil, &es.InvalidEvolutionError{Aggregate: "Ticket", State: fmt.Sprintf("%T", s), Event: fmt.Sprintf("%T", e)}
}
