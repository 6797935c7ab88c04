// Package estest is a given-when-then harness for the decisions and
// evolutions of an aggregate, used by the test skeletons esgen generates and
// by hand-written tests of a decider:
//
//	func TestSubmit(t *testing.T) {
//		estest.For(t, orders.NewOrderDefinition(decider{})).
//			Given(orders.OrderSubmitted{Items: items}).
//			When(orders.ValidatePayment{PaymentID: "p-1"}).
//			Then(orders.PaymentValidated{PaymentID: "p-1"})
//	}
//
// Given evolves a history from the definition's initial state, When decides
// a command on the state it reached, and Then, ThenError or ThenState assert
// the outcome. Nothing touches a store: a case runs the pure Decide and
// Evolve functions of an es.Definition only.
//
// Failures are reported through the testing.TB as errors naming the step,
// with a go-cmp diff (-want +got) of events or states. Events and states
// are compared with go-cmp, which compares time.Time values with their
// Equal method (the same instant in two locations is equal) and treats
// unexported marker methods of sealed interfaces as it does any method:
// it compares the concrete values. Types with unexported fields need
// options, given with WithCmpOptions.
//
// A case that issues a command and asserts nothing fails when the test
// ends, so a forgotten Then cannot pass silently (unless the test already
// failed or was skipped for another reason).
package estest
