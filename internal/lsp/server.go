package lsp

import (
	"log/slog"
	"sync"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// serverName is the name the server gives the client.
const serverName = "esgen"

// server is the state of one connection: the open documents and what is
// known of the packages they belong to.
type server struct {
	log     *slog.Logger
	version string
	handler protocol.Handler
	// notify sends a notification to the client.
	notify func(method string, params any)

	mu          sync.Mutex // guards the lifecycle flags, which Serve reads
	initialized bool
	shutdown    bool
	exited      bool

	// The rest is used by one message at a time (Serve handles them in
	// order) and needs no lock.
	ws *workspace
}

// newServer returns a server with its protocol handlers.
func newServer(log *slog.Logger, version string) *server {
	s := &server{log: log, version: version, ws: newWorkspace(log)}
	s.handler = protocol.Handler{
		Initialize:  s.initialize,
		Initialized: func(*glsp.Context, *protocol.InitializedParams) error { return nil },
		Shutdown:    s.shutdownRequest,
		SetTrace:    func(*glsp.Context, *protocol.SetTraceParams) error { return nil },
		// Requests are handled in order, one at a time: by the time a
		// cancellation arrives, its request has been answered.
		CancelRequest: func(*glsp.Context, *protocol.CancelParams) error { return nil },

		TextDocumentDidOpen:   s.didOpen,
		TextDocumentDidChange: s.didChange,
		TextDocumentDidSave:   s.didSave,
		TextDocumentDidClose:  s.didClose,

		TextDocumentHover:         s.hover,
		TextDocumentDefinition:    s.definition,
		TextDocumentReferences:    s.references,
		TextDocumentPrepareRename: s.prepareRename,
		TextDocumentRename:        s.rename,
		TextDocumentCompletion:    s.completion,
		TextDocumentFormatting:    s.formatting,
		TextDocumentCodeAction:    s.codeAction,
	}
	return s
}

// initialize answers the client's first request with what the server
// does.
func (s *server) initialize(_ *glsp.Context, _ *protocol.InitializeParams) (any, error) {
	s.mu.Lock()
	s.initialized = true
	s.mu.Unlock()
	yes := true
	sync := protocol.TextDocumentSyncKindIncremental
	return protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: protocol.TextDocumentSyncOptions{
				OpenClose: &yes,
				Change:    &sync,
				Save:      true,
			},
			HoverProvider:      true,
			DefinitionProvider: true,
			ReferencesProvider: true,
			RenameProvider:     protocol.RenameOptions{PrepareProvider: &yes},
			CompletionProvider: &protocol.CompletionOptions{
				// Names after "on ", "-> ", ", ", "emits " and "sends "
				// are typed after a space; qualified ones after a dot.
				TriggerCharacters: []string{".", " "},
			},
			DocumentFormattingProvider: true,
			CodeActionProvider: protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix},
			},
		},
		ServerInfo: s.info(),
	}, nil
}

// shutdownRequest marks the server shut down: from now on only exit is
// accepted.
func (s *server) shutdownRequest(*glsp.Context) error {
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	return nil
}

// info is the server's name and version for the client.
func (s *server) info() *protocol.InitializeResultServerInfo {
	info := &protocol.InitializeResultServerInfo{Name: serverName}
	if s.version != "" {
		v := s.version
		info.Version = &v
	}
	return info
}
