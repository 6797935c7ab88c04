// Package natsconn connects to a NATS deployment the application does not
// run itself: any server URL, with credentials or TLS as nats.Options, and
// disconnects, reconnects and asynchronous errors logged with log/slog.
//
// It links the NATS client only. A program that runs its server inside the
// process uses runtime/natsserver instead, which links nats-server (and
// whose Server.Connect opens its connections through this package).
package natsconn
