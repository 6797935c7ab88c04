package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/natsserver"
)

// options are the demo's command-line settings.
type options struct {
	DataDir string // embedded server's data directory; "" for a temporary one
	NATSURL string // external server; "" for the embedded one
	Creds   string // credentials file for NATSURL
	Verbose bool   // log runtime and server messages
	// TraceJSON prints the stdout exporter's output of part 9 in full,
	// not only the tree of its spans.
	TraceJSON bool
	// PaymentTimeout is how long the Fulfilment process waits for a
	// payment (30m in fulfilment.esm); 0 means DefaultPaymentTimeout.
	PaymentTimeout time.Duration
}

// DefaultPaymentTimeout is the payment timeout the demo runs with: long
// enough for a payment the demo captures at once, short enough to watch
// one expire.
const DefaultPaymentTimeout = 2 * time.Second

// conn is the JetStream the demo runs on and what closes it.
type conn struct {
	js    jetstream.JetStream
	where string // what the demo runs on, for its first line
	close func(context.Context) error
}

// connect starts the embedded server (or connects to the external one) and
// returns a JetStream client.
func connect(ctx context.Context, o options, log *slog.Logger) (*conn, error) {
	if o.NATSURL != "" {
		var opts []nats.Option
		if o.Creds != "" {
			opts = append(opts, nats.UserCredentials(o.Creds))
		}
		nc, err := natsconn.Connect(o.NATSURL, log, opts...)
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", o.NATSURL, err)
		}
		js, err := jetstream.New(nc)
		if err != nil {
			nc.Close()
			return nil, err
		}
		return &conn{js: js, where: "NATS server " + nc.ConnectedUrlRedacted(), close: func(context.Context) error {
			return nc.Drain()
		}}, nil
	}

	dir, where, temp := o.DataDir, "embedded JetStream in "+o.DataDir, false
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "esgen-demo-"); err != nil {
			return nil, err
		}
		where, temp = "embedded JetStream in a temporary directory", true
	}
	removeTemp := func() error {
		if temp {
			return os.RemoveAll(dir)
		}
		return nil
	}
	srv, err := natsserver.Start(ctx, natsserver.Options{DataDir: dir, Logger: log})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("start the embedded server: %w", err), removeTemp())
	}
	nc, err := srv.Connect()
	if err != nil {
		return nil, errors.Join(err, srv.Shutdown(ctx), removeTemp())
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, errors.Join(err, srv.Shutdown(ctx), removeTemp())
	}
	return &conn{js: js, where: where, close: func(ctx context.Context) error {
		nc.Close()
		return errors.Join(srv.Shutdown(ctx), removeTemp())
	}}, nil
}
