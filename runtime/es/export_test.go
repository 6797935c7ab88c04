package es

import (
	"context"
	"time"
)

// WithBackoffSource replaces the random source and the sleep of the
// backoff before retries, for tests: jitter returns a number in [0, n),
// sleep waits d or until ctx ends. A nil one is left as it is.
func WithBackoffSource(jitter func(n int64) int64, sleep func(ctx context.Context, d time.Duration) error) RepositoryOption {
	return func(o *repositoryOptions) {
		if jitter != nil {
			o.backoff.jitter = jitter
		}
		if sleep != nil {
			o.backoff.sleep = sleep
		}
	}
}
