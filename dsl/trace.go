package dsl

import (
	"strings"
)

// Trace is the counterexample of a finding of the liveness and protocol
// analysis: the shortest run from the initial state of an aggregate or a
// process that shows it. Explain prints it as a given-when-then test.
type Trace struct {
	// Aggregate is the machine the run is of, for an aggregate's finding;
	// Process for a process's. Exactly one is set.
	Aggregate *Aggregate
	Process   *Process
	// Steps are the run, in order. A process's run may interleave the
	// moves of the aggregates it follows by id.
	Steps []TraceStep
	// Loop is the index of the first step of a cycle the run may repeat
	// forever (E045), -1 when the run has none.
	Loop int
	// End says, in one sentence, what holds at the end of the run.
	End string
}

// TraceStepKind says what a step of a run is.
type TraceStepKind int

const (
	// StepCommand is a command an aggregate handles: Aggregate, Command,
	// AggFrom, AggTo, Events. In a process's run, the process then takes
	// the first event as its input (Input set) or ignores it.
	StepCommand TraceStepKind = iota + 1
	// StepEvent is a further event of the branch of the step before it,
	// delivered to the process (Events has the one event).
	StepEvent
	// StepInput is an input of a process that does not come from an
	// aggregate it follows by id: an event of another aggregate, or a
	// timer firing.
	StepInput
	// StepRefused is a command the process sent that its aggregate
	// refused, and the process's reaction to the refusal (Input).
	StepRefused
	// StepAccepted is a command the process sent that its aggregate
	// accepted: the aggregate's events are on their way.
	StepAccepted
)

// TraceStep is one step of a run.
type TraceStep struct {
	Kind TraceStepKind
	// Aggregate, Command, AggFrom, AggTo and Events describe an
	// aggregate's move (StepCommand, StepEvent, StepRefused, StepAccepted).
	Aggregate      string
	Command        string
	AggFrom, AggTo string
	Events         []string
	// Input is the input the process takes, nil when it ignores the step;
	// From and To the process's states before and after; Sends the
	// commands the branch taken sends.
	Input    *Input
	From, To string
	Sends    []*Send
}

// String spells the step as the diagnostic's message shows it.
func (s TraceStep) String() string {
	var b strings.Builder
	switch s.Kind {
	case StepCommand:
		if s.Aggregate != "" {
			b.WriteString(s.Aggregate + " ")
		}
		b.WriteString(s.Command + ": " + s.AggFrom + " -> " + s.AggTo)
	case StepEvent:
		b.WriteString(s.Aggregate + " then " + strings.Join(s.Events, ", "))
	case StepRefused:
		b.WriteString(s.Aggregate + " refuses " + s.Command)
	case StepAccepted:
		b.WriteString(s.Aggregate + " accepts " + s.Command)
	}
	if s.Input == nil {
		if s.From != "" && s.Kind != StepAccepted && s.Kind != StepRefused {
			b.WriteString(" (ignored in " + s.From + ")")
		}
		return b.String()
	}
	if b.Len() > 0 {
		b.WriteString(", ")
	}
	b.WriteString(inputText(s.Input) + ": " + s.From + " -> " + s.To)
	return b.String()
}

// inputText spells an input as the .esm writes it.
func inputText(in *Input) string {
	switch in.Kind {
	case InputEvent:
		return in.Aggregate.Name + "." + in.Event.Name
	case InputRejection:
		return "rejected " + in.Aggregate.Name + "." + in.Command.Name
	}
	return in.Name
}

// String spells the run on one line: its steps separated by commas, the
// cycle it may repeat after "then repeatedly".
func (t *Trace) String() string {
	if len(t.Steps) == 0 {
		return "from the start"
	}
	parts := make([]string, 0, len(t.Steps))
	for i, s := range t.Steps {
		text := s.String()
		switch {
		case i == t.Loop && i == 0:
			text = "repeatedly " + text
		case i == t.Loop:
			text = "then repeatedly " + text
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, ", ")
}

// phrase spells the run after the word "as" or a comma of a message:
// "after" and its steps, or "from the start" when it has none.
func (t *Trace) phrase() string {
	if len(t.Steps) == 0 {
		return "from the start"
	}
	return "after " + t.String()
}
