package lsp

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// TestInitialize checks the capabilities the server announces.
func TestInitialize(t *testing.T) {
	c := startServer(t)
	var hover protocol.Hover
	err := c.call("textDocument/hover", protocol.HoverParams{}, &hover)
	if e := rpcError(t, err); e.Code != codeServerNotInitialized {
		t.Errorf("hover before initialize: code %d, want %d", e.Code, codeServerNotInitialized)
	}
	var res struct {
		Capabilities map[string]any
		ServerInfo   struct{ Name, Version string }
	}
	c.mustCall("initialize", protocol.InitializeParams{}, &res)
	c.notify("initialized", protocol.InitializedParams{})
	if res.ServerInfo.Name != "esgen" || res.ServerInfo.Version != "test" {
		t.Errorf("server info %+v", res.ServerInfo)
	}
	got, err := json.Marshal(res.Capabilities)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"codeActionProvider":{"codeActionKinds":["quickfix"]},"completionProvider":{"triggerCharacters":["."," "]},` +
		`"definitionProvider":true,"documentFormattingProvider":true,"hoverProvider":true,"referencesProvider":true,` +
		`"renameProvider":{"prepareProvider":true},"textDocumentSync":{"change":2,"openClose":true,"save":true}}`
	if string(got) != want {
		t.Errorf("capabilities:\n%s\nwant\n%s", got, want)
	}
	var unknown any
	if e := rpcError(t, c.call("textDocument/semanticTokens/full", map[string]any{}, &unknown)); e.Code != jsonrpc2.CodeMethodNotFound {
		t.Errorf("unsupported method: code %d, want %d", e.Code, jsonrpc2.CodeMethodNotFound)
	}
	if err := c.shutdown(); err != nil {
		t.Errorf("Serve after shutdown and exit: %v", err)
	}
}

// TestExitWithoutShutdown checks that Serve reports a client that exits
// without shutting the server down.
func TestExitWithoutShutdown(t *testing.T) {
	c := startServer(t)
	c.initialize()
	c.mu.Lock()
	c.shut = true
	c.mu.Unlock()
	c.notify("exit", nil)
	if err := <-c.done; !errors.Is(err, ErrNoShutdown) {
		t.Errorf("Serve: %v, want ErrNoShutdown", err)
	}
}

// TestAfterShutdown checks that only exit is accepted after shutdown.
func TestAfterShutdown(t *testing.T) {
	c := startServer(t)
	c.initialize()
	c.mustCall("shutdown", nil, nil)
	var hover protocol.Hover
	if e := rpcError(t, c.call("textDocument/hover", protocol.HoverParams{}, &hover)); e.Code != jsonrpc2.CodeInvalidRequest {
		t.Errorf("hover after shutdown: code %d, want %d", e.Code, jsonrpc2.CodeInvalidRequest)
	}
	c.mu.Lock()
	c.shut = true
	c.mu.Unlock()
	c.notify("exit", nil)
	if err := <-c.done; err != nil {
		t.Errorf("Serve after shutdown and exit: %v", err)
	}
}

// TestOpenExample opens examples/orders.esm, clean in its package.
func TestOpenExample(t *testing.T) {
	dir := examples(t)
	c := startServer(t)
	c.initialize()
	path := filepath.Join(dir, "orders.esm")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ds := c.open(string(fileURI(path)), string(src))
	if len(ds) != 0 {
		t.Errorf("diagnostics of orders.esm: %+v", ds)
	}
}
