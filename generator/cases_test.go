package generator

import "github.com/esgen/esgen/dsl"

// The golden cases whose .esm input dsl.Load cannot read yet are built
// here, as Check would build them.
var caseModels = map[string]func() *dsl.File{
	"orders":         ordersModel,
	"graph":          graphModel,
	"single_state":   singleStateModel,
	"branches_only":  branchesOnlyModel,
	"three_versions": threeVersionsModel,
	"two_aggregates": twoAggregatesModel,
	"eventual":       eventualModel,
	"escaping":       escapingModel,
}

// graphModel is the graph aggregate of the pattern document: nodes and
// edges accumulate on self-loops (Evolve hooks), NodeAdded has two
// versions, and an eventual Metrics aggregate sits beside it.
func graphModel() *dsl.File {
	b := newModel("graph.esm", "graph").doc("Graph: a knowledge graph of nodes, edges and conceptual points.")
	node := b.value("Node", "Node is a vertex of the graph.", fd("node_id", tb("string")), fd("label", tb("string")),
		fd("metadata", tmap(tb("string"), tb("string"))))
	edge := b.value("Edge", "Edge connects two nodes.", fd("from", tb("string")), fd("to", tb("string")), fd("kind", tb("string")))
	a := b.aggregate("Graph", "Graph is a named graph that grows by self-loops until archived.").snapshot(50)
	draft := a.state("Empty", "Empty has no name yet.", true, false)
	active := a.state("Active", "Active accepts nodes, edges and mappings.", false, false,
		fd("name", tb("string")), fd("nodes", tmap(tb("string"), tv(node))), fd("edges", tslice(tv(edge))),
		fd("points", tmap(tb("string"), tb("string"))))
	archived := a.state("Archived", "Archived is read-only.", false, true, fd("name", tb("string")))
	create := a.command("CreateGraph", "CreateGraph names the graph.", fd("name", tb("string")))
	addNode := a.command("AddNode", "AddNode adds a node.", fd("node_id", tb("string")), fd("label", tb("string")), fd("metadata", tmap(tb("string"), tb("string"))))
	connect := a.command("ConnectEdge", "ConnectEdge links two existing nodes.", fd("from", tb("string")), fd("to", tb("string")), fd("kind", tb("string")))
	mapPoint := a.command("MapConceptualPoint", "MapConceptualPoint maps a concept to a node.", fd("point", tb("string")), fd("node_id", tb("string")))
	archive := a.command("Archive", "Archive freezes the graph.")
	created := a.event("GraphCreated", "GraphCreated names a new graph.", ver("", false, fd("graph_id", tb("string")), fd("name", tb("string"))))
	nodeAdded := a.event("NodeAdded", "NodeAdded records a node.",
		ver("", false, fd("graph_id", tb("string")), fd("node_id", tb("string")), fd("label", tb("string"))),
		ver("v2 adds metadata.", false, fd("graph_id", tb("string")), fd("node_id", tb("string")), fd("label", tb("string")),
			fd("metadata", tmap(tb("string"), tb("string")))))
	edgeConnected := a.event("EdgeConnected", "EdgeConnected records an edge.", ver("", false, fd("from", tb("string")), fd("to", tb("string")), fd("kind", tb("string"))))
	pointMapped := a.event("ConceptualPointMapped", "ConceptualPointMapped maps a concept to a node.", ver("", false, fd("point", tb("string")), fd("node_id", tb("string"))))
	archivedEv := a.event("GraphArchived", "GraphArchived freezes the graph.", ver("", false))
	a.on(create, "", br(from(draft), active, created))
	a.on(addNode, "Nodes accumulate.", br(from(active), active, nodeAdded))
	a.on(connect, "", br(from(active), active, edgeConnected))
	a.on(mapPoint, "", br(from(active), active, pointMapped))
	a.on(archive, "", br(from(active), archived, archivedEv))

	m := b.aggregate("Metrics", "Metrics counts what happens to graphs, with no state machine.").eventual()
	m.event("NodeCounted", "NodeCounted records the node count of a graph.", ver("", false, fd("graph_id", tb("string")), fd("count", tb("int"))))
	m.event("QueryTimed", "QueryTimed records how long a query took.",
		ver("", false, fd("query", tb("string")), fd("millis", tb("int64"))),
		ver("v2 records the rows returned.", false, fd("query", tb("string")), fd("millis", tb("int64")),
			fdef("rows", tb("int"), dsl.LiteralInt, "0")))
	return b.f
}

// singleStateModel has one state, initial and final at once, with a
// self-loop that records nothing and one whose event sets the state.
func singleStateModel() *dsl.File {
	b := newModel("lamp.esm", "lamp")
	a := b.aggregate("Lamp", "")
	on := a.state("Lit", "", true, true, fd("color", tb("string")))
	ping := a.command("Ping", "Ping checks the lamp is there.")
	paint := a.command("Paint", "", fd("color", tb("string")))
	painted := a.event("Painted", "", ver("", false, fd("color", tb("string"))))
	a.on(ping, "", br(from(on), on))
	a.on(paint, "", br(from(on), on, painted))
	return b.f
}

// branchesOnlyModel reaches its final states only through branches:
// branches with different sources (checked by Decide), two branches to the
// same target (named with their events) and a branch with two events.
func branchesOnlyModel() *dsl.File {
	b := newModel("review.esm", "review").doc("Package review routes documents through approval.")
	a := b.aggregate("Review", "Review is one document's approval.")
	draft := a.state("Draft", "", true, false, fd("title", tb("string")))
	pending := a.state("Pending", "", false, false, fd("reviewer", tb("string")))
	approved := a.state("Accepted", "", false, true, fd("reviewer", tb("string")))
	rejected := a.state("Declined", "", false, true, fd("reason", tb("string")))
	send := a.command("Send", "", fd("reviewer", tb("string")))
	decide := a.command("Conclude", "", fd("approve", tb("bool")), fd("reason", tb("string")))
	sent := a.event("SentForReview", "", ver("", false, fd("reviewer", tb("string"))))
	approvedEv := a.event("Approved", "", ver("", false, fd("reviewer", tb("string"))))
	rejectedEv := a.event("Rejected", "", ver("", false, fd("reason", tb("string"))))
	withdrawn := a.event("Withdrawn", "", ver("", false, fd("reason", tb("string"))))
	notified := a.event("AuthorNotified", "", ver("", false, fd("reason", tb("string"))))
	a.on(send, "", br(from(draft), pending, sent))
	a.on(decide, "The reviewer concludes; the author may withdraw a draft.",
		br(from(pending), approved, approvedEv),
		br(from(pending), rejected, rejectedEv, notified),
		br(from(draft, pending), rejected, withdrawn))
	_ = draft
	return b.f
}

// threeVersionsModel has an event in three versions: v2 adds a field with
// a default, v3 renames a field (an upcast hook).
func threeVersionsModel() *dsl.File {
	b := newModel("accounts.esm", "accounts")
	timeImp := b.imp("time", "time")
	a := b.aggregate("Account", "").id(tb("int64"))
	open := a.state("Open", "", true, false, fd("owner", tb("string")), fd("currency", tb("string")))
	closed := a.state("Closed", "", false, true)
	rename := a.command("Rename", "", fd("owner", tb("string")))
	closeCmd := a.command("Close", "")
	renamed := a.event("OwnerRenamed", "",
		ver("", false, fd("name", tb("string"))),
		ver("", false, fd("name", tb("string")), fdef("currency", tb("string"), dsl.LiteralString, `"EUR"`)),
		ver("v3 calls the name owner.", true, fd("owner", tb("string")), fd("currency", tb("string")), fd("at", tq(timeImp, "Time"))))
	closedEv := a.event("AccountClosed", "", ver("", false, fdef("final", tb("bool"), dsl.LiteralBool, "true")))
	a.on(rename, "", br(from(open), open, renamed))
	a.on(closeCmd, "", br(from(open), closed, closedEv))
	return b.f
}

// twoAggregatesModel declares two aggregates sharing a value type.
func twoAggregatesModel() *dsl.File {
	b := newModel("shop.esm", "shop")
	money := b.value("Money", "Money is an amount in a currency.", fd("cents", tb("int64")), fd("currency", tb("string")))
	cart := b.aggregate("Cart", "Cart collects items before checkout.")
	open := cart.state("Open", "", true, false, fd("total", tv(money)))
	checked := cart.state("Closed", "", false, true, fd("total", tv(money)))
	add := cart.command("AddItem", "", fd("price", tv(money)))
	checkout := cart.command("CheckOut", "")
	added := cart.event("ItemAdded", "", ver("", false, fd("price", tv(money))))
	done := cart.event("CheckedOut", "", ver("", false, fd("total", tv(money))))
	cart.on(add, "", br(from(open), open, added))
	cart.on(checkout, "", br(from(open), checked, done))

	inv := b.aggregate("Invoice", "Invoice bills a checked out cart.")
	issued := inv.state("Unpaid", "", true, false, fd("amount", tv(money)))
	paid := inv.state("Paid", "", false, true, fd("amount", tv(money)))
	pay := inv.command("Pay", "", fd("amount", tv(money)))
	paidEv := inv.event("InvoicePaid", "", ver("", false, fd("amount", tv(money))))
	inv.on(pay, "", br(from(issued), paid, paidEv))
	return b.f
}

// eventualModel is an eventual aggregate alone, with a versioned event
// whose upcast needs a hook.
func eventualModel() *dsl.File {
	b := newModel("audit.esm", "audit")
	a := b.aggregate("AuditLog", "AuditLog records who did what.").eventual().id(tb("uint32"))
	a.event("ActionLogged", "",
		ver("", false, fd("who", tb("string"))),
		ver("v2 splits who into user and role.", true, fd("user", tb("string")), fd("role", tb("string"))))
	a.event("LoginFailed", "", ver("", false, fd("user", tb("string")), fd("attempts", tb("uint8"))))
	return b.f
}

// escapingModel uses names that need care in Go: fields named like
// keywords and predeclared identifiers, initialisms, a package whose name
// is a local variable of generated code, extern and imported types, and
// every kind of field type.
func escapingModel() *dsl.File {
	b := newModel("names.esm", "names")
	netip := b.imp("net/netip", "netip")
	url := b.imp("net/url", "u")
	timeImp := b.imp("time", "time")
	label := b.extern("Label")
	point := b.value("point", "", fd("x", tb("float32")), fd("y", tb("float64")))
	a := b.aggregate("Node", "").id(te(label))
	idle := a.state("idle", "", true, false)
	busy := a.state("busy", "", false, true,
		fd("len", tb("int")), fd("range", tb("int8")), fd("func", tb("string")), fd("type", tb("uint16")),
		fd("node_id", tb("string")), fd("http_url", tb("string")), fd("map", tmap(tb("int"), tb("bool"))),
		fd("string", tptr(tb("string"))), fd("raw", tslice(tb("byte"))), fd("at", tptr(tq(timeImp, "Time"))),
		fd("addr", tq(netip, "Addr")), fd("link", tptr(tq(url, "URL"))), fd("label", te(label)),
		fd("points", tslice(tv(point))), fd("where", tptr(tv(point))), fd("counts", tmap(tb("uint64"), tslice(tb("rune")))),
		fd("nested", tslice(tslice(tb("string")))), fd("any", tb("any")))
	start := a.command("start", "", fd("len", tb("int")))
	started := a.event("started", "",
		ver("", false, fd("len", tb("int")), fd("range", tb("int8")), fd("func", tb("string")), fd("type", tb("uint16")),
			fd("node_id", tb("string")), fd("http_url", tb("string")), fd("map", tmap(tb("int"), tb("bool"))),
			fd("string", tptr(tb("string"))), fd("raw", tslice(tb("byte"))), fd("at", tptr(tq(timeImp, "Time"))),
			fd("addr", tq(netip, "Addr")), fd("link", tptr(tq(url, "URL"))), fd("label", te(label)),
			fd("points", tslice(tv(point))), fd("where", tptr(tv(point))), fd("counts", tmap(tb("uint64"), tslice(tb("rune")))),
			fd("nested", tslice(tslice(tb("string")))), fd("any", tb("any"))))
	a.on(start, "", br(from(idle), busy, started))
	return b.f
}
