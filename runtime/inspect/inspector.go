package inspect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
)

// Config says what an Inspector shows.
type Config struct {
	// Stream is the JetStream stream of the events (jsstore.DefaultStream
	// when empty).
	Stream string
	// SubjectPrefix is the stream's subject prefix; empty: the stream's
	// only subject filter "<prefix>.>" gives it.
	SubjectPrefix string
	// ArchiveBucket is the Object Store bucket of the archive of the
	// stream's archived aggregates (jsstore.DefaultArchiveBucket when
	// empty). The Inspector reads an archived instance's history from it;
	// it never creates it. Without the bucket, archived instances are
	// listed, and their history is unavailable.
	ArchiveBucket string
	// Types describe the aggregate and process types the stream holds.
	Types []Type
	// Logger receives what goes wrong while following the stream; nil
	// discards it.
	Logger *slog.Logger
}

// Inspector is the web UI of one stream; see the package documentation.
// It is an http.Handler serving its page at "/" and its API under "/api/".
type Inspector struct {
	js     jetstream.JetStream
	store  *jsstore.Store
	stream string
	prefix string
	bucket string // the archive's bucket
	// archiveErr says why the archive cannot be read; nil when it can.
	archiveErr error
	log        *slog.Logger
	x          *index
	hub        *hub
	mux        *http.ServeMux

	ready    chan struct{} // closed once the index holds what the stream held at New
	readyErr error         // why following stopped before that, read after ready is closed
	cancel   context.CancelFunc
	done     chan struct{} // closed when following stops
	once     sync.Once
}

// ErrNoPrefix is matched by New's error when the stream's subjects do not
// say its subject prefix and Config.SubjectPrefix does not either.
var ErrNoPrefix = errors.New("inspect: cannot tell the stream's subject prefix")

// New returns an Inspector of the stream, following it from its first
// message on in the background until Close. It fails when the stream does
// not exist.
func New(ctx context.Context, js jetstream.JetStream, cfg Config) (*Inspector, error) {
	if cfg.Stream == "" {
		cfg.Stream = jsstore.DefaultStream
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := js.Stream(ctx, cfg.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, fmt.Errorf("inspect: %w", noStream(ctx, js, cfg.Stream, err))
	}
	if err != nil {
		return nil, fmt.Errorf("inspect: stream %s: %w", cfg.Stream, err)
	}
	prefix := cfg.SubjectPrefix
	if prefix == "" {
		subs := st.CachedInfo().Config.Subjects
		if len(subs) != 1 || !strings.HasSuffix(subs[0], ".>") {
			return nil, fmt.Errorf("%w: stream %s has subjects %q; give the prefix", ErrNoPrefix, cfg.Stream, subs)
		}
		prefix = strings.TrimSuffix(subs[0], ".>")
	}
	if cfg.ArchiveBucket == "" {
		cfg.ArchiveBucket = jsstore.DefaultArchiveBucket
	}
	storeOpts := []jsstore.Option{jsstore.WithStream(cfg.Stream), jsstore.WithSubjectPrefix(prefix), jsstore.WithExistingStream(), jsstore.WithLogger(log)}
	archive, err := jsstore.OpenObjectArchive(ctx, js, cfg.ArchiveBucket)
	switch {
	case err == nil:
		storeOpts = append(storeOpts, jsstore.WithArchive(archive))
	case errors.Is(err, jetstream.ErrBucketNotFound):
		err = fmt.Errorf("no archive bucket %s", cfg.ArchiveBucket)
	default:
		log.Warn("inspect: the archive cannot be read: archived instances have no history", "bucket", cfg.ArchiveBucket, "err", err)
	}
	archiveErr := err
	store, err := jsstore.New(ctx, js, storeOpts...)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	var last uint64
	m, err := st.GetLastMsgForSubject(ctx, prefix+".>")
	switch {
	case errors.Is(err, jetstream.ErrMsgNotFound):
	case err != nil:
		return nil, fmt.Errorf("inspect: stream %s: %w", cfg.Stream, err)
	default:
		last = m.Sequence
	}
	cons, err := js.OrderedConsumer(ctx, cfg.Stream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{prefix + ".>"},
		DeliverPolicy:  jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("inspect: follow stream %s: %w", cfg.Stream, err)
	}
	msgs, err := cons.Messages(jetstream.PullMaxMessages(1024))
	if err != nil {
		return nil, fmt.Errorf("inspect: follow stream %s: %w", cfg.Stream, err)
	}
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	ins := &Inspector{
		js: js, store: store, stream: cfg.Stream, prefix: prefix, log: log, bucket: cfg.ArchiveBucket, archiveErr: archiveErr,
		x: newIndex(cfg.Types), hub: newHub(), ready: make(chan struct{}), cancel: cancel, done: make(chan struct{}),
	}
	ins.routes()
	if last == 0 {
		close(ins.ready)
	}
	go ins.follow(fctx, msgs, last)
	return ins, nil
}

// follow applies every message of the stream to the index, in order, and
// tells the live clients, until ctx ends.
func (ins *Inspector) follow(ctx context.Context, msgs jetstream.MessagesContext, last uint64) {
	defer close(ins.done)
	stop := context.AfterFunc(ctx, msgs.Stop)
	defer stop()
	ready := last == 0
	for {
		msg, err := msgs.Next()
		if err != nil {
			if !ready {
				ins.readyErr = fmt.Errorf("inspect: follow stream %s: %w", ins.stream, err)
				close(ins.ready)
			}
			if ctx.Err() == nil {
				ins.log.Error("inspect: following the stream stopped", "stream", ins.stream, "err", err)
			}
			return
		}
		meta, merr := msg.Metadata()
		var seq uint64
		if merr == nil {
			seq = meta.Sequence.Stream
		}
		ins.applyMsg(msg, seq, meta)
		if !ready && seq >= last {
			ready = true
			close(ins.ready)
		}
	}
}

// applyMsg applies the message at seq to the index: an envelope's
// events, or an archived aggregate's tombstone. meta is nil when the
// message has no metadata.
func (ins *Inspector) applyMsg(msg jetstream.Msg, seq uint64, meta *jetstream.MsgMetadata) {
	ref, tomb, ok, err := jsstore.ParseTombstone(ins.prefix, msg.Subject(), seq, msg.Data())
	if ok {
		var at time.Time
		if meta != nil {
			at = meta.Timestamp.UTC()
		}
		ins.hub.publish(ins.x.archive(ref, tomb, seq, at))
		return
	}
	var recs []es.Record
	if err == nil {
		recs, err = jsstore.DecodeMsg(msg)
	}
	if err != nil {
		ins.log.Warn("inspect: a message is not an esgen envelope", "subject", msg.Subject(), "sequence", seq, "err", err)
		ins.x.skip(seq)
		return
	}
	ins.hub.publish(ins.x.apply(recs))
}

// noStream is the error for a stream the server does not have: it names
// the streams it has, the system's own (KV_, OBJ_) aside.
func noStream(ctx context.Context, js jetstream.JetStream, name string, err error) error {
	var names []string
	lister := js.StreamNames(ctx)
	for n := range lister.Name() {
		if !strings.HasPrefix(n, "KV_") && !strings.HasPrefix(n, "OBJ_") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return fmt.Errorf("no stream %s: the server has none: %w", name, err)
	}
	return fmt.Errorf("no stream %s: the server has %s: %w", name, strings.Join(names, ", "), err)
}

// wait blocks until the index holds every message the stream held when
// the Inspector was made.
func (ins *Inspector) wait(ctx context.Context) error {
	select {
	case <-ins.ready:
		return ins.readyErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Ready blocks until the Inspector has read every message the stream held
// when it was made, or ctx ends.
func (ins *Inspector) Ready(ctx context.Context) error { return ins.wait(ctx) }

// Close stops following the stream and ends the live updates of every
// page open on it.
func (ins *Inspector) Close() {
	ins.once.Do(func() {
		ins.cancel()
		<-ins.done
		ins.hub.close()
	})
}

// ServeHTTP serves the page and the API.
func (ins *Inspector) ServeHTTP(w http.ResponseWriter, r *http.Request) { ins.mux.ServeHTTP(w, r) }
