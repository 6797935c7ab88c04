package projection

import (
	"context"
	"fmt"
	"log/slog"
)

// Rebuild replays the projection from the start of the stream: the
// consumer is reset to sequence 1 and the read model, if it implements
// Resetter, is reset. A running projection does it between two batches (or
// between two retries of a failing message) and goes on replaying;
// otherwise the next Run starts from the beginning.
//
// The consumer moves first: should the read model's Reset fail, Rebuild
// returns the error and the projection retries Reset before it hands over
// any record, so a read model is never fed a replay on top of its old
// contents by this process.
func (p *Projection) Rebuild(ctx context.Context) error {
	for {
		l := p.running()
		if l == nil {
			p.mu.Lock()
			if p.loop != nil { // Run started meanwhile: ask it
				p.mu.Unlock()
				continue
			}
			err := p.rebuild(ctx)
			p.mu.Unlock()
			return err
		}
		reply := make(chan error, 1)
		select {
		case l.rebuilds <- reply:
		case <-l.done:
			continue
		case <-ctx.Done():
			return fmt.Errorf("projection %s: rebuild: %w", p.name, ctx.Err())
		}
		if cancel := l.idle.Load(); cancel != nil {
			(*cancel)()
		}
		select {
		case l.wake <- struct{}{}:
		default:
		}
		select {
		case err := <-reply:
			return err
		case <-l.done:
			// Run ended; it may or may not have taken the request.
			select {
			case err := <-reply:
				return err
			default:
				continue
			}
		case <-ctx.Done():
			return fmt.Errorf("projection %s: rebuild: %w", p.name, ctx.Err())
		}
	}
}

// rebuild resets the consumer to sequence 1 and then the read model.
func (p *Projection) rebuild(ctx context.Context) error {
	// The server does not answer a reset of a consumer that does not exist;
	// without one, the next Run starts from the beginning anyway.
	_, err := p.js.Consumer(ctx, p.o.stream, p.name)
	switch {
	case err == nil:
		if _, err := p.js.ResetConsumerToSequence(ctx, p.o.stream, p.name, 1); err != nil {
			return fmt.Errorf("projection %s: rebuild: reset consumer: %w", p.name, err)
		}
	case !isNotFound(err):
		return fmt.Errorf("projection %s: rebuild: %w", p.name, err)
	}
	p.needReset.Store(true)
	p.setCheckpoint(0)
	p.log.LogAttrs(ctx, slog.LevelInfo, "projection rebuilding from the start of the stream")
	return p.resetModel(ctx)
}
