package jsstore

import (
	"context"
	"sync"

	"github.com/nats-io/nats.go"
)

// A read asks for batches of messages with direct gets whose replies come
// to an inbox of its own. A reply subscription is costly to make: nats.go
// gives a synchronous one a channel of 65,536 messages (512 KiB, cleared
// on every subscribe), which was most of the bytes and much of the CPU of
// a command on an aggregate not yet cached. So the store keeps the
// subscriptions of finished reads, each on a channel just large enough for
// one batch and its end marker, and hands them to the next reads.
//
// A subscription goes back to the store only after a read that took every
// reply to every request it sent: the next read then gets no message meant
// for the one before. One that stopped early (an error, a context ended,
// the caller's yield returned false) is dropped.

// replyChanLen is the channel of a reply subscription: one batch of
// readBatch messages and its end marker, and one to spare. A read sends
// its next request only once it has taken every reply to the last, so the
// channel never fills and nats.go never drops a reply as a slow consumer's.
const replyChanLen = readBatch + 2

// maxIdleReplies is how many idle reply subscriptions a store keeps: as
// many reads as run at once in a busy process, each ~8 KiB of channel.
const maxIdleReplies = 32

// replies keeps a store's idle reply subscriptions.
type replies struct {
	mu   sync.Mutex
	idle []*replySub
}

// replySub is one reply subscription: its inbox and the channel its
// replies arrive on.
type replySub struct {
	inbox string
	sub   *nats.Subscription
	ch    chan *nats.Msg
}

// get returns an idle reply subscription, or a new one.
func (r *replies) get(nc *nats.Conn) (*replySub, error) {
	r.mu.Lock()
	if n := len(r.idle); n > 0 {
		rs := r.idle[n-1]
		r.idle[n-1] = nil
		r.idle = r.idle[:n-1]
		r.mu.Unlock()
		return rs, nil
	}
	r.mu.Unlock()
	rs := &replySub{inbox: nc.NewRespInbox(), ch: make(chan *nats.Msg, replyChanLen)}
	sub, err := nc.ChanSubscribe(rs.inbox, rs.ch)
	if err != nil {
		return nil, err
	}
	rs.sub = sub
	return rs, nil
}

// put gives rs back after a read: kept when the read took every reply to
// its requests (clean) and the store keeps fewer than maxIdleReplies,
// else unsubscribed.
func (r *replies) put(rs *replySub, clean bool) {
	if clean && len(rs.ch) == 0 && rs.sub.IsValid() {
		r.mu.Lock()
		if len(r.idle) < maxIdleReplies {
			r.idle = append(r.idle, rs)
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
	}
	_ = rs.sub.Unsubscribe()
}

// next returns the next reply, or ctx's error when it ends first.
func (rs *replySub) next(ctx context.Context) (*nats.Msg, error) {
	select {
	case m := <-rs.ch:
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
