package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// The tests talk to the server as an editor does: JSON-RPC with
// Content-Length framing over a pipe, through a client of their own.

// testClient is one editor connected to a server running Serve.
type testClient struct {
	t    testing.TB
	conn *jsonrpc2.Conn
	done chan error // Serve's result

	mu      sync.Mutex
	arrived chan struct{} // closed and replaced when a notification arrives
	pub     []published
	shut    bool
}

// published is a publishDiagnostics notification. (The library's
// protocol.Diagnostic cannot decode its code: IntegerOrString's
// UnmarshalJSON has a value receiver.)
type published struct {
	URI         string
	Version     *int
	Diagnostics []diagnostic
	arrived     time.Time
}

// diagnostic is one diagnostic as the client receives it.
type diagnostic struct {
	Range    protocol.Range
	Severity *protocol.DiagnosticSeverity
	Code     string
	Source   *string
	Message  string
}

// startServer runs a server on a pipe and returns its client, not yet
// initialized. The server is shut down at the end of the test.
func startServer(t testing.TB) *testClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, cli := net.Pipe()
	c := &testClient{t: t, done: make(chan error, 1), arrived: make(chan struct{})}
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	go func() { c.done <- Serve(ctx, srv, Options{Log: log, Version: "test"}) }()
	c.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(cli, jsonrpc2.VSCodeObjectCodec{}),
		jsonrpc2.HandlerWithError(c.handle), jsonrpc2.SetLogger(logs))
	t.Cleanup(func() {
		defer func() {
			if t.Failed() {
				t.Logf("server log:\n%s", logs.String())
			}
		}()
		c.mu.Lock()
		shut := c.shut
		c.mu.Unlock()
		if !shut {
			c.shutdown()
		}
		cancel()
	})
	return c
}

// handle receives the server's notifications.
func (c *testClient) handle(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	if req.Method != "textDocument/publishDiagnostics" || req.Params == nil {
		return nil, nil
	}
	p := published{arrived: time.Now()}
	if err := json.Unmarshal(*req.Params, &p); err != nil {
		c.t.Errorf("publishDiagnostics: %v", err)
		return nil, nil
	}
	c.mu.Lock()
	c.pub = append(c.pub, p)
	close(c.arrived)
	c.arrived = make(chan struct{})
	c.mu.Unlock()
	return nil, nil
}

// call sends a request and decodes its result.
func (c *testClient) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.conn.Call(ctx, method, params, result)
}

// mustCall is call failing the test on an error.
func (c *testClient) mustCall(method string, params, result any) {
	c.t.Helper()
	if err := c.call(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// notify sends a notification.
func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// initialize runs the handshake and returns the server's capabilities.
func (c *testClient) initialize() protocol.InitializeResult {
	c.t.Helper()
	var res protocol.InitializeResult
	c.mustCall("initialize", protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{}}, &res)
	c.notify("initialized", protocol.InitializedParams{})
	return res
}

// shutdown sends shutdown and exit and returns Serve's result.
func (c *testClient) shutdown() error {
	c.t.Helper()
	c.mu.Lock()
	c.shut = true
	c.mu.Unlock()
	if err := c.call("shutdown", nil, nil); err != nil {
		c.t.Errorf("shutdown: %v", err)
	}
	_ = c.conn.Notify(context.Background(), "exit", nil)
	select {
	case err := <-c.done:
		return err
	case <-time.After(10 * time.Second):
		c.t.Fatal("the server did not end after exit")
	}
	return nil
}

// waitDiagnostics waits for the diagnostics of uri published for version
// (any version when version < 0) after the first `after` notifications,
// and returns them with the notification count.
func (c *testClient) waitDiagnostics(uri string, version int, after int) (published, int) {
	c.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		c.mu.Lock()
		for i := after; i < len(c.pub); i++ {
			p := c.pub[i]
			if p.URI == uri && (version < 0 || p.Version != nil && *p.Version == version) {
				c.mu.Unlock()
				return p, i + 1
			}
		}
		arrived := c.arrived
		c.mu.Unlock()
		select {
		case <-arrived:
		case <-deadline:
			c.t.Fatalf("no diagnostics for %s version %d", uri, version)
		}
	}
}

// published returns the number of notifications received so far.
func (c *testClient) published() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pub)
}

// open opens a document and returns the diagnostics published for it.
func (c *testClient) open(uri, text string) []diagnostic {
	c.t.Helper()
	n := c.published()
	c.notify("textDocument/didOpen", protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: uri, LanguageID: "esm", Version: 1, Text: text,
	}})
	p, _ := c.waitDiagnostics(uri, 1, n)
	c.sync()
	return p.Diagnostics
}

// sync returns once the server has handled every message sent before and
// the client has received every notification the server sent before its
// answer: the server handles messages in order, and the client reads
// them in order.
func (c *testClient) sync() {
	c.t.Helper()
	var res any
	err := c.call("esgen/sync", nil, &res) // answered "method not found", in turn
	if e := rpcError(c.t, err); e.Code != jsonrpc2.CodeMethodNotFound {
		c.t.Fatalf("sync: %v", err)
	}
}

// change sends one change of a range (the whole text when rng is nil)
// as version and returns the diagnostics published for it.
func (c *testClient) change(uri string, version int, rng *protocol.Range, text string) []diagnostic {
	c.t.Helper()
	return c.changeP(uri, version, rng, text).Diagnostics
}

// changeP is change returning the notification, with its arrival time.
func (c *testClient) changeP(uri string, version int, rng *protocol.Range, text string) published {
	c.t.Helper()
	n := c.published()
	var change any = protocol.TextDocumentContentChangeEventWhole{Text: text}
	if rng != nil {
		change = protocol.TextDocumentContentChangeEvent{Range: rng, Text: text}
	}
	c.notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: protocol.Integer(version)},
		ContentChanges: []any{change},
	})
	p, _ := c.waitDiagnostics(uri, version, n)
	c.sync()
	return p
}

// rpcError returns the JSON-RPC error of err, failing when it is none.
func rpcError(t testing.TB, err error) *jsonrpc2.Error {
	t.Helper()
	var e *jsonrpc2.Error
	if !errors.As(err, &e) {
		t.Fatalf("want a JSON-RPC error, got %v", err)
	}
	return e
}

// logBuffer keeps the server's and the client library's messages, shown
// when a test fails. It may be written after the test ends.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// Printf logs a message of the client library.
func (l *logBuffer) Printf(format string, v ...any) { fmt.Fprintf(l, format, v...) }

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// examples returns the absolute path of the repository's examples and a
// copy of its .esm files in a temporary directory, so that tests may
// change files on disk.
func examples(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"orders.esm", "payments.esm", "shipments.esm", "fulfilment.esm"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
