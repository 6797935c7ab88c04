package diagramtest

import "github.com/esgen/esgen/dsl"

// Case is a named model.
type Case struct {
	Name string
	File *dsl.File
}

// Cases returns every model, freshly built, in a stable order.
func Cases() []Case {
	return []Case{
		{"branch_finals", BranchFinals()},
		{"escaping", Escaping()},
		{"graph", Graph()},
		{"orders", Orders()},
		{"single_state", SingleState()},
	}
}

// Orders is the order lifecycle of examples/orders.esm.
func Orders() *dsl.File {
	return NewFile("orders.esm", "orders", "Orders: the order lifecycle.").
		Import("time").
		Type("LineItem", "LineItem is one product line of an order.",
			F{Name: "sku", Type: "string"}, F{Name: "qty", Type: "int"}, F{Name: "price_cents", Type: "int64", Doc: "Unit price in cents."}).
		Aggregate("Order", "Order is a customer's order, from draft to fulfilment.").
		Options("", "", "", 100).
		State("Draft", "initial", "Draft is an order being put together.").
		State("Submitted", "", "Submitted waits for payment.", F{Name: "items", Type: "[]LineItem"}, F{Name: "submitted_at", Type: "time.Time"}).
		State("Validated", "", "Validated has been paid.", F{Name: "payment_id", Type: "string"}).
		State("Fulfilled", "final", "Fulfilled has shipped.", F{Name: "tracking", Type: "string"}).
		State("Cancelled", "final", "Cancelled will not ship.", F{Name: "reason", Type: "string"}).
		Command("Submit", "Submit sends the order for payment.", F{Name: "items", Type: "[]LineItem"}).
		Command("ValidatePayment", "ValidatePayment records the payment provider's answer.", F{Name: "payment_id", Type: "string"}).
		Command("Fulfill", "Fulfill ships the order.", F{Name: "tracking", Type: "string"}).
		Command("Cancel", "Cancel stops the order.", F{Name: "reason", Type: "string"}).
		Event("OrderSubmitted", "OrderSubmitted records the submitted items.",
			V{Fields: []F{{Name: "items", Type: "[]LineItem"}, {Name: "submitted_at", Type: "time.Time"}}},
			V{Doc: "v2 records the sales channel.", Fields: []F{{Name: "items", Type: "[]LineItem"}, {Name: "submitted_at", Type: "time.Time"}, {Name: "channel", Type: "string", Default: `"web"`, Doc: "Sales channel."}}}).
		Event("PaymentValidated", "", V{Fields: []F{{Name: "payment_id", Type: "string"}}}).
		Event("PaymentRejected", "", V{Fields: []F{{Name: "reason", Type: "string"}}}).
		Event("OrderFulfilled", "", V{Fields: []F{{Name: "tracking", Type: "string"}}}).
		Event("OrderCancelled", "", V{Fields: []F{{Name: "reason", Type: "string"}}}).
		On("Submit", "", B{[]string{"Draft"}, "Submitted", []string{"OrderSubmitted"}}).
		On("ValidatePayment", "The decision picks the branch from the provider's answer.",
			B{[]string{"Submitted"}, "Validated", []string{"PaymentValidated"}},
			B{[]string{"Submitted"}, "Cancelled", []string{"PaymentRejected"}}).
		On("Fulfill", "", B{[]string{"Validated"}, "Fulfilled", []string{"OrderFulfilled"}}).
		On("Cancel", "", B{[]string{"Draft", "Submitted", "Validated"}, "Cancelled", []string{"OrderCancelled"}}).
		Done().File()
}

// Graph is the knowledge graph of examples/graph.esm with its eventual
// Metrics aggregate: self-loops accumulate nodes and edges.
func Graph() *dsl.File {
	return NewFile("graph.esm", "graph", "Graph: a knowledge graph built node by node.").
		Import("time").
		Type("Node", "", F{Name: "id", Type: "string"}, F{Name: "label", Type: "string"}, F{Name: "metadata", Type: "map[string]string"}).
		Type("Edge", "", F{Name: "from", Type: "string"}, F{Name: "to", Type: "string"}, F{Name: "relation", Type: "string"}).
		Aggregate("Graph", "Graph is one named graph of nodes and edges.").
		Options("", "GRAPHS", "graphs", 0).
		State("Nonexistent", "initial", "Nonexistent: no graph yet.").
		State("Active", "", "", F{Name: "name", Type: "string"}, F{Name: "nodes", Type: "map[string]Node"}, F{Name: "edges", Type: "[]Edge"}, F{Name: "points", Type: "map[string]string"}).
		State("Archived", "final", "", F{Name: "name", Type: "string"}).
		Command("CreateGraph", "", F{Name: "name", Type: "string"}).
		Command("AddNode", "", F{Name: "node_id", Type: "string"}, F{Name: "label", Type: "string"}, F{Name: "metadata", Type: "map[string]string"}).
		Command("ConnectEdge", "", F{Name: "from", Type: "string"}, F{Name: "to", Type: "string"}, F{Name: "relation", Type: "string"}).
		Command("MapConceptualPoint", "", F{Name: "node_id", Type: "string"}, F{Name: "concept", Type: "string"}).
		Command("ArchiveGraph", "").
		Event("GraphCreated", "", V{Fields: []F{{Name: "name", Type: "string"}, {Name: "created_at", Type: "time.Time"}}}).
		Event("NodeAdded", "",
			V{Fields: []F{{Name: "graph_id", Type: "string"}, {Name: "node_id", Type: "string"}, {Name: "label", Type: "string"}}},
			V{Fields: []F{{Name: "graph_id", Type: "string"}, {Name: "node_id", Type: "string"}, {Name: "label", Type: "string"}, {Name: "metadata", Type: "map[string]string"}}}).
		Event("EdgeConnected", "", V{Fields: []F{{Name: "from", Type: "string"}, {Name: "to", Type: "string"}, {Name: "relation", Type: "string"}}}).
		Event("ConceptualPointMapped", "", V{Fields: []F{{Name: "node_id", Type: "string"}, {Name: "concept", Type: "string"}}}).
		Event("GraphArchived", "", V{Fields: []F{{Name: "archived_at", Type: "time.Time"}}}).
		On("CreateGraph", "", B{[]string{"Nonexistent"}, "Active", []string{"GraphCreated"}}).
		On("AddNode", "", B{[]string{"Active"}, "Active", []string{"NodeAdded"}}).
		On("ConnectEdge", "", B{[]string{"Active"}, "Active", []string{"EdgeConnected"}}).
		On("MapConceptualPoint", "", B{[]string{"Active"}, "Active", []string{"ConceptualPointMapped"}}).
		On("ArchiveGraph", "", B{[]string{"Active"}, "Archived", []string{"GraphArchived"}}).
		Done().
		Aggregate("Metrics", "Metrics counts graph activity; eventually consistent.").
		Eventual().
		Event("MetricRecorded", "MetricRecorded is one sample.", V{Fields: []F{{Name: "name", Type: "string"}, {Name: "value", Type: "float64"}, {Name: "at", Type: "time.Time"}}}).
		Event("MetricsReset", "", V{}).
		Done().File()
}

// SingleState is a machine with one state and a self-loop.
func SingleState() *dsl.File {
	return NewFile("counter.esm", "counter", "").
		Aggregate("Counter", "").
		State("Counting", "initial", "", F{Name: "n", Type: "int"}).
		Command("Increment", "", F{Name: "by", Type: "int"}).
		Event("Incremented", "", V{Fields: []F{{Name: "by", Type: "int"}}}).
		On("Increment", "", B{[]string{"Counting"}, "Counting", []string{"Incremented"}}).
		Done().File()
}

// BranchFinals reaches its only final states through the branches of one
// transition, has an event in three versions with a hook, and a branch
// emitting two events.
func BranchFinals() *dsl.File {
	return NewFile("payments.esm", "payments", "").
		Aggregate("Payment", "").
		Options("int64", "", "", 0).
		State("Pending", "initial", "").
		State("Paid", "final", "").
		State("Failed", "final", "").
		Command("Settle", "", F{Name: "amount_cents", Type: "int64"}).
		Event("PaymentSettled", "",
			V{Fields: []F{{Name: "amount", Type: "int"}}},
			V{Hook: true, Fields: []F{{Name: "amount_cents", Type: "int64"}}},
			V{Fields: []F{{Name: "amount_cents", Type: "int64"}, {Name: "currency", Type: "string", Default: `"EUR"`}, {Name: "captured", Type: "bool", Default: "true"}}}).
		Event("PaymentFailed", "", V{Fields: []F{{Name: "code", Type: "int"}}}).
		Event("RefundScheduled", "", V{}).
		On("Settle", "",
			B{[]string{"Pending"}, "Paid", []string{"PaymentSettled"}},
			B{[]string{"Pending"}, "Failed", []string{"PaymentFailed", "RefundScheduled"}}).
		Done().File()
}

// Escaping has names and texts that Markdown, DOT and Mermaid would read
// as syntax: underscores, Go keywords as field names, pipes, backticks and
// asterisks in docs and defaults.
func Escaping() *dsl.File {
	return NewFile("dir/escape.esm", "escape", "").
		Aggregate("Odd_Name", "Odd_Name has *stars*, a | pipe\nand <html> in its doc.").
		State("Start_Here", "initial", "A | B").
		State("End", "final", "").
		Command("Do_It", "", F{Name: "type", Type: "string"}, F{Name: "func", Type: "map[string][]*int"}, F{Name: "len", Type: "int", Doc: "len | cap"}).
		Event("It_Done", "",
			V{Fields: []F{{Name: "range", Type: "string"}}},
			V{Fields: []F{{Name: "range", Type: "string"}, {Name: "quote", Type: "string", Default: "\"a|b`c\""}}}).
		On("Do_It", "", B{[]string{"Start_Here"}, "End", []string{"It_Done"}}).
		Done().File()
}
