package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
	"github.com/esgen/esgen/generator/diagram/svg"
	"github.com/esgen/esgen/runtime/inspect"
	"github.com/esgen/esgen/runtime/machine"
	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/natsserver"
)

// inspectCmd is `esgen inspect`.
type inspectCmd struct {
	diagFlags
	NATS    string   `name:"nats" placeholder:"URL" help:"Read the stream from the NATS server at URL."`
	Creds   string   `placeholder:"FILE" completion:"file" help:"Credentials file for -nats."`
	Data    string   `placeholder:"DIR" completion:"dir" help:"Read the stream from the JetStream files in DIR with a server started in the process (the application that writes them must be stopped)."`
	Stream  string   `default:"EVENTS" help:"The stream of the events."`
	Subject string   `name:"subject-prefix" placeholder:"PREFIX" help:"The stream's subject prefix (default: from the stream's subjects)."`
	Archive string   `name:"archive-bucket" default:"ARCHIVE" placeholder:"BUCKET" help:"The Object Store bucket of the archive, where archived instances' events are read."`
	Addr    string   `default:"127.0.0.1:0" help:"Serve on this host:port (port 0 picks a free one). An address off loopback makes the events readable by anyone who reaches it."`
	Files   []string `arg:"" optional:"" name:"file" completion:"esm" help:"The .esm files of the stream's aggregates and processes."`
}

// Help is the detailed help of the verb.
func (inspectCmd) Help() string {
	return `Inspect serves a web page of one JetStream stream of esgen events: the
aggregate and process types, their instances with counts per current state,
and each instance's history on its state diagram, with time travel through
its versions, every metadata field and payload, the causation and
correlation links between records, and new events as they are stored. The
.esm files give the states, the transitions and the diagrams. It prints the
page's URL and serves until interrupted.

Examples:

	esgen inspect -nats nats://localhost:4222 -stream ORDERS orders.esm
	esgen inspect -data var/demo -stream ESGEN_DEMO examples/orders.esm
	esgen inspect -nats nats://localhost:4222 -addr 127.0.0.1:8080 examples/*.esm`
}

// Run loads the files, connects and serves until the context ends.
func (c inspectCmd) Run(e env) error {
	switch {
	case c.NATS == "" && c.Data == "":
		return usageErrorf("inspect: say where the stream is: -nats URL or -data DIR")
	case c.NATS != "" && c.Data != "":
		return usageErrorf("inspect: -nats and -data exclude each other")
	case c.Creds != "" && c.NATS == "":
		return usageErrorf("inspect: -creds needs -nats")
	}
	if c.Data != "" {
		if info, err := os.Stat(c.Data); err != nil || !info.IsDir() {
			return usageErrorf("inspect: -data %s: not a directory", c.Data)
		}
	}
	types, err := c.types(e)
	if err != nil {
		return err
	}
	ctx := e.ctx
	js, closeJS, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer closeJS()
	ins, err := inspect.New(ctx, js, inspect.Config{Stream: c.Stream, SubjectPrefix: c.Subject, ArchiveBucket: c.Archive, Types: types})
	if err != nil {
		return err
	}
	defer ins.Close()
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("inspect: %w", err)
	}
	srv := &http.Server{Handler: ins, ReadHeaderTimeout: 10 * time.Second}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		fmt.Fprintf(e.stderr, "esgen: inspect: %s is not a loopback address: anyone who reaches it can read the events\n", ln.Addr())
	}
	fmt.Fprintf(e.stdout, "esgen inspect: stream %s on http://%s/\n", c.Stream, ln.Addr())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("inspect: %w", err)
	case <-ctx.Done():
	}
	ins.Close() // ends the live updates, so that Shutdown does not wait for them
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("inspect: %w", err)
	}
	return nil
}

// types loads the .esm files and describes their aggregates and processes,
// with their diagrams.
func (c inspectCmd) types(e env) ([]inspect.Type, error) {
	srcs, err := readSources(e, c.Files)
	if err != nil {
		return nil, err
	}
	var (
		files []*dsl.File
		all   dsl.Diagnostics
	)
	for _, group := range byDir(srcs) {
		fs, ds := dsl.LoadPackage(group)
		files = append(files, fs...)
		all = append(all, ds...)
	}
	all.Sort()
	newReporter(e, c.diagFlags, srcs).print(all)
	if all.HasErrors() {
		return nil, failed()
	}
	var types []inspect.Type
	seen := map[string]string{}
	add := func(name, file string, t inspect.Type) error {
		if other, ok := seen[name]; ok {
			return usageErrorf("inspect: %s and %s both describe %s", other, file, name)
		}
		seen[name] = file
		types = append(types, t)
		return nil
	}
	for _, f := range files {
		for _, a := range f.Aggregates {
			t := inspect.Type{Name: a.Name, Machine: diagram.Machine(a)}
			if diagram.HasMachine(a) {
				if t.SVG, err = svg.Render(e.ctx, diagram.DOT(a, false)); err != nil {
					return nil, fmt.Errorf("inspect: draw %s: %w", a.Name, err)
				}
			}
			if err := add(a.Name, f.Name, t); err != nil {
				return nil, err
			}
		}
		for _, p := range f.Processes {
			m := diagram.ProcessMachine(p)
			t := inspect.Type{Name: p.Name, Machine: m, Process: true}
			if t.SVG, err = svg.Render(e.ctx, m.DOT(machine.Options{})); err != nil {
				return nil, fmt.Errorf("inspect: draw %s: %w", p.Name, err)
			}
			if err := add(p.Name, f.Name, t); err != nil {
				return nil, err
			}
		}
	}
	return types, nil
}

// connect returns a JetStream client on the server of -nats, or on a
// server started on the files of -data, and what closes it.
func (c inspectCmd) connect(ctx context.Context) (jetstream.JetStream, func(), error) {
	log := slog.New(slog.DiscardHandler)
	if c.NATS != "" {
		var opts []nats.Option
		if c.Creds != "" {
			opts = append(opts, nats.UserCredentials(c.Creds))
		}
		nc, err := natsconn.Connect(c.NATS, log, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("inspect: connect to %s: %w", c.NATS, err)
		}
		js, err := jetstream.New(nc)
		if err != nil {
			nc.Close()
			return nil, nil, fmt.Errorf("inspect: %w", err)
		}
		return js, nc.Close, nil
	}
	srv, err := startOnData(ctx, natsserver.Options{DataDir: c.Data, Logger: log})
	if errors.Is(err, natsserver.ErrDataDirInUse) {
		return nil, nil, fmt.Errorf("inspect: %w", err)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("inspect: start a server on %s: %w", c.Data, err)
	}
	nc, err := srv.Connect()
	if err == nil {
		var js jetstream.JetStream
		if js, err = jetstream.New(nc); err == nil {
			return js, func() {
				nc.Close()
				sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
				defer cancel()
				_ = srv.Shutdown(sctx)
			}, nil
		}
		nc.Close()
	}
	_ = srv.Shutdown(context.WithoutCancel(ctx))
	return nil, nil, fmt.Errorf("inspect: %w", err)
}
