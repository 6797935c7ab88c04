package yardstick

// The workload of the suite: the commands every implementation handles,
// sized like the outside harness's (docs/benchmarks.md): an order of three
// line items, a note whose NoteAdded payload is about 190 bytes.

// clock is the fixed time the decisions stamp events with, so that every
// payload of a run has the same bytes.
var clock = Epoch

// workItems is the order the workload submits: three lines.
var workItems = []LineItem{
	{SKU: "tea-earl-grey", Qty: 2, PriceCents: 1450},
	{SKU: "mug-blue", Qty: 1, PriceCents: 1200},
	{SKU: "teapot-1l", Qty: 1, PriceCents: 4500},
}

// workTotal is the total of workItems in cents.
const workTotal = 2*1450 + 1200 + 4500

// The workload's commands.
var (
	workSubmit  = Submit{Items: workItems}
	workPayment = ValidatePayment{PaymentID: "pay_3MtwBwLkdIwHu7ix28a3tqPa"}
	workFulfill = Fulfill{Tracking: "1Z999AA10123456784"}
	workNote    = AddNote{
		Author: "support.agent.17@example.com",
		Text:   "Customer called: please leave the parcel with the neighbour at number 12 if nobody answers the door. Thanks a lot.",
	}
)

// The events the workload's commands produce at clock.
var (
	workSubmitted = OrderSubmitted{Items: workItems, TotalCents: workTotal, SubmittedAt: clock}
	workValidated = PaymentValidated{PaymentID: workPayment.PaymentID}
	workFulfilled = OrderFulfilled{Tracking: workFulfill.Tracking}
	workNoted     = NoteAdded{Author: workNote.Author, Text: workNote.Text, At: clock}
)
