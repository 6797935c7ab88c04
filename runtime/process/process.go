// Package process runs process managers: machines that react to the
// events of aggregates, to the refusal of the commands they sent and to
// time, by sending commands to aggregates. esgen generates a process's
// Definition from its .esm declaration (`process Fulfilment { ... }`);
// this package runs it.
//
// A process is event-sourced like an aggregate: each input it handles is
// decided into a Step (the input, the state it moves to, the commands to
// send), stored as one event of the process's own stream before any
// command is sent (the transactional outbox), then the commands are
// dispatched to their aggregates with command ids derived from the step,
// so that a step dispatched twice (after a crash, a redelivery) appends
// nothing twice.
//
// # Running a process
//
// NewRunner binds a Definition to the event store and to durable timers.
// The Runner handles stored events of the process's sources (Handle, fed
// by the durable consumer Consumer returns, or in memory by a Feed), the
// firings of its timers (HandleFiring) and the refusals of the commands
// it sends; Run runs the consumer and the timers together. Trail reads
// the records of one business transaction back, across every aggregate
// and process.
//
// # Exactly once in effect
//
// Every step's command id is derived from its cause: "in:<type>.<id>.<event
// id>" for an event, "rej:<step's event id>.<n>" for the refusal of the
// step's command n, "tm:<timer>.<version>" for a timer's firing; every
// command a step sends has the id "<process>.<id>.<step's event id>.<n>".
// The runner knows the input ids of every step of the instances it
// loaded (read whole, once per instance, when it first handles an input
// of it; the read also gives the repository the instance's state), so an
// input delivered again, at any age (a crash, a consumer reset long past
// the store's dedupe window), is never decided twice: its stored step is
// found, and each of its commands the runner does not know sent is sent
// again only when Definition.Sent says its aggregate does not hold it.
// An input only the initial state accepts (Definition.Machine.Creates),
// of an instance the runner does not know, is decided without a read:
// its append succeeds only if the instance has no step.
//
// A command the target refuses (es.IsRefusal: its decision's error, or an
// invalid transition) becomes Definition.Rejected's input, handled like
// any other; a refusal the process has no reaction to is logged at ERROR
// (the process is stuck), never dropped silently. Any other failure is
// retried with backoff, then fails the input, which its consumer (or its
// timer) delivers again. A step that enters a state with timers arms them
// (due the step's time plus the timer's duration, carrying the step's
// version); a firing for a state the instance has left since does
// nothing. See docs/processes.md.
package process

import (
	"context"
	"time"

	"github.com/esgen/esgen/runtime/es"
)

// Send is one command a step sends to an aggregate, as it is stored with
// the step: its target and its encoded command.
type Send struct {
	Aggregate string // the target's aggregate type, "Payment"
	ID        string // the target instance's id, as in an es.Ref
	Command   string // the command's name, "RequestPayment"
	Data      []byte // the command, as JSON
}

// Step is one input a process handled, stored as one event of the process
// (aggregate type: the process's name; event type: the input's name).
type Step[I any] struct {
	Input I
	// From and To are the names of the states before and after the step.
	From, To string
	// Sends are the commands the step sends, in order.
	Sends []Send
}

// Timer is a timer of a state of a process: when the process has been in
// the state for After, the timer's input is handled.
type Timer[I any] struct {
	Name  string // as the .esm names it, "PaymentOverdue"
	After time.Duration
	// Input makes the timer's input, given its due time.
	Input func(due time.Time) I
}

// Definition is what a Runner needs to know of one process type. esgen
// generates it (New<Process>Definition) from the .esm.
type Definition[S, I any] struct {
	// Machine is the process as an event-sourced machine: its Type is the
	// process's name, its Decide turns an input into exactly one step (or an
	// error: an input the state does not accept is an
	// *es.InvalidTransitionError), its Evolve applies a step, its Events
	// codec stores steps.
	Machine es.Definition[S, I, Step[I]]
	// Sources are the aggregate types whose events the process reacts to.
	Sources []string
	// Input makes the input of a stored event of a source: the id of the
	// process instance the event belongs to (its correlation) and the
	// input. ok is false for an event the process does not react to.
	Input func(rec es.Record) (id string, in I, ok bool, err error)
	// Rejected makes the input of a command the process sent and its
	// aggregate refused with err (a decision's error, or an invalid
	// transition). ok is false when the process has no reaction to the
	// refusal of that command.
	Rejected func(s Send, err error) (in I, ok bool)
	// Timers are the timers of each state, by the state's name.
	Timers map[string][]Timer[I]
	// StateName names a state as the .esm does.
	StateName func(S) string
	// Dispatch sends one command to its aggregate through the
	// application's repositories, with the handle options the runner gives
	// it (a command id, the correlation and causation ids).
	Dispatch func(ctx context.Context, s Send, opts ...es.HandleOption) error
	// Sent reports whether the aggregate holds the command stored under
	// commandID, at any age: before sending again the commands of a step
	// that an earlier delivery stored (and may have sent), the runner asks,
	// so that no command is applied twice, even past a store's dedupe
	// window.
	Sent func(ctx context.Context, s Send, commandID string) (bool, error)
}
