package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

// lspSession runs `esgen lsp` in-process on pipes, as an editor starts
// it, and is its client.
type lspSession struct {
	conn   *jsonrpc2.Conn
	code   chan int
	stderr *bytes.Buffer

	mu    sync.Mutex
	diags map[string]json.RawMessage // the last diagnostics of each URI
	got   chan struct{}
}

// pipes are the client's end: it writes the server's stdin and reads its
// stdout.
type pipes struct {
	io.Reader
	io.WriteCloser
}

func startLSP(t *testing.T) *lspSession {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &lspSession{code: make(chan int, 1), stderr: &bytes.Buffer{}, diags: map[string]json.RawMessage{}, got: make(chan struct{}, 100)}
	go func() {
		code := run([]string{"lsp"}, env{ctx: context.Background(), stdin: inR, stdout: outW, stderr: s.stderr})
		outW.Close()
		s.code <- code
	}()
	s.conn = jsonrpc2.NewConn(context.Background(), jsonrpc2.NewBufferedStream(pipes{outR, inW}, jsonrpc2.VSCodeObjectCodec{}),
		jsonrpc2.HandlerWithError(func(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
			if req.Method == "textDocument/publishDiagnostics" {
				var p struct {
					URI         string
					Diagnostics json.RawMessage
				}
				if err := json.Unmarshal(*req.Params, &p); err == nil {
					s.mu.Lock()
					s.diags[p.URI] = p.Diagnostics
					s.mu.Unlock()
					s.got <- struct{}{}
				}
			}
			return nil, nil
		}))
	t.Cleanup(func() { s.conn.Close() })
	return s
}

func (s *lspSession) call(t *testing.T, method string, params, result any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.conn.Call(ctx, method, params, result); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
}

func (s *lspSession) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case c := <-s.code:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("esgen lsp did not exit")
	}
	return -1
}

// TestLSPStdio starts `esgen lsp` with no flags, opens a copy of
// examples/orders.esm with a misspelt state, and checks that the
// diagnostics are the ones `esgen check --error-format json` reports for
// the files of its directory: same lines, columns, codes and messages.
// Then shutdown and exit end it with status 0.
func TestLSPStdio(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"orders.esm", "payments.esm", "shipments.esm", "fulfilment.esm"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "orders.esm" {
			b = []byte(strings.Replace(string(b), "Draft -> Submitted", "Draft -> Submited", 1))
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "orders.esm")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	var out, errb bytes.Buffer
	files, _ := filepath.Glob(filepath.Join(dir, "*.esm"))
	if code := run(append([]string{"check", "--error-format", "json"}, files...), env{stdout: &out, stderr: &errb, stdin: strings.NewReader("")}); code != exitFail {
		t.Fatalf("esgen check: exit %d, %s", code, errb.String())
	}
	var check []jsonDiagnostic
	if err := json.Unmarshal(out.Bytes(), &check); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, d := range check {
		if d.File == path {
			msg := d.Message
			if d.Suggestion != "" {
				msg += " (" + d.Suggestion + ")"
			}
			want = append(want, strings.Join([]string{strconv.Itoa(d.Line - 1), strconv.Itoa(d.Column - 1), d.Code, msg}, " "))
		}
	}
	if len(want) == 0 {
		t.Fatal("esgen check reports nothing for orders.esm")
	}

	s := startLSP(t)
	var init struct{ ServerInfo struct{ Name string } }
	s.call(t, "initialize", map[string]any{"capabilities": map[string]any{}}, &init)
	if init.ServerInfo.Name != "esgen" {
		t.Errorf("server info %+v", init.ServerInfo)
	}
	if err := s.conn.Notify(context.Background(), "initialized", map[string]any{}); err != nil {
		t.Fatal(err)
	}
	uri := (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
	if err := s.conn.Notify(context.Background(), "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "esm", "version": 1, "text": string(src),
	}}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.got:
	case <-time.After(10 * time.Second):
		t.Fatal("no diagnostics")
	}
	s.mu.Lock()
	raw := s.diags[uri]
	s.mu.Unlock()
	var got []struct {
		Range struct{ Start struct{ Line, Character int } }
		Code  string
		Msg   string `json:"message"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	var gotLines []string
	for _, d := range got {
		gotLines = append(gotLines, strings.Join([]string{strconv.Itoa(d.Range.Start.Line), strconv.Itoa(d.Range.Start.Character), d.Code, d.Msg}, " "))
	}
	if strings.Join(gotLines, "\n") != strings.Join(want, "\n") {
		t.Errorf("esgen lsp:\n%s\nesgen check:\n%s", strings.Join(gotLines, "\n"), strings.Join(want, "\n"))
	}

	// Notifications the server does not handle are ignored quietly.
	for _, m := range []string{"workspace/didChangeConfiguration", "$/cancelRequest"} {
		if err := s.conn.Notify(context.Background(), m, map[string]any{"settings": map[string]any{}, "id": 99}); err != nil {
			t.Fatal(err)
		}
	}
	s.call(t, "shutdown", nil, nil)
	if err := s.conn.Notify(context.Background(), "exit", nil); err != nil {
		t.Fatal(err)
	}
	if code := s.exitCode(t); code != exitOK {
		t.Errorf("exit %d after shutdown and exit, want 0; stderr:\n%s", code, s.stderr)
	}
	if s.stderr.Len() != 0 {
		t.Errorf("stderr: %s", s.stderr)
	}
}

// TestLSPExitWithoutShutdown checks the exit status when the editor goes
// away without shutting the server down: 1, as the protocol asks.
func TestLSPExitWithoutShutdown(t *testing.T) {
	s := startLSP(t)
	var init any
	s.call(t, "initialize", map[string]any{"capabilities": map[string]any{}}, &init)
	if err := s.conn.Notify(context.Background(), "exit", nil); err != nil {
		t.Fatal(err)
	}
	if code := s.exitCode(t); code != exitFail {
		t.Errorf("exit %d, want 1", code)
	}
	if got := s.stderr.String(); got != "esgen: lsp: the connection ended without a shutdown request\n" {
		t.Errorf("stderr: %q", got)
	}
}
