package dsl

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
)

// This file is the protocol analysis of a process (E046, E047, W015,
// W016): the process runs against the aggregates it reacts to, and the
// analysis explores every way their events, its timers and the refusals
// of its commands can interleave.
//
// The model. An aggregate the process correlates by id is followed: its
// instance is the process's (same id), the process receives every event of
// it in order, and the commands the process sends it go to it. Its moves
// are those of its machine: anyone may send it any command it accepts,
// and its decision may take any branch, or refuse. The analysis tracks the
// state it is in as of the last event the process received (its frontier;
// inside a branch that emits several events, the position in the branch).
// Other aggregates (correlated by a field) may have any number of
// instances: any event they can emit can come at any time. A timer is
// armed when a step enters its state from another state (an instance
// starts in its initial state without a step: that state's timers are
// not armed), stays armed across steps from the state to itself and fires
// once. A command the process sends is handled before the next input:
// refused (by its aggregate's state or its decision), the process reacts
// to the refusal at once if it has a reaction from its current state.
//
// Two explorations of this model run:
//
//   - the over-approximation lets a command the process sends be accepted
//     without the followed aggregate's later events having to show it. Its
//     runs include every run of the real system, so what holds on all of
//     them holds for real: an input that never comes in a state (W015), a
//     timer never armed (W016), a command that no state the aggregate can be
//     in accepts (E047);
//   - the under-approximation makes the followed aggregate's events stop
//     once a command is accepted there (they are on their way), so each of
//     its runs is a run of the real system: a run that leaves the process
//     in a state where no input it reacts to can ever come is a real one
//     (E046). Whether an input can still come is judged on everything the
//     aggregates can still do.
//
// Every finding comes with the shortest run that shows it (breadth-first
// search). The exploration stops, and reports nothing, past
// maxProductStates states.

// maxProductStates bounds the states one exploration visits.
const maxProductStates = 1 << 18

// maxRefusalDepth is the runner's default bound on refusals in a chain.
const maxRefusalDepth = 8

// bitset is a set of small integers.
type bitset []uint64

func newBitset(n int) bitset    { return make(bitset, (n+63)/64) }
func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}
func (b bitset) intersects(o bitset) bool {
	for i := range b {
		if b[i]&o[i] != 0 {
			return true
		}
	}
	return false
}

// eventEdge is one event an aggregate can emit from a node of its event
// automaton.
type eventEdge struct {
	event   int // index in Aggregate.Events
	to      int // node
	command *Command
	from    *State // the state the command is handled in; nil after the first event
	target  *State
}

// followed is an aggregate the process correlates by id, as an automaton
// over its events: a node per state, then a node per position inside a
// branch emitting several events.
type followed struct {
	a       *Aggregate
	initial int
	state   []*State // the state a node's aggregate is in
	out     [][]eventEdge
	events  map[*Event]int
	cmds    map[*Command]int
	future  []bitset // events emitted on some path from the node
	accepts []bitset // commands some state reachable from the node accepts
}

// newFollowed builds the event automaton of a.
func newFollowed(a *Aggregate) *followed {
	f := &followed{a: a, events: map[*Event]int{}, cmds: map[*Command]int{}}
	index := map[*State]int{}
	for i, st := range a.States {
		index[st] = i
		f.state = append(f.state, st)
		f.out = append(f.out, nil)
		if st == a.Initial {
			f.initial = i
		}
	}
	for i, e := range a.Events {
		f.events[e] = i
	}
	for i, c := range a.Commands {
		f.cmds[c] = i
	}
	own := make([]bitset, len(a.States))
	for i := range own {
		own[i] = newBitset(len(a.Commands))
	}
	for _, t := range a.Transitions {
		for _, br := range t.Branches {
			for _, from := range br.From {
				own[index[from]].set(f.cmds[t.Command])
			}
			if len(br.Emits) == 0 {
				continue // the state does not change
			}
			// Nodes inside the branch, shared by its sources.
			mids := make([]int, len(br.Emits)-1)
			for i := range mids {
				mids[i] = len(f.state)
				f.state = append(f.state, br.To)
				f.out = append(f.out, nil)
				own = append(own, newBitset(len(a.Commands)))
			}
			node := func(i int) int { // the node after event i
				if i == len(br.Emits)-1 {
					return index[br.To]
				}
				return mids[i]
			}
			for _, from := range br.From {
				v := index[from]
				f.out[v] = append(f.out[v], eventEdge{event: f.events[br.Emits[0]], to: node(0), command: t.Command, from: from, target: br.To})
			}
			for i := 1; i < len(br.Emits); i++ {
				f.out[mids[i-1]] = append(f.out[mids[i-1]], eventEdge{event: f.events[br.Emits[i]], to: node(i), command: t.Command, target: br.To})
			}
		}
	}
	n := len(f.state)
	evOwn := make([]bitset, n)
	for v := range evOwn {
		evOwn[v] = newBitset(len(a.Events))
		for _, e := range f.out[v] {
			evOwn[v].set(e.event)
		}
	}
	succ := func(v int, visit func(int)) {
		for _, e := range f.out[v] {
			visit(e.to)
		}
	}
	f.future = closeOver(n, succ, evOwn)
	f.accepts = closeOver(n, succ, own)
	return f
}

// closeOver returns, for every node, the union of own over the nodes it
// reaches (itself included), in time linear in the graph times the size of
// a set.
func closeOver(n int, succ func(int, func(int)), own []bitset) []bitset {
	members, comp := sccs(n, func(v int) []int {
		var out []int
		succ(v, func(w int) { out = append(out, w) })
		return out
	})
	sets := make([]bitset, len(members))
	// Components come in reverse topological order: successors first.
	for c := range members {
		s := make(bitset, len(own[members[c][0]]))
		for _, v := range members[c] {
			s.or(own[v])
			succ(v, func(w int) {
				if comp[w] != c {
					s.or(sets[comp[w]])
				}
			})
		}
		sets[c] = s
	}
	out := make([]bitset, n)
	for v := 0; v < n; v++ {
		out[v] = sets[comp[v]]
	}
	return out
}

// pstate is a state of the product: the process's state, the frontier of
// each followed aggregate, the timers armed, whether the instance exists
// (has stored a step) and, in the under-approximation, which followed
// aggregates have events on their way.
type pstate struct {
	proc    int
	front   []int
	armed   uint64 // over the process's timer inputs
	created bool
	frozen  uint64 // over the followed aggregates
}

func (s *pstate) key() string {
	b := make([]byte, 0, 8*(len(s.front)+4))
	b = binary.AppendUvarint(b, uint64(s.proc))
	for _, v := range s.front {
		b = binary.AppendUvarint(b, uint64(v))
	}
	b = binary.AppendUvarint(b, s.armed)
	b = binary.AppendUvarint(b, s.frozen)
	if s.created {
		b = append(b, 1)
	}
	return string(b)
}

func (s *pstate) clone() *pstate {
	c := *s
	c.front = slices.Clone(s.front)
	return &c
}

// pnode is a visited product state and how the search reached it.
type pnode struct {
	st     *pstate
	parent *pnode
	steps  []TraceStep // the steps from parent to here
}

// trace returns the run to n.
func (n *pnode) trace() []TraceStep {
	var chunks [][]TraceStep
	for m := n; m != nil; m = m.parent {
		chunks = append(chunks, m.steps)
	}
	var out []TraceStep
	for i := len(chunks) - 1; i >= 0; i-- {
		out = append(out, chunks[i]...)
	}
	return out
}

// protocol holds what one process's analysis needs.
type protocol struct {
	p        *Process
	states   map[*State]int
	follows  []*followed
	followOf map[*Aggregate]int
	timers   []*Input // timer inputs, at most 64
	timerOf  map[*Input]int
	// emittable: events of aggregates not followed that some branch emits.
	emittable map[*Event]bool
	// reactsTo[k][state]: events of followed aggregate k the process
	// reacts to in the state.
	reactsTo [][]bitset
	// free[state]: the process reacts in the state to an event of an
	// aggregate it does not follow.
	free []bool
	// stateTimers[state]: mask of the timers of the state.
	stateTimers []uint64
	under       bool
	// Over-approximation results.
	taken    map[branchFrom]bool // (branch, source state) taken
	armed    []bool              // timers ever armed
	sendSeen map[sendAt]*pnode   // first product state a send is made in
	sendOK   map[sendAt]bool     // the followed aggregate could accept it there
	reached  []*pnode            // first product state each process state is in
	stuck    []*pnode            // under: first product state stuck in each process state
}

type branchFrom struct {
	br   *ProcessBranch
	from *State
}

type sendAt struct {
	br *ProcessBranch
	i  int
}

// analyseProtocol runs the protocol analysis of p and reports its
// findings.
func (c *checker) analyseProtocol(p *Process, stateDecl func(*State) Position) {
	over := newProtocol(p, false)
	if over == nil || !over.explore() {
		return
	}
	under := newProtocol(p, true)
	if !under.explore() {
		under = nil
	}
	// E046: a run that leaves the process waiting forever.
	if under != nil {
		for i, n := range under.stuck {
			if n == nil {
				continue
			}
			st := p.States[i]
			tr := &Trace{Process: p, Steps: n.trace(), Loop: -1}
			tr.End = under.waitingSentence(n.st)
			d := newDiag(stateDecl(st), codeWaitsForever,
				fmt.Sprintf("process %s can wait forever in state %s: %s, %s", p.Name, st.Name, tr.End, tr.phrase()),
				"react in "+st.Name+" to what can still come, or add a timer there")
			d.Trace = tr
			c.diags = append(c.diags, d)
		}
	}
	// W015 and E047, per reaction branch.
	type stateInput struct {
		from *State
		in   *Input
	}
	warned := map[stateInput]bool{}
	for _, r := range p.Reactions {
		in := r.Input
		for _, br := range r.Branches {
			for _, from := range br.From {
				fi := over.states[from]
				if in.Kind == InputEvent {
					if k, ok := over.followOf[in.Aggregate]; ok && over.reached[fi] != nil && !over.taken[branchFrom{br, from}] && !warned[stateInput{from, in}] {
						warned[stateInput{from, in}] = true
						n := over.reached[fi]
						tr := &Trace{Process: p, Steps: n.trace(), Loop: -1}
						f := over.follows[k]
						tr.End = fmt.Sprintf("%s is past every state that emits %s whenever %s is in %s", f.a.Name, in.Event.Name, p.Name, from.Name)
						d := newDiag(in.Pos, codeNeverArrives,
							fmt.Sprintf("in state %s, process %s waits for %s.%s, which %s can no longer emit then: %s is in %s %s", from.Name, p.Name, in.Aggregate.Name, in.Event.Name, f.a.Name, p.Name, from.Name, tr.phrase()),
							"remove "+from.Name+" from the sources of this branch, or react to what comes instead")
						d.Trace = tr
						c.diags = append(c.diags, d)
					}
				}
			}
			for i, snd := range br.Sends {
				at := sendAt{br, i}
				n := over.sendSeen[at]
				if n == nil || over.sendOK[at] {
					continue
				}
				tr := &Trace{Process: p, Steps: n.trace(), Loop: -1}
				tr.End = fmt.Sprintf("%s is in no state that can accept %s", snd.Aggregate.Name, snd.Command.Name)
				d := newDiag(snd.Pos, codeAlwaysRefused,
					fmt.Sprintf("%s.%s is always refused here: %s can no longer accept it when %s takes this branch, as %s", snd.Aggregate.Name, snd.Command.Name, snd.Aggregate.Name, p.Name, tr.phrase()),
					"send it where "+snd.Aggregate.Name+" can still accept it")
				d.Trace = tr
				c.diags = append(c.diags, d)
			}
		}
	}
	// W016: timers never armed.
	for i, in := range over.timers {
		if over.armed[i] {
			continue
		}
		tr := &Trace{Process: p, Loop: -1}
		what := "the process never enters " + in.State.Name + " from another state: the inputs that lead there never come then"
		if in.State == p.Initial {
			what = "an instance starts in " + in.State.Name + " without a step, and no step enters it from another state"
		}
		if n := over.reached[over.states[in.State]]; n != nil {
			tr.Steps = n.trace()
		}
		tr.End = fmt.Sprintf("timer %s is never armed: %s", in.Name, what)
		d := newDiag(in.Pos, codeTimerNeverFires,
			fmt.Sprintf("timer %s never fires: a timer is armed when a step enters its state from another state, and %s", in.Name, what),
			"remove the timer, or enter "+in.State.Name+" from another state")
		d.Trace = tr
		c.diags = append(c.diags, d)
	}
}

// newProtocol prepares the analysis of p; nil when it cannot run (too many
// timers).
func newProtocol(p *Process, under bool) *protocol {
	pr := &protocol{p: p, states: map[*State]int{}, followOf: map[*Aggregate]int{}, timerOf: map[*Input]int{},
		emittable: map[*Event]bool{}, under: under,
		taken: map[branchFrom]bool{}, sendSeen: map[sendAt]*pnode{}, sendOK: map[sendAt]bool{}}
	for i, st := range p.States {
		pr.states[st] = i
	}
	for _, co := range p.Correlations {
		if co.Field == "" && len(pr.follows) < 64 {
			pr.followOf[co.Aggregate] = len(pr.follows)
			pr.follows = append(pr.follows, newFollowed(co.Aggregate))
		}
	}
	pr.reactsTo = make([][]bitset, len(pr.follows))
	for k, f := range pr.follows {
		pr.reactsTo[k] = make([]bitset, len(p.States))
		for i := range p.States {
			pr.reactsTo[k][i] = newBitset(len(f.a.Events))
		}
	}
	pr.free = make([]bool, len(p.States))
	pr.stateTimers = make([]uint64, len(p.States))
	for _, r := range p.Reactions {
		in := r.Input
		switch in.Kind {
		case InputTimer:
			if len(pr.timers) == 64 {
				return nil
			}
			pr.timerOf[in] = len(pr.timers)
			pr.stateTimers[pr.states[in.State]] |= 1 << len(pr.timers)
			pr.timers = append(pr.timers, in)
		case InputEvent:
			k, ok := pr.followOf[in.Aggregate]
			for _, br := range r.Branches {
				for _, from := range br.From {
					switch {
					case ok:
						pr.reactsTo[k][pr.states[from]].set(pr.follows[k].events[in.Event])
					case emits(in.Aggregate, in.Event):
						pr.emittable[in.Event] = true
						pr.free[pr.states[from]] = true
					}
				}
			}
		}
	}
	pr.armed = make([]bool, len(pr.timers))
	pr.reached = make([]*pnode, len(p.States))
	pr.stuck = make([]*pnode, len(p.States))
	return pr
}

// emits reports whether some branch of a, from a state its initial state
// reaches, emits ev.
func emits(a *Aggregate, ev *Event) bool {
	g := aggregateGraph(a)
	if g.initial < 0 {
		return false
	}
	dist, _ := g.bfs(g.initial, nil)
	for _, t := range a.Transitions {
		for _, br := range t.Branches {
			if !slices.Contains(br.Emits, ev) {
				continue
			}
			for _, from := range br.From {
				if dist[slices.Index(a.States, from)] >= 0 {
					return true
				}
			}
		}
	}
	return false
}

// explore runs the breadth-first search; false when it went past its
// bound.
func (pr *protocol) explore() bool {
	start := &pstate{proc: pr.states[pr.p.Initial], front: make([]int, len(pr.follows))}
	for k, f := range pr.follows {
		start.front[k] = f.initial
	}
	seen := map[string]bool{start.key(): true}
	queue := []*pnode{{st: start}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if pr.reached[n.st.proc] == nil {
			pr.reached[n.st.proc] = n
		}
		if pr.under && pr.stuck[n.st.proc] == nil && pr.isStuck(n.st) {
			pr.stuck[n.st.proc] = n
		}
		for _, next := range pr.moves(n) {
			k := next.st.key()
			if seen[k] {
				continue
			}
			if len(seen) >= maxProductStates {
				return false
			}
			seen[k] = true
			queue = append(queue, next)
		}
	}
	return true
}

// isStuck reports whether the process exists, is not in a final state, and
// no input it reacts to in its state can ever come.
func (pr *protocol) isStuck(s *pstate) bool {
	if !s.created || pr.p.States[s.proc].Final || pr.free[s.proc] || s.armed != 0 {
		return false
	}
	for k, f := range pr.follows {
		if f.future[s.front[k]].intersects(pr.reactsTo[k][s.proc]) {
			return false
		}
	}
	return true
}

// waitingSentence says why nothing can come in s.
func (pr *protocol) waitingSentence(s *pstate) string {
	var parts []string
	for k, f := range pr.follows {
		var waits []string
		for i, e := range f.a.Events {
			if pr.reactsTo[k][s.proc].has(i) {
				waits = append(waits, e.Name)
			}
		}
		if len(waits) > 0 {
			parts = append(parts, fmt.Sprintf("%s, in %s, can no longer emit %s", f.a.Name, f.state[s.front[k]].Name, strings.Join(waits, " or ")))
		}
	}
	if len(parts) == 0 {
		return "it reacts to nothing there, and no timer of it is armed"
	}
	return strings.Join(parts, "; ")
}

// moves returns the product states one input leads n to, each with the
// steps that lead there.
func (pr *protocol) moves(n *pnode) []*pnode {
	s := n.st
	var out []*pnode
	proc := pr.p.States[s.proc]
	// An event of a followed aggregate.
	for k, f := range pr.follows {
		if pr.under && s.frozen&(1<<k) != 0 {
			continue
		}
		for _, e := range f.out[s.front[k]] {
			ns := s.clone()
			ns.front[k] = e.to
			step := TraceStep{Kind: StepCommand, Aggregate: f.a.Name, Command: e.command.Name, Events: []string{f.a.Events[e.event].Name}, From: proc.Name}
			if e.from != nil {
				step.AggFrom, step.AggTo = e.from.Name, e.target.Name
			} else {
				step.Kind = StepEvent
			}
			r := pr.reactionTo(f.a, f.a.Events[e.event])
			fired := false
			if r != nil {
				for _, br := range r.Branches {
					if !slices.Contains(br.From, proc) {
						continue
					}
					fired = true
					out = append(out, pr.step(n, ns, r, br, step)...)
				}
			}
			if !fired {
				out = append(out, &pnode{st: ns, parent: n, steps: []TraceStep{step}})
			}
		}
	}
	// An event of an aggregate the process does not follow, or a timer.
	for _, r := range pr.p.Reactions {
		in := r.Input
		switch in.Kind {
		case InputEvent:
			if _, ok := pr.followOf[in.Aggregate]; ok || !pr.emittable[in.Event] {
				continue
			}
		case InputTimer:
			if s.armed&(1<<pr.timerOf[in]) == 0 {
				continue
			}
		default:
			continue
		}
		for _, br := range r.Branches {
			if !slices.Contains(br.From, proc) {
				continue
			}
			ns := s.clone()
			if in.Kind == InputTimer && br.To == proc {
				ns.armed &^= 1 << pr.timerOf[in] // fired, and not armed again
			}
			out = append(out, pr.step(n, ns, r, br, TraceStep{Kind: StepInput})...)
		}
	}
	return out
}

// reactionTo returns the reaction of the process to event ev of a.
func (pr *protocol) reactionTo(a *Aggregate, ev *Event) *Reaction {
	for _, r := range pr.p.Reactions {
		if r.Input.Kind == InputEvent && r.Input.Aggregate == a && r.Input.Event == ev {
			return r
		}
	}
	return nil
}

// step takes branch br of reaction r in ns (the input delivered), then
// sends its commands: the product states that can follow, each with its
// steps from n.
func (pr *protocol) step(n *pnode, ns *pstate, r *Reaction, br *ProcessBranch, first TraceStep) []*pnode {
	ns = ns.clone()
	proc := pr.p.States[ns.proc]
	pr.taken[branchFrom{br, proc}] = true
	first.Input, first.From, first.To, first.Sends = r.Input, proc.Name, br.To.Name, br.Sends
	pr.enter(ns, br.To)
	var out []*pnode
	pr.sends(n, ns, br, 0, 0, []TraceStep{first}, &out)
	return out
}

// enter moves the process to state to, arming its timers when it comes
// from another state.
func (pr *protocol) enter(s *pstate, to *State) {
	ti := pr.states[to]
	if ti != s.proc {
		s.armed = pr.stateTimers[ti]
		for i := range pr.timers {
			if s.armed&(1<<i) != 0 {
				pr.armed[i] = true
			}
		}
	}
	s.proc = ti
	s.created = true
}

// sends handles the commands of br from the i-th on, in s, appending the
// product states that can result to out.
func (pr *protocol) sends(n *pnode, s *pstate, br *ProcessBranch, i, depth int, steps []TraceStep, out *[]*pnode) {
	if i == len(br.Sends) {
		*out = append(*out, &pnode{st: s, parent: n, steps: steps})
		return
	}
	snd := br.Sends[i]
	k, follows := pr.followOf[snd.Aggregate]
	canAccept := true
	if follows {
		f := pr.follows[k]
		canAccept = f.accepts[s.front[k]].has(f.cmds[snd.Command])
		if !pr.under {
			at := sendAt{br, i}
			if pr.sendSeen[at] == nil {
				pr.sendSeen[at] = &pnode{st: s, parent: n, steps: steps}
			}
			pr.sendOK[at] = pr.sendOK[at] || canAccept
		}
	}
	proc := pr.p.States[s.proc]
	// Refused, and the process reacts.
	reacted := false
	if depth < maxRefusalDepth {
		for _, r := range pr.p.Reactions {
			in := r.Input
			if in.Kind != InputRejection || in.Aggregate != snd.Aggregate || in.Command != snd.Command {
				continue
			}
			for _, rb := range r.Branches {
				if !slices.Contains(rb.From, proc) {
					continue
				}
				reacted = true
				pr.taken[branchFrom{rb, proc}] = true
				ns := s.clone()
				pr.enter(ns, rb.To)
				step := TraceStep{Kind: StepRefused, Aggregate: snd.Aggregate.Name, Command: snd.Command.Name, Input: in, From: proc.Name, To: rb.To.Name, Sends: rb.Sends}
				// The reaction's own commands, then the rest of br's.
				var mid []*pnode
				pr.sends(n, ns, rb, 0, depth+1, appendStep(steps, step), &mid)
				for _, m := range mid {
					pr.sends(n, m.st, br, i+1, depth, m.steps, out)
				}
			}
		}
	}
	// Accepted, or refused with nothing to react.
	ns := s
	next := steps
	switch {
	case !reacted:
		// A refusal without a reaction changes nothing either.
	case !canAccept, pr.under && follows && s.frozen&(1<<k) != 0:
		// Refused for sure; or, in the under-approximation, accepted only
		// if the aggregate's state after the command accepted before it
		// accepts it, which is not known.
		return
	case pr.under && follows:
		ns = s.clone()
		ns.frozen |= 1 << k
		next = appendStep(steps, TraceStep{Kind: StepAccepted, Aggregate: snd.Aggregate.Name, Command: snd.Command.Name})
	}
	pr.sends(n, ns, br, i+1, depth, next, out)
}

// appendStep returns steps with s appended, never sharing the array.
func appendStep(steps []TraceStep, s TraceStep) []TraceStep {
	return append(slices.Clip(steps), s)
}
