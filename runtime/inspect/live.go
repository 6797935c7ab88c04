package inspect

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// hub hands the changes of each applied message to the live clients.
type hub struct {
	mu      sync.Mutex
	clients map[chan []change]struct{}
	closed  bool
	quit    chan struct{}
}

func newHub() *hub { return &hub{clients: map[chan []change]struct{}{}, quit: make(chan struct{})} }

// clientBuffer is how many messages a live client may fall behind before
// it is told to reload instead.
const clientBuffer = 256

// subscribe returns a channel of changes; nil after close.
func (h *hub) subscribe() chan []change {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	c := make(chan []change, clientBuffer)
	h.clients[c] = struct{}{}
	return c
}

func (h *hub) unsubscribe(c chan []change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.clients, c)
}

// publish sends cs to every client; a client whose buffer is full gets a
// nil batch instead (it reloads) and nothing more until it has room.
func (h *hub) publish(cs []change) {
	if len(cs) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c <- cs:
		default:
			// Full: replace the newest batch by a reload marker.
			select {
			case <-c:
			default:
			}
			select {
			case c <- nil:
			default:
			}
		}
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.quit)
	}
}

// live serves /api/live: the changes as server-sent events, one "change"
// event per stored event, "reload" when the client fell behind, and a
// comment every 15 s to keep proxies from closing the connection.
func (ins *Inspector) live(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := ins.hub.subscribe()
	if c == nil {
		http.Error(w, "the inspector is closed", http.StatusServiceUnavailable)
		return
	}
	defer ins.hub.unsubscribe(c)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	fmt.Fprint(w, "retry: 1000\n\n")
	fl.Flush()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		select {
		case cs := <-c:
			if cs == nil {
				fmt.Fprint(w, "event: reload\ndata: {}\n\n")
			}
			for _, ch := range cs {
				data, _ := json.Marshal(ch)
				fmt.Fprintf(w, "event: change\ndata: %s\n\n", data)
			}
			fl.Flush()
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		case <-r.Context().Done():
			return
		case <-ins.hub.quit:
			return
		}
	}
}
