package natsserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/esgen/esgen/runtime/natsconn"
)

// Options configure an embedded server.
type Options struct {
	// DataDir is where JetStream keeps its files. Required: the event store
	// lives there, so it must survive restarts of the process.
	DataDir string
	// Listen is a loopback "host:port" to accept client connections on
	// (port 0 picks a free one). Empty: no listener at all; only
	// in-process connections from Server.Connect reach the server.
	Listen string
	// SyncAlways makes the file store fsync every write before
	// acknowledging it. Without it the store relies on the operating
	// system's page cache and fsyncs every SyncInterval: a crash of the
	// process loses nothing acknowledged, a power loss or kernel crash can
	// lose up to SyncInterval of acknowledged writes. With it nothing
	// acknowledged is lost, at roughly ten times the cost per write.
	SyncAlways bool
	// SyncInterval is the fsync period when SyncAlways is off; 0 keeps
	// the server's default (2 minutes).
	SyncInterval time.Duration
	// Name names the server (defaults to "esgen").
	Name string
	// MaxStore and MaxMemory cap JetStream's file and memory storage in
	// bytes; 0 lets the server choose.
	MaxStore, MaxMemory int64
	// Monitor is a "host:port" for the server's HTTP monitoring endpoint
	// (/healthz, /varz, /jsz, ...; port 0 picks a free one). Empty: no
	// monitoring endpoint. The host must be a loopback address unless
	// MonitorAnyAddress is set.
	Monitor string
	// MonitorAnyAddress allows Monitor on a non-loopback address, for a
	// monitoring system on another machine. The endpoint has no
	// authentication: expose it only on a trusted network.
	MonitorAnyAddress bool
	// Cluster joins the server to a cluster of embedded servers on
	// loopback, for tests of replicated streams. Nil: a single server.
	Cluster *ClusterOptions
	// Logger receives the server's log lines; nil discards them.
	Logger *slog.Logger
	// ReadyTimeout bounds the wait for the server to accept connections
	// (default 10 s).
	ReadyTimeout time.Duration
}

// ClusterOptions place an embedded server in a cluster.
type ClusterOptions struct {
	Name   string // cluster name, the same on every node
	Listen string // loopback "host:port" for routes from other nodes
	// Routes are the route URLs of the cluster's nodes, e.g.
	// "nats://127.0.0.1:6222". A JetStream cluster needs them on every
	// node; a node's own URL may be among them (it is skipped).
	Routes []string
}

// Server is a running embedded NATS server.
type Server struct {
	ns   *server.Server
	log  *slog.Logger
	lock *dirLock
}

// ErrNotLoopback reports a listen address that is not on a loopback
// interface: the embedded server never listens on a network.
var ErrNotLoopback = errors.New("natsserver: listen address is not loopback")

// Start starts an embedded server with JetStream and waits until it
// accepts connections. It first locks the data directory (creating it if
// need be) for as long as the server runs: when another server holds it,
// in this process or another, Start fails at once with a
// *DataDirInUseError (ErrDataDirInUse). Shutdown releases the lock, and so
// does the operating system when the process dies, however it dies (on
// Linux, macOS and the BSDs; elsewhere see DataDirInUseError).
func Start(ctx context.Context, o Options) (*Server, error) {
	if o.DataDir == "" {
		return nil, errors.New("natsserver: DataDir is required")
	}
	so := &server.Options{
		ServerName:         o.Name,
		JetStream:          true,
		StoreDir:           o.DataDir,
		SyncAlways:         o.SyncAlways,
		SyncInterval:       o.SyncInterval,
		JetStreamMaxStore:  o.MaxStore,
		JetStreamMaxMemory: o.MaxMemory,
		NoSigs:             true,
	}
	if so.ServerName == "" {
		so.ServerName = "esgen"
	}
	if o.Listen == "" {
		so.DontListen = true
	} else {
		host, port, err := loopbackHostPort(o.Listen)
		if err != nil {
			return nil, err
		}
		so.Host, so.Port = host, port
	}
	if c := o.Cluster; c != nil {
		host, port, err := loopbackHostPort(c.Listen)
		if err != nil {
			return nil, fmt.Errorf("cluster: %w", err)
		}
		so.Cluster = server.ClusterOpts{Name: c.Name, Host: host, Port: port}
		for _, r := range c.Routes {
			u, err := url.Parse(r)
			if err != nil {
				return nil, fmt.Errorf("natsserver: route %q: %w", r, err)
			}
			so.Routes = append(so.Routes, u)
		}
		if o.Listen == "" {
			// A cluster node needs a client port; keep it on loopback.
			so.DontListen = false
			so.Host, so.Port = "127.0.0.1", server.RANDOM_PORT
		}
	}
	if o.Monitor != "" {
		host, port, err := monitorHostPort(o.Monitor, o.MonitorAnyAddress)
		if err != nil {
			return nil, fmt.Errorf("monitor: %w", err)
		}
		so.HTTPHost, so.HTTPPort = host, port
	}
	if so.Port == 0 && !so.DontListen {
		so.Port = server.RANDOM_PORT
	}
	lock, err := lockDataDir(o.DataDir)
	if err != nil {
		return nil, err
	}
	ns, err := server.NewServer(so)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("natsserver: %w", err), lock.Release())
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	adapter := &slogAdapter{log: log, fatal: make(chan string, 1)}
	ns.SetLoggerV2(adapter, false, false, false)
	ns.Start()
	wait := o.ReadyTimeout
	if wait == 0 {
		wait = 10 * time.Second
	}
	if err := waitReady(ctx, ns, adapter.fatal, wait); err != nil {
		ns.Shutdown()
		ns.WaitForShutdown()
		return nil, errors.Join(err, lock.Release())
	}
	log.LogAttrs(ctx, slog.LevelInfo, "embedded nats server started",
		slog.String("name", so.ServerName), slog.String("data_dir", o.DataDir),
		slog.Bool("listening", !so.DontListen), slog.Bool("sync_always", o.SyncAlways))
	return &Server{ns: ns, log: log, lock: lock}, nil
}

// loopbackHostPort splits addr and checks that its host is a loopback
// address or "localhost". Port 0 becomes a random free port.
func loopbackHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("natsserver: listen %q: %w", addr, err)
	}
	if host != "localhost" {
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return "", 0, fmt.Errorf("%w: %q", ErrNotLoopback, addr)
		}
	}
	port, err := net.LookupPort("tcp", p)
	if err != nil {
		return "", 0, fmt.Errorf("natsserver: listen %q: %w", addr, err)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	return host, port, nil
}

// monitorHostPort splits a monitoring address; unless any is set its host
// must be loopback.
func monitorHostPort(addr string, anyAddr bool) (string, int, error) {
	if !anyAddr {
		return loopbackHostPort(addr)
	}
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("natsserver: listen %q: %w", addr, err)
	}
	port, err := net.LookupPort("tcp", p)
	if err != nil {
		return "", 0, fmt.Errorf("natsserver: listen %q: %w", addr, err)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	return host, port, nil
}

// MonitorURL is the base URL of the HTTP monitoring endpoint, e.g.
// "http://127.0.0.1:8222", or "" when Options.Monitor was empty.
func (s *Server) MonitorURL() string {
	a := s.ns.MonitorAddr()
	if a == nil {
		return ""
	}
	return "http://" + a.String()
}

// Connect opens a connection to the server. It is an in-process connection
// (no socket) unless the server is a cluster node, whose clients must be
// able to fail over and therefore use its loopback listener.
func (s *Server) Connect(opts ...nats.Option) (*nats.Conn, error) {
	url := s.ns.ClientURL()
	if s.ns.ClusterAddr() == nil {
		opts = append([]nats.Option{nats.InProcessServer(s.ns)}, opts...)
	}
	return natsconn.Connect(url, s.log, opts...)
}

// ClientURL is the URL of the client listener, or "" when the server
// does not listen (Options.Listen empty: clients connect in process, with
// Connect).
func (s *Server) ClientURL() string {
	if s.ns.Addr() == nil {
		return ""
	}
	return s.ns.ClientURL()
}

// ClusterURL is the route URL other cluster nodes connect to, or "".
func (s *Server) ClusterURL() string {
	a := s.ns.ClusterAddr()
	if a == nil {
		return ""
	}
	return "nats://" + a.String()
}

// NATS returns the underlying nats-server, for settings this package does
// not cover.
func (s *Server) NATS() *server.Server { return s.ns }

// Shutdown stops the server, flushing JetStream's files, and waits until it
// is down or ctx ends. Once the server is down it releases the data
// directory's lock (even when ctx ended first).
func (s *Server) Shutdown(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		s.ns.Shutdown()
		s.ns.WaitForShutdown()
		done <- s.lock.Release()
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("natsserver: release the data directory: %w", err)
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "embedded nats server stopped")
		return nil
	case <-ctx.Done():
		return fmt.Errorf("natsserver: shutdown: %w", ctx.Err())
	}
}

// waitReady waits until ns accepts connections, reports a fatal error, ctx
// ends or wait passes.
func waitReady(ctx context.Context, ns *server.Server, fatal <-chan string, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		if ns.ReadyForConnections(10 * time.Millisecond) {
			// Start may have given up on JetStream after the listeners
			// came up; a fatal line says so.
			select {
			case msg := <-fatal:
				return fmt.Errorf("natsserver: %s", msg)
			default:
			}
			if !ns.JetStreamEnabled() {
				return errors.New("natsserver: JetStream did not start")
			}
			return nil
		}
		select {
		case msg := <-fatal:
			return fmt.Errorf("natsserver: %s", msg)
		case <-ctx.Done():
			return fmt.Errorf("natsserver: not ready: %w", ctx.Err())
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("natsserver: not ready after %s", wait)
		}
	}
}
