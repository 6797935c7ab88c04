package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/natsconn"
	"github.com/esgen/esgen/runtime/natsserver"
	"github.com/esgen/esgen/runtime/wire"
)

// eventsCmd is `esgen events`.
type eventsCmd struct {
	NATS          string `name:"nats" placeholder:"URL" xor:"source" help:"Read from the NATS server at URL (e.g. nats://127.0.0.1:4222)."`
	Creds         string `placeholder:"FILE" completion:"file" help:"Credentials FILE for -nats."`
	Data          string `name:"data" placeholder:"DIR" completion:"dir" xor:"source" help:"Read the JetStream files in DIR with an embedded server (no other server may be running on DIR)."`
	Stream        string `default:"EVENTS" help:"The stream's name."`
	Follow        bool   `short:"f" help:"Go on printing events as they are stored, until interrupted."`
	Format        string `enum:"json,cloudevents" default:"json" help:"Output format: json (one object per event, see docs/wire-format.md) or cloudevents (CloudEvents 1.0 JSON)."`
	Archived      bool   `help:"Print the events of archived aggregates too, read from the archive (an Object Store bucket), marked \"archived\":true, where their tombstone is in the stream."`
	ArchiveBucket string `default:"ARCHIVE" placeholder:"BUCKET" help:"The Object Store bucket of the archive, for -archived."`
	Filter        string `arg:"" optional:"" placeholder:"SUBJECT-FILTER" help:"Only the subjects this filter takes, e.g. events.Order.* or events.Order.o-1 (default: every subject of the stream)."`
}

// Help is the detailed help of the verb.
func (eventsCmd) Help() string {
	return `Events prints the events an esgen store keeps in a JetStream stream, one JSON
object a line, in the order stored: subject, stream sequence, aggregate type
and id, version, event id, type and schema version, time, command,
correlation and causation ids, actor, trace context and the payload as JSON.
It never writes to the stream (it reads through an ephemeral consumer).

An archived aggregate (archive after in the .esm) has left only a tombstone
in the stream: for each one the filter takes, a line on stderr names it and
the archive object that holds its events; -archived prints those events, read
from the archive, where the tombstone is.

Examples:

	esgen events -nats nats://127.0.0.1:4222
	esgen events -data var/demo -stream ESGEN_DEMO 'esgen-demo.Order.*'
	esgen events -nats nats://127.0.0.1:4222 -follow -format cloudevents
	esgen events -data var/shed -archived 'events.Loan.l-1'
	esgen events -nats nats://127.0.0.1:4222 | jq 'select(.event_type == "OrderCancelled")'`
}

// Run prints the events.
func (c eventsCmd) Run(e env) error {
	switch {
	case c.NATS == "" && c.Data == "":
		return usageErrorf("events: give -nats URL (a NATS server) or -data DIR (a JetStream directory)")
	case c.Creds != "" && c.NATS == "":
		return usageErrorf("events: -creds is for -nats")
	}
	js, closeJS, err := c.connect(e)
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	defer closeJS()
	out := newLineWriter(e.stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	var (
		archive wire.Archive // opened at the first tombstone, with -archived
		notes   int          // archived aggregates named on stderr
	)
	// more says how many archived aggregates were not named one by one.
	more := func() {
		if n := notes - maxArchivedNotes; n > 0 {
			fmt.Fprintf(e.stderr, "esgen events: and %d more archived aggregates; -archived prints their events\n", n)
		}
	}
	defer more()
	for m, err := range wire.Read(e.ctx, js, wire.ReadOptions{Stream: c.Stream, Filter: c.Filter, Follow: c.Follow, Tombstones: true}) {
		if err != nil {
			if c.Follow && errors.Is(err, context.Canceled) && e.ctx.Err() != nil {
				return out.flush() // interrupted: the normal end of -follow
			}
			return errors.Join(out.flush(), fmt.Errorf("events: %w", err))
		}
		events := wire.Events(m)
		if a := m.Archived; a != nil {
			if !c.Archived {
				if notes++; notes > maxArchivedNotes {
					continue
				}
				if err := out.flush(); err != nil {
					return err
				}
				fmt.Fprintf(e.stderr, "esgen events: %s %q is archived (%d events, archived %s): its events are in the object %s of the Object Store bucket %s; -archived prints them\n",
					a.Ref.Type, a.Ref.ID, a.Tombstone.Version, wire.FormatTime(a.Time), a.Object, c.ArchiveBucket)
				continue
			}
			if archive == nil {
				if archive, err = wire.OpenArchive(e.ctx, js, c.ArchiveBucket); err != nil {
					return errors.Join(out.flush(), fmt.Errorf("events: %s %q is archived: %w", a.Ref.Type, a.Ref.ID, err))
				}
			}
			recs, err := wire.ReadArchived(e.ctx, archive, c.Stream, a)
			if err != nil {
				return errors.Join(out.flush(), fmt.Errorf("events: %w", err))
			}
			events = wire.ArchivedEvents(a, recs)
		}
		for _, ev := range events {
			var v any = ev
			if c.Format == "cloudevents" {
				v = ev.CloudEvent(c.Stream)
			}
			if err := enc.Encode(v); err != nil {
				return fmt.Errorf("events: %w", err)
			}
		}
		if c.Follow {
			if err := out.flush(); err != nil {
				return err
			}
		}
	}
	return out.flush()
}

// maxArchivedNotes is how many archived aggregates esgen events names one
// by one on stderr; it counts the others.
const maxArchivedNotes = 20

// connect returns a JetStream client on the server -nats names, or on an
// embedded server on -data's directory, and what closes it.
func (c eventsCmd) connect(e env) (jetstream.JetStream, func(), error) {
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var (
		nc   *nats.Conn
		stop = func() {}
		err  error
	)
	if c.NATS != "" {
		var opts []nats.Option
		if c.Creds != "" {
			opts = append(opts, nats.UserCredentials(c.Creds))
		}
		if nc, err = natsconn.Connect(c.NATS, log, opts...); err != nil {
			return nil, nil, err
		}
	} else {
		if info, err := os.Stat(filepath.Join(c.Data, "jetstream")); err != nil || !info.IsDir() {
			return nil, nil, fmt.Errorf("-data %s: no JetStream files in that directory (want %s)", c.Data, filepath.Join(c.Data, "jetstream"))
		}
		srv, err := startOnData(e.ctx, natsserver.Options{DataDir: c.Data})
		if err != nil {
			return nil, nil, err
		}
		stop = func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(e.ctx), 10*time.Second)
			defer cancel()
			_ = srv.Shutdown(ctx)
		}
		if nc, err = srv.Connect(); err != nil {
			stop()
			return nil, nil, err
		}
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		stop()
		return nil, nil, err
	}
	return js, func() {
		nc.SetDisconnectErrHandler(nil) // closing is no disconnection to report
		nc.Close()
		stop()
	}, nil
}

// lineWriter buffers output and writes it in large pieces.
type lineWriter struct {
	w   io.Writer
	buf []byte
}

func newLineWriter(w io.Writer) *lineWriter { return &lineWriter{w: w} }

func (l *lineWriter) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	if len(l.buf) >= 64<<10 {
		if err := l.flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (l *lineWriter) flush() error {
	if len(l.buf) == 0 {
		return nil
	}
	_, err := l.w.Write(l.buf)
	l.buf = l.buf[:0]
	return err
}
