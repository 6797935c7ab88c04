// Package health answers the readiness question of an esgen service: is
// the event stream reachable, and are the projections caught up within a
// bound? Readiness is an http.Handler for a load balancer's or
// orchestrator's readiness probe: 200 when ready, 503 with a small JSON
// body naming what is not.
//
// Liveness of the NATS server itself is the server's own monitoring
// endpoint (/healthz), which runtime/natsserver exposes with
// Options.Monitor.
package health
