// Package inspect is a web UI for the events of one JetStream stream of
// esgen aggregates and processes: the aggregate types and their instances
// (searchable, with counts per current state), one instance's history with
// every metadata field and payload, its state diagram with the state after
// each event highlighted and the path taken drawn, time travel through its
// versions, the causation and correlation chain of each event across
// aggregates and processes, and new events as they are stored.
//
// An Inspector is an http.Handler. Its page, script and style are embedded:
// it needs no network access besides the NATS server. `esgen inspect`
// serves one for the machines of .esm files; an application mounts one with
// its generated definitions (see Definition), which also shows the full
// state data at each version:
//
//	ins, err := inspect.New(ctx, js, inspect.Config{
//		Stream: "ORDERS",
//		Types:  []inspect.Type{inspect.Definition(orders.NewOrderDefinition(orders.Decider{}), orders.OrderMachine(), orderSVG)},
//	})
//	defer ins.Close()
//	mux.Handle("/inspect/", http.StripPrefix("/inspect", ins))
//
// The Inspector follows the stream with one ordered consumer and keeps an
// index of every instance (its version, current state, last event) and of
// every correlation id in memory: about 200 bytes per instance and 100 per
// command. A history is read from the stream when asked, with the event
// store's batched reads.
package inspect
