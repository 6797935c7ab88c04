package process

import "time"

// workerIdle is how long a worker waits for another instance to handle
// before it ends.
const workerIdle = 5 * time.Second

// workers run the handling of instances on goroutines that outlive one
// batch: a handling goes deep into the store's client, and a new
// goroutine would grow its stack, copying it, for every instance.
// Concurrency is bounded by the caller; a worker waits workerIdle for
// more work, then ends.
type workers struct {
	jobs chan func() // unbuffered: a send succeeds only to a waiting worker
}

func newWorkers() *workers { return &workers{jobs: make(chan func())} }

// do runs f on a waiting worker, or on a new one.
func (w *workers) do(f func()) {
	select {
	case w.jobs <- f:
	default:
		go w.work(f)
	}
}

func (w *workers) work(f func()) {
	t := time.NewTimer(workerIdle)
	defer t.Stop()
	for {
		f()
		t.Reset(workerIdle)
		select {
		case f = <-w.jobs:
		case <-t.C:
			return
		}
	}
}
