package natsconn

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go"
)

// Connect connects to the NATS server at url (a comma-separated list for a
// cluster), with credentials or TLS passed as opts, e.g.
// nats.UserCredentials, nats.RootCAs; opts come after the defaults and so
// override them. Disconnects, reconnects and asynchronous errors are logged
// to log (nil discards). Reconnection is unlimited by default.
func Connect(url string, log *slog.Logger, opts ...nats.Option) (*nats.Conn, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := []nats.Option{
		nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			log.LogAttrs(context.Background(), slog.LevelWarn, "nats disconnected", slog.Any("error", err))
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.LogAttrs(context.Background(), slog.LevelInfo, "nats reconnected", slog.String("url", nc.ConnectedUrlRedacted()))
		}),
		nats.ErrorHandler(func(nc *nats.Conn, sub *nats.Subscription, err error) {
			attrs := []slog.Attr{slog.Any("error", err)}
			if sub != nil {
				attrs = append(attrs, slog.String("subject", sub.Subject))
			}
			log.LogAttrs(context.Background(), slog.LevelError, "nats async error", attrs...)
		}),
	}
	nc, err := nats.Connect(url, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("natsconn: connect %s: %w", url, err)
	}
	return nc, nil
}
