package natsserver

import (
	"context"
	"fmt"
	"log/slog"
)

// slogAdapter routes nats-server's log lines to slog, and reports the
// first fatal one (the server gives up starting, say) on fatal.
type slogAdapter struct {
	log   *slog.Logger
	fatal chan string // buffered, capacity 1
}

func (a *slogAdapter) logf(level slog.Level, format string, v ...any) {
	if a.log.Enabled(context.Background(), level) {
		a.log.LogAttrs(context.Background(), level, fmt.Sprintf(format, v...), slog.String("component", "nats-server"))
	}
}

func (a *slogAdapter) Noticef(format string, v ...any) { a.logf(slog.LevelInfo, format, v...) }
func (a *slogAdapter) Warnf(format string, v ...any)   { a.logf(slog.LevelWarn, format, v...) }
func (a *slogAdapter) Fatalf(format string, v ...any) {
	a.logf(slog.LevelError, format, v...)
	select {
	case a.fatal <- fmt.Sprintf(format, v...):
	default:
	}
}
func (a *slogAdapter) Errorf(format string, v ...any) { a.logf(slog.LevelError, format, v...) }
func (a *slogAdapter) Debugf(format string, v ...any) { a.logf(slog.LevelDebug, format, v...) }
func (a *slogAdapter) Tracef(format string, v ...any) { a.logf(slog.LevelDebug-4, format, v...) }
