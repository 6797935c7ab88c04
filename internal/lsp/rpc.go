package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// ErrNoShutdown is returned by Serve when the connection ended (the
// client sent exit, or closed the stream) before a shutdown request: the
// protocol asks the server to exit with status 1 then.
var ErrNoShutdown = errors.New("lsp: the connection ended without a shutdown request")

// Options configure Serve.
type Options struct {
	// Log receives the server's own messages (failures to reply, internal
	// errors); nil discards them.
	Log *slog.Logger
	// Version is the server version given to the client; empty gives none.
	Version string
}

// JSON-RPC error codes of the protocol beyond JSON-RPC's own.
const (
	codeServerNotInitialized = -32002
	codeRequestFailed        = -32803
)

// Serve runs the language server on one connection, framed as the
// protocol says (Content-Length headers), until the client sends exit,
// the stream ends or ctx is cancelled. It handles one message at a time,
// in the order received, so that a request sees every change sent
// before it. It returns nil after shutdown and exit, ErrNoShutdown when
// the connection ended without a shutdown request, and ctx's error when
// ctx ended it. Nothing is written anywhere but to stream and to
// opts.Log.
func Serve(ctx context.Context, stream io.ReadWriteCloser, opts Options) error {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := newServer(log, opts.Version)
	var conn *jsonrpc2.Conn
	ready := make(chan struct{}) // conn is set
	s.notify = func(method string, params any) {
		<-ready
		if err := conn.Notify(ctx, method, params); err != nil {
			log.Warn("lsp: notification not sent", "method", method, "err", err)
		}
	}
	conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(stream, jsonrpc2.VSCodeObjectCodec{}),
		&rpcHandler{s: s}, jsonrpc2.SetLogger(printfLogger{log}))
	close(ready)
	<-conn.DisconnectNotify()
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case ctx.Err() != nil && !s.exited:
		return ctx.Err()
	case !s.shutdown:
		return ErrNoShutdown
	}
	return nil
}

// rpcHandler dispatches JSON-RPC messages to the server's protocol
// handler, with the protocol's lifecycle rules: nothing but initialize
// before initialize, nothing but exit after shutdown.
type rpcHandler struct {
	s *server
}

// Handle handles one request or notification, replying to a request.
func (h *rpcHandler) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	s := h.s
	if req.Method == string(protocol.MethodExit) {
		s.mu.Lock()
		s.exited = true
		s.mu.Unlock()
		_ = conn.Close() // ends Serve
		return
	}
	result, err := h.call(req)
	if req.Notif {
		// A notification the server does not handle is ignored, as the
		// protocol asks.
		var rpcErr *jsonrpc2.Error
		switch {
		case err == nil:
		case errors.As(err, &rpcErr) && rpcErr.Code == jsonrpc2.CodeMethodNotFound:
			s.log.Debug("lsp: notification ignored", "method", req.Method)
		default:
			s.log.Warn("lsp: notification failed", "method", req.Method, "err", err)
		}
		return
	}
	if err != nil {
		var rpcErr *jsonrpc2.Error
		if !errors.As(err, &rpcErr) {
			rpcErr = &jsonrpc2.Error{Code: codeRequestFailed, Message: err.Error()}
		}
		if err := conn.ReplyWithError(ctx, req.ID, rpcErr); err != nil {
			s.log.Warn("lsp: reply not sent", "method", req.Method, "err", err)
		}
		return
	}
	if err := conn.Reply(ctx, req.ID, result); err != nil {
		s.log.Warn("lsp: reply not sent", "method", req.Method, "err", err)
	}
}

// call runs the protocol handler of req. A panic is a bug: it is logged
// with its stack and answered as an internal error, and the server goes on.
func (h *rpcHandler) call(req *jsonrpc2.Request) (result any, err error) {
	s := h.s
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("lsp: internal error", "method", req.Method, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			result, err = nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: fmt.Sprintf("internal error in %s: %v", req.Method, r)}
		}
	}()
	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()
	switch {
	case shutdown:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: "the server is shut down: only exit is accepted"}
	case !initialized && req.Method != string(protocol.MethodInitialize):
		return nil, &jsonrpc2.Error{Code: codeServerNotInitialized, Message: "the server is not initialized"}
	}
	gctx := &glsp.Context{Method: req.Method, Notify: func(method string, params any) { s.notify(method, params) }}
	if req.Params != nil {
		gctx.Params = *req.Params
	}
	r, validMethod, validParams, err := s.handler.Handle(gctx)
	switch {
	case !validMethod:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
	case !validParams:
		msg := "invalid params of " + req.Method
		if err != nil {
			msg += ": " + err.Error()
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: msg}
	case err != nil:
		return nil, err
	}
	return r, nil
}

// printfLogger passes the JSON-RPC library's messages to slog.
type printfLogger struct{ log *slog.Logger }

// Printf logs one message of the library as a warning.
func (l printfLogger) Printf(format string, v ...any) {
	l.log.Warn(strings.TrimSpace(fmt.Sprintf(format, v...)))
}
