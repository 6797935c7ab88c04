package jsstore_test

import (
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/jsstore"
)

// TestCompression: WithCompression makes a new stream S2-compressed; an
// existing stream keeps its compression (none), even with WithUpdateStream,
// and the store works on it.
func TestCompression(t *testing.T) {
	nc, js := connect(t, server(t))
	newStore(t, js, jsstore.WithStream("ZIPPED"), jsstore.WithSubjectPrefix("zipped"), jsstore.WithCompression())
	if got := streamSettings(t, nc, "ZIPPED")["compression"]; got != `"s2"` {
		t.Errorf("new stream compression = %s, want \"s2\"", got)
	}
	if s := newStore(t, js, jsstore.WithStream("PLAIN"), jsstore.WithSubjectPrefix("plain")); s.StreamConfig().Compression != jetstream.NoCompression {
		t.Errorf("StreamConfig without WithCompression = %v, want none", s.StreamConfig().Compression)
	}
	if got := streamSettings(t, nc, "PLAIN")["compression"]; got != `"none"` && got != "" {
		t.Errorf("plain stream compression = %s, want none", got)
	}
	before := streamSettings(t, nc, "PLAIN")
	newStore(t, js, jsstore.WithStream("PLAIN"), jsstore.WithSubjectPrefix("plain"), jsstore.WithCompression(), jsstore.WithUpdateStream())
	after := streamSettings(t, nc, "PLAIN")
	for k, v := range before {
		if after[k] != v {
			t.Errorf("existing stream's %s changed from %s to %s", k, v, after[k])
		}
	}
}
