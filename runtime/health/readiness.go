package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/projection"
)

// DefaultTimeout bounds one readiness check when Readiness.Timeout is 0.
const DefaultTimeout = 2 * time.Second

// Readiness checks that streams are reachable and projections caught up.
// Its zero value is not usable: set JetStream.
type Readiness struct {
	// JetStream is the connection the checks use.
	JetStream jetstream.JetStream
	// Streams must each answer a stream info request, e.g.
	// jsstore.DefaultStream.
	Streams []string
	// Projections must each have a consumer on the server whose lag
	// (messages not delivered yet plus delivered and not acknowledged) is
	// at most MaxLag.
	Projections []*projection.Projection
	// MaxLag is the lag a projection may have and still count as caught
	// up; 0 demands that it has handled everything.
	MaxLag uint64
	// Timeout bounds one whole check (default DefaultTimeout).
	Timeout time.Duration
}

// Report is the outcome of one check, the body ServeHTTP writes.
type Report struct {
	Ready bool `json:"ready"`
	// NotReady lists what is not ready, in the order of Streams then
	// Projections; empty when Ready.
	NotReady []Problem `json:"not_ready,omitempty"`
}

// Problem is one stream or projection that is not ready.
type Problem struct {
	Kind   string `json:"kind"` // "stream" or "projection"
	Name   string `json:"name"`
	Reason string `json:"reason"`
	// Lag is the projection's lag when it is known and too large.
	Lag *uint64 `json:"lag,omitempty"`
}

// Check runs every check once, within Timeout.
func (r *Readiness) Check(ctx context.Context) Report {
	timeout := r.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rep Report
	for _, name := range r.Streams {
		if _, err := r.JetStream.Stream(ctx, name); err != nil {
			rep.NotReady = append(rep.NotReady, Problem{Kind: "stream", Name: name, Reason: err.Error()})
		}
	}
	for _, p := range r.Projections {
		st, err := p.Status(ctx)
		if errors.Is(err, jetstream.ErrConsumerNotFound) {
			rep.NotReady = append(rep.NotReady, Problem{Kind: "projection", Name: p.Name(), Reason: "no consumer: the projection has not run"})
			continue
		}
		if err != nil {
			rep.NotReady = append(rep.NotReady, Problem{Kind: "projection", Name: p.Name(), Reason: err.Error()})
			continue
		}
		if lag := st.Pending + uint64(st.Unacknowledged); lag > r.MaxLag {
			rep.NotReady = append(rep.NotReady, Problem{Kind: "projection", Name: p.Name(),
				Reason: fmt.Sprintf("lag %d exceeds %d", lag, r.MaxLag), Lag: &lag})
		}
	}
	rep.Ready = len(rep.NotReady) == 0
	return rep
}

// ServeHTTP answers 200 when every check passes and 503 otherwise, with the
// Report as a JSON body either way.
func (r *Readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rep := r.Check(req.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if rep.Ready {
		w.WriteHeader(http.StatusOK)
	} else {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(rep) // a failed write is the client's loss
}
