package goname

import (
	"strconv"
	"strings"
)

// The identifiers below are the package-level Go names esgen generates for
// an aggregate, beside the types named after its states, commands, events,
// value types and externs (spelled with Exported). The checker reports any
// two that would be equal, so the generator never emits a clash; both
// spell them with these functions so they agree by construction.
//
// agg, command, event and state arguments are .esm names as written.

// AggregateIdents returns the fixed package-level identifiers generated for
// aggregate agg, in a stable order. An eventual aggregate (no state
// machine) gets the event, codec and log names only.
func AggregateIdents(agg string, eventual bool) []string {
	a := Exported(agg)
	if eventual {
		return []string{a + "Event", a + "EventCodec", a + "Upcaster", a + "Log", "New" + a + "Log", "New" + a + "EventCodec",
			a + "Stream", a + "SubjectPrefix"}
	}
	return []string{
		a + "State", a + "StateName", a + "Command", a + "Event",
		a + "Decider", a + "Evolver", a + "Upcaster",
		a + "EventCodec", a + "StateCodec", "New" + a + "EventCodec",
		a + "Repository", "New" + a + "Repository", "New" + a + "Definition",
		a + "Machine", a + "Stream", a + "SubjectPrefix",
		a + "TimersInput", a + "TimersFired", "New" + a + "TimersDefinition",
	}
}

// AggregateUnexported returns the fixed unexported package-level
// identifiers generated for aggregate agg, in a stable order: its Decide
// and Evolve functions, and those of the generated tests and the test
// skeleton. An eventual aggregate gets the tests' upcaster only.
func AggregateUnexported(agg string, eventual bool) []string {
	if eventual {
		return []string{RecordingUpcaster(agg)}
	}
	return []string{Decide(agg), Evolve(agg), RecordingUpcaster(agg), BranchStub(agg), UnderTest(agg), EvolutionCases(agg), UpcastCases(agg), Definition(agg),
		Unexported(agg + "_timers_decide"), Unexported(agg + "_timers_codec"), Unexported(agg + "_timers_dispatch"), Unexported(agg + "_timers_event")}
}

// TestFuncs returns the names of the test functions generated for
// aggregate agg ("TestOrderEvolve"), in a stable order, whether or not it
// needs each of them.
func TestFuncs(agg string, eventual bool) []string {
	a := "Test" + Exported(agg)
	if eventual {
		return []string{a + "EventCodec", a + "Upcasts"}
	}
	return []string{
		a + "StateName", a + "InvalidTransitions", a + "BranchGuards", a + "Evolve", a + "EvolveHooks", a + "Timers",
		a + "StateCodec", a + "EventCodec", a + "Upcasts", a + "UpcastHooks",
	}
}

// Decide is the function deciding the commands of aggregate agg ("orderDecide").
func Decide(agg string) string { return Unexported(agg + "_decide") }

// Evolve is the function applying the events of aggregate agg ("orderEvolve").
func Evolve(agg string) string { return Unexported(agg + "_evolve") }

// RecordingUpcaster is the upcaster of agg's generated tests
// ("orderRecordingUpcaster").
func RecordingUpcaster(agg string) string { return Unexported(agg + "_recording_upcaster") }

// BranchStub is the decider of agg's generated branch-guard test
// ("orderBranchStub").
func BranchStub(agg string) string { return Unexported(agg + "_branch_stub") }

// UnderTest is the function of agg's test skeleton returning the
// definition its cases exercise ("orderUnderTest").
func UnderTest(agg string) string { return Unexported(agg + "_under_test") }

// EvolutionCases is the function of agg's generated tests returning the
// cases of its Evolve checks ("orderEvolutions").
func EvolutionCases(agg string) string { return Unexported(agg + "_evolutions") }

// Definition is the unexported function building agg's definition without
// the checks of New<Agg>Definition ("orderDefinition"): the generated
// tests pass nil for the code they must never reach.
func Definition(agg string) string { return Unexported(agg + "_definition") }

// UpcastCases is the function of agg's generated tests returning the
// cases of its upcast hook checks ("orderUpcastHooks").
func UpcastCases(agg string) string { return Unexported(agg + "_upcast_hooks") }

// Imports are the names under which generated code imports packages:
// the standard library's and esgen's runtime. An .esm import with one of
// these names is imported under another; a package-level name of the
// consumer's package (an extern) must not be one of them.
func Imports() []string {
	return []string{"context", "errors", "es", "esjson", "estest", "fmt", "json", "machine", "reflect", "strconv", "testing", "time"}
}

// StateInterface is the sealed interface of aggregate agg's states ("OrderState").
func StateInterface(agg string) string { return Exported(agg) + "State" }

// StateName is the function returning the declared name of one of agg's
// states ("OrderStateName"), e.g. to highlight it in a drawing of the machine.
func StateName(agg string) string { return Exported(agg) + "StateName" }

// Stream is the constant holding the JetStream stream name an aggregate
// declares with `stream "NAME"` ("GraphStream").
func Stream(agg string) string { return Exported(agg) + "Stream" }

// SubjectPrefix is the constant holding the subject prefix an aggregate
// declares with `subject "prefix"` ("GraphSubjectPrefix").
func SubjectPrefix(agg string) string { return Exported(agg) + "SubjectPrefix" }

// CommandInterface is the sealed interface of agg's commands ("OrderCommand").
func CommandInterface(agg string) string { return Exported(agg) + "Command" }

// EventInterface is the sealed interface of agg's events ("OrderEvent").
func EventInterface(agg string) string { return Exported(agg) + "Event" }

// Decider is the interface of agg's decisions, one method per transition.
func Decider(agg string) string { return Exported(agg) + "Decider" }

// Evolver is the interface of the Evolve hooks agg needs, if any.
func Evolver(agg string) string { return Exported(agg) + "Evolver" }

// EvolveHook is the Evolver method computing the state that event leads
// state to ("SubmittedOnPaymentValidated").
func EvolveHook(state, event string) string { return Exported(state) + "On" + Exported(event) }

// Upcaster is the interface of the upcast hooks agg's events need, if any.
func Upcaster(agg string) string { return Exported(agg) + "Upcaster" }

// EventCodec is the generated es.EventCodec type of agg.
func EventCodec(agg string) string { return Exported(agg) + "EventCodec" }

// StateCodec is the generated es.StateCodec type of agg (snapshots).
func StateCodec(agg string) string { return Exported(agg) + "StateCodec" }

// Repository is the typed repository of agg; NewRepository its constructor.
func Repository(agg string) string { return Exported(agg) + "Repository" }

// NewRepository is the constructor of Repository(agg).
func NewRepository(agg string) string { return "New" + Exported(agg) + "Repository" }

// NewDefinition is the constructor of agg's es.Definition.
func NewDefinition(agg string) string { return "New" + Exported(agg) + "Definition" }

// Machine is the function returning agg's machine.Machine.
func Machine(agg string) string { return Exported(agg) + "Machine" }

// Log is the append-only repository of an eventual aggregate; NewLog its constructor.
func Log(agg string) string { return Exported(agg) + "Log" }

// NewLog is the constructor of Log(agg).
func NewLog(agg string) string { return "New" + Exported(agg) + "Log" }

// EventVersion is the type of an old schema version n of event
// ("OrderSubmittedV1"). The newest version is the type named Exported(event).
func EventVersion(event string, n int) string { return Exported(event) + "V" + strconv.Itoa(n) }

// Sources is the sealed interface of the source states of command's
// transition, generated when it has more than one ("CancelSource").
func Sources(command string) string { return Exported(command) + "Source" }

// Outcome is the sealed interface of the branches of command's transition,
// generated when it has more than one ("ValidatePaymentOutcome").
func Outcome(command string) string { return Exported(command) + "Outcome" }

// Emitted is the struct of the events of a single-branch transition that
// emits more than one ("SubmitEmitted").
func Emitted(command string) string { return Exported(command) + "Emitted" }

// Branch is the type of one branch of a branching transition, named by its
// target ("ValidatePaymentToCancelled"). When two branches share a target,
// every branch of the transition is named by target and events instead
// (BranchWithEvents).
func Branch(command, target string) string { return Exported(command) + "To" + Exported(target) }

// ProcessBranch is the constructor of one branch of a process's reaction
// that has several, named by the process, the input and the branch's target
// ("FulfilmentPaymentCapturedToAbandoned"). sends are the commands the
// branch sends, as the .esm writes them ("Payment.RefundPayment"); when
// withSends is set (two branches of the reaction share a target), every
// branch of the reaction is named by its sends too, as an aggregate's
// branches are by their events: "WatchToolReturnedToDoneWithMemberFine",
// "WatchToolReturnedToDoneWithNothing" for a branch that sends nothing.
func ProcessBranch(process, input, target string, sends []string, withSends bool) string {
	s := Exported(process) + Exported(input) + "To" + Exported(target)
	if !withSends {
		return s
	}
	s += "With"
	if len(sends) == 0 {
		return s + "Nothing"
	}
	for _, snd := range sends {
		agg, cmd, _ := strings.Cut(snd, ".")
		s += Exported(agg) + Exported(cmd)
	}
	return s
}

// BranchConst is the unexported constant numbering the branch whose
// constructor is branchType (Branch or BranchWithEvents) in the outcome
// of its command ("validatePaymentToCancelled").
func BranchConst(branchType string) string { return Unexported(branchType) }

// BranchWithEvents names a branch by target and emitted events
// ("ValidatePaymentToCancelledWithPaymentRejected").
func BranchWithEvents(command, target string, events []string) string {
	s := Branch(command, target) + "With"
	for _, e := range events {
		s += Exported(e)
	}
	return s
}
