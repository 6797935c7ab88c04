// Command demo runs the orders example end to end on NATS JetStream: it
// handles a sequence of commands with the generated Order repository and
// prints the stored events with their metadata, a rejected invalid
// transition, a concurrent writer's conflict and retry, an old event upcast
// on load, time travel, and the orders-by-status projection catching up.
// Then the Fulfilment process manager takes orders through their payments
// and shipments: a happy path, a payment timeout that cancels the order, a
// refusal compensated by a refund, and the correlated trail of one order
// across the aggregates. Last, it traces one command through its projection
// with the OpenTelemetry SDK and prints the spans the stdout exporter wrote.
//
// By default it starts an embedded NATS server with JetStream in the process,
// on a temporary directory removed at exit (nothing to install):
//
//	go run ./examples/orders/demo
//	go run ./examples/orders/demo -data var/demo   # keep the store; run again to add to it
//	go run ./examples/orders/demo -nats nats://localhost:4222 -creds app.creds
//
// Against an external server the demo uses its own stream, ESGEN_DEMO, with
// subjects under esgen-demo: it never touches other streams.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

// runMain parses args, runs the demo and returns the exit code: 0 on success,
// 1 when the demo fails, 2 for a bad command line.
func runMain(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "demo:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	return 0
}

// parseFlags reads the command line into options.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.DataDir, "data", "", "keep the embedded server's JetStream files in `DIR` (default: a temporary directory, removed at exit)")
	fs.StringVar(&o.NATSURL, "nats", "", "use the NATS server at `URL` instead of an embedded one")
	fs.StringVar(&o.Creds, "creds", "", "credentials `FILE` for -nats")
	fs.DurationVar(&o.PaymentTimeout, "payment-timeout", DefaultPaymentTimeout, "how long the Fulfilment process waits for a payment (30m in fulfilment.esm)")
	fs.BoolVar(&o.TraceJSON, "trace-json", false, "print the JSON the OpenTelemetry stdout exporter wrote for the traced command (part 9), not only the tree of its spans")
	fs.BoolVar(&o.Verbose, "v", false, "log what the runtime and the server report (conflicts retried, projection progress) on stderr")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: demo [-data DIR | -nats URL [-creds FILE]] [-payment-timeout D] [-trace-json] [-v]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.NATSURL != "" && o.DataDir != "":
		return o, errors.New("-data is for the embedded server; it cannot be used with -nats")
	case o.Creds != "" && o.NATSURL == "":
		return o, errors.New("-creds needs -nats")
	case o.PaymentTimeout <= 0:
		return o, fmt.Errorf("-payment-timeout %s: a timeout must be positive", o.PaymentTimeout)
	}
	return o, nil
}
