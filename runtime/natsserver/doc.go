// Package natsserver runs a NATS server with JetStream inside the current
// process, the default home of an esgen event store: nothing to install, a
// data directory the user chooses, and either no network listener at all
// (clients connect in-process) or a listener on a loopback address only.
//
// The same application code reaches a real NATS deployment through
// runtime/natsconn, which takes any server URL and nats.Options
// (credentials, TLS, ...) and does not link nats-server.
package natsserver
