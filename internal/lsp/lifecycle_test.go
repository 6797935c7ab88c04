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

// neovimInit is the kind of initialize request an editor sends: many
// capabilities, some of the protocol's later versions, unions of bool
// and object.
const neovimInit = `{
  "processId": 4242, "clientInfo": {"name": "Neovim", "version": "0.11.0"},
  "rootUri": "file:///tmp/x", "rootPath": "/tmp/x", "trace": "off", "locale": "en",
  "workspaceFolders": [{"uri": "file:///tmp/x", "name": "x"}],
  "initializationOptions": {},
  "capabilities": {
    "general": {"positionEncodings": ["utf-8", "utf-16", "utf-32"]},
    "window": {"workDoneProgress": true, "showMessage": {"messageActionItem": {"additionalPropertiesSupport": true}}, "showDocument": {"support": true}},
    "workspace": {"applyEdit": true, "configuration": true, "workspaceFolders": true,
      "workspaceEdit": {"resourceOperations": ["rename", "create", "delete"], "documentChanges": true},
      "didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true},
      "semanticTokens": {"refreshSupport": true}, "inlayHint": {"refreshSupport": true},
      "symbol": {"dynamicRegistration": false, "symbolKind": {"valueSet": [1, 2, 3, 4, 5]}}},
    "textDocument": {
      "synchronization": {"didSave": true, "willSave": true, "willSaveWaitUntil": true, "dynamicRegistration": false},
      "completion": {"contextSupport": true, "completionItemKind": {"valueSet": [1, 2, 3]},
        "completionItem": {"snippetSupport": true, "commitCharactersSupport": false, "preselectSupport": false,
          "deprecatedSupport": true, "documentationFormat": ["markdown", "plaintext"],
          "tagSupport": {"valueSet": [1]}, "resolveSupport": {"properties": ["additionalTextEdits"]}}},
      "hover": {"contentFormat": ["markdown", "plaintext"], "dynamicRegistration": true},
      "definition": {"linkSupport": true, "dynamicRegistration": true},
      "rename": {"prepareSupport": true, "dynamicRegistration": true},
      "codeAction": {"isPreferredSupport": true, "dataSupport": true, "resolveSupport": {"properties": ["edit"]},
        "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix", "refactor", "source"]}}},
      "publishDiagnostics": {"relatedInformation": true, "tagSupport": {"valueSet": [1, 2]}, "dataSupport": true},
      "semanticTokens": {"requests": {"range": false, "full": {"delta": true}}, "tokenTypes": ["namespace"],
        "tokenModifiers": ["declaration"], "formats": ["relative"], "multilineTokenSupport": false, "overlappingTokenSupport": true},
      "diagnostic": {"dynamicRegistration": false},
      "inlayHint": {"dynamicRegistration": true, "resolveSupport": {"properties": []}}
    }
  }
}`

// TestEditorInitialize checks that an editor's full initialize request is
// accepted.
func TestEditorInitialize(t *testing.T) {
	c := startServer(t)
	var res struct{ Capabilities map[string]any }
	c.mustCall("initialize", json.RawMessage(neovimInit), &res)
	if res.Capabilities["hoverProvider"] != true {
		t.Errorf("capabilities %v", res.Capabilities)
	}
}
