package generator

import (
	"context"
	"runtime"
	"slices"
	"sync"
)

// runPipeline runs the file generators and then the formatting of the
// chunks of their files on every core, with no barrier between the two: a
// worker takes the next generator while one is left, else the largest
// chunk waiting to be formatted, so that the cores stay busy until the
// end. Generators and chunks depend on nothing but the read-only model, so
// the output does not depend on the order they run in.
//
// After a failure nothing new starts, and the error returned is that of
// the first failing generator in order (they start in order, and all that
// started finish), else that of a chunk; once ctx is done, nothing new
// starts either and its error is returned.
func runPipeline(ctx context.Context, steps []func() (unformatted, error)) ([]File, error) {
	p := &pipeline{
		ctx:      ctx,
		steps:    steps,
		raws:     make([]unformatted, len(steps)),
		parts:    make([][][]byte, len(steps)),
		stepErrs: make([]error, len(steps)),
	}
	p.cond = sync.NewCond(&p.mu)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(steps))) {
		wg.Go(p.work)
	}
	wg.Wait()
	for _, err := range p.stepErrs {
		if err != nil {
			return nil, err
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	files := make([]File, len(steps))
	for i, raw := range p.raws {
		files[i] = File{Name: raw.name, Data: join(p.parts[i]), Once: raw.once}
	}
	return files, nil
}

// pipeline is the state runPipeline's workers share, guarded by mu.
type pipeline struct {
	ctx   context.Context
	steps []func() (unformatted, error)

	mu      sync.Mutex
	cond    *sync.Cond // signalled when chunks are queued or work ends
	next    int        // the next step to start
	running int        // steps running
	queue   []chunk    // chunks waiting, smallest first
	failed  bool       // a step or chunk failed, or ctx is done: start nothing new

	raws     []unformatted
	parts    [][][]byte // formatted chunks, by file and index
	stepErrs []error
	err      error // the first error of a chunk, or ctx's
}

// work is one worker's loop.
func (p *pipeline) work() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if err := p.ctx.Err(); err != nil && !p.failed {
			p.fail(err)
		}
		switch {
		case p.failed:
			return
		case p.next < len(p.steps):
			i := p.next
			p.next++
			p.running++
			p.mu.Unlock()
			raw, err := p.steps[i]()
			var spans [][2]int
			if err == nil {
				spans = chunks(raw.src, minChunk)
			}
			p.mu.Lock()
			p.running--
			if err != nil {
				p.stepErrs[i] = err
				p.fail(nil)
				continue
			}
			p.raws[i] = raw
			p.parts[i] = make([][]byte, len(spans))
			for j, s := range spans {
				p.queue = append(p.queue, chunk{file: i, index: j, start: s[0], end: s[1]})
			}
			slices.SortStableFunc(p.queue, func(a, b chunk) int { return (a.end - a.start) - (b.end - b.start) })
			p.cond.Broadcast()
		case len(p.queue) > 0:
			c := p.queue[len(p.queue)-1]
			p.queue = p.queue[:len(p.queue)-1]
			p.mu.Unlock()
			out, err := formatChunk(p.raws[c.file], c)
			p.mu.Lock()
			if err != nil {
				p.fail(err)
				continue
			}
			p.parts[c.file][c.index] = out
		case p.running > 0:
			p.cond.Wait()
		default:
			p.cond.Broadcast()
			return
		}
	}
}

// fail stops the pipeline, keeping the first error not of a step.
func (p *pipeline) fail(err error) {
	if p.err == nil {
		p.err = err
	}
	p.failed = true
	p.cond.Broadcast()
}
