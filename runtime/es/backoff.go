package es

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"
)

// Default backoff between retries after a concurrency conflict: see
// WithRetryBackoff.
const (
	DefaultRetryBackoff    = time.Millisecond
	DefaultMaxRetryBackoff = 100 * time.Millisecond
)

// backoff is the wait before each retry of a command after a concurrency
// conflict with another writer: exponential, with jitter, bounded.
type backoff struct {
	base, max time.Duration
	// jitter returns a random number in [0, n), n > 0.
	jitter func(n int64) int64
	// sleep waits d or until ctx ends, and then returns ctx's error.
	sleep func(ctx context.Context, d time.Duration) error
}

func defaultBackoff() backoff {
	return backoff{base: DefaultRetryBackoff, max: DefaultMaxRetryBackoff, jitter: rand.Int64N, sleep: sleep}
}

// delay returns the wait before retry number retry (1 for the first): a
// random time between half of and the whole of base·2^(retry-1), bounded
// by max. So every wait is at least as long as the one before it could
// have been, and writers that conflicted at once spread apart. A base of
// 0 or less retries at once.
func (b *backoff) delay(retry int) time.Duration {
	if b.base <= 0 {
		return 0
	}
	d := b.base
	for i := 1; i < retry && d < b.max; i++ {
		if d > b.max/2 {
			d = b.max
			break
		}
		d *= 2
	}
	d = min(d, b.max)
	half := d / 2
	return d - half + time.Duration(b.jitter(int64(half)+1))
}

// wait sleeps d, or until ctx ends.
func (b *backoff) wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	return b.sleep(ctx, d)
}

// sleep waits d or until ctx ends, and then returns ctx's error.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryAfter logs that the command commandID on ref is retried after a
// concurrency conflict (its attempt number attempt, from 0, failed with
// conflict) and waits before the retry. If ctx ends first, it returns an
// error matching both conflict and ctx's error.
func retryAfter(ctx context.Context, o *repositoryOptions, ref Ref, attempt int, commandID string, conflict error) error {
	d := o.backoff.delay(attempt + 1)
	o.logger.LogAttrs(ctx, slog.LevelInfo, "concurrency conflict, retrying",
		slog.String("aggregate", ref.Type), slog.String("id", ref.ID),
		slog.Int("attempt", attempt+1), slog.String("command_id", commandID),
		slog.Duration("backoff", d))
	if err := o.backoff.wait(ctx, d); err != nil {
		return fmt.Errorf("%w (waiting to retry: %w)", conflict, err)
	}
	return nil
}
