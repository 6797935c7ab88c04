package dsl

import (
	"fmt"
	"strings"
)

// This file is the liveness check (E045, W017): every state the initial
// state reaches must lead to a final state, unless the aggregate says it
// lives forever. A process must always be able to end too.

// machineEdge is one move of a machine's graph: a branch of a command (an
// aggregate's) or of an input (a process's) from one state to another.
type machineEdge struct {
	to   int
	step TraceStep
}

// machineGraph is a state machine as a graph over state indexes.
type machineGraph struct {
	states  []*State
	initial int
	out     [][]machineEdge
}

// aggregateGraph returns the graph of aggregate a's transitions.
func aggregateGraph(a *Aggregate) *machineGraph {
	g := &machineGraph{states: a.States, initial: -1, out: make([][]machineEdge, len(a.States))}
	index := make(map[*State]int, len(a.States))
	for i, st := range a.States {
		index[st] = i
		if st == a.Initial {
			g.initial = i
		}
	}
	for _, t := range a.Transitions {
		for _, br := range t.Branches {
			events := make([]string, len(br.Emits))
			for i, e := range br.Emits {
				events[i] = e.Name
			}
			for _, from := range br.From {
				g.out[index[from]] = append(g.out[index[from]], machineEdge{to: index[br.To], step: TraceStep{
					Kind: StepCommand, Command: t.Command.Name, AggFrom: from.Name, AggTo: br.To.Name, Events: events,
				}})
			}
		}
	}
	return g
}

// processGraph returns the graph of process p's reactions, inputs being
// able to come at any time.
func processGraph(p *Process) *machineGraph {
	g := &machineGraph{states: p.States, initial: -1, out: make([][]machineEdge, len(p.States))}
	index := make(map[*State]int, len(p.States))
	for i, st := range p.States {
		index[st] = i
		if st == p.Initial {
			g.initial = i
		}
	}
	for _, r := range p.Reactions {
		for _, br := range r.Branches {
			for _, from := range br.From {
				g.out[index[from]] = append(g.out[index[from]], machineEdge{to: index[br.To], step: TraceStep{
					Kind: StepInput, Input: r.Input, From: from.Name, To: br.To.Name, Sends: br.Sends,
				}})
			}
		}
	}
	return g
}

// trap is a set of states that lead only to each other, never to a final
// state, with the run that shows it.
type trap struct {
	states []*State // in declaration order
	trace  *Trace
}

// traps returns the sets of non-final states, reached from the initial
// state, that lead only to each other and never to a final state: the
// bottom strongly connected components of the states that cannot end.
// A single state with no way out is left out (E011 reports it). Each trap
// comes with the shortest run into it and then once round one of its
// cycles. The cost is linear in the size of the graph.
func (g *machineGraph) traps() []trap {
	n := len(g.states)
	if g.initial < 0 {
		return nil
	}
	dist, parent := g.bfs(g.initial, nil)
	// Reverse reachability from the final states.
	in := make([][]int, n)
	for v := range g.out {
		for _, e := range g.out[v] {
			in[e.to] = append(in[e.to], v)
		}
	}
	canEnd := make([]bool, n)
	var queue []int
	for i, st := range g.states {
		if st.Final {
			canEnd[i] = true
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, u := range in[v] {
			if !canEnd[u] {
				canEnd[u] = true
				queue = append(queue, u)
			}
		}
	}
	stuck := make([]bool, n)
	anyStuck := false
	for i := range stuck {
		stuck[i] = dist[i] >= 0 && !canEnd[i]
		anyStuck = anyStuck || stuck[i]
	}
	if !anyStuck {
		return nil
	}
	_, comp := sccs(n, func(v int) []int {
		if !stuck[v] {
			return nil
		}
		var out []int
		for _, e := range g.out[v] {
			if stuck[e.to] {
				out = append(out, e.to)
			}
		}
		return out
	})
	// A component is a trap when it is stuck, no edge leaves it (none can
	// lead out of the stuck states) and it holds a cycle.
	type info struct {
		members []int
		bottom  bool
		cycle   bool
	}
	comps := map[int]*info{}
	var order []int
	for v := 0; v < n; v++ {
		if !stuck[v] {
			continue
		}
		c := comps[comp[v]]
		if c == nil {
			c = &info{bottom: true}
			comps[comp[v]] = c
			order = append(order, comp[v])
		}
		c.members = append(c.members, v)
		for _, e := range g.out[v] {
			if comp[e.to] != comp[v] {
				c.bottom = false
			} else {
				c.cycle = true
			}
		}
	}
	var out []trap
	for _, id := range order {
		c := comps[id]
		if !c.bottom || !c.cycle {
			continue
		}
		// The member the initial state reaches first, then a cycle back
		// to it inside the component.
		entry := c.members[0]
		for _, v := range c.members {
			if dist[v] < dist[entry] {
				entry = v
			}
		}
		steps := g.path(parent, entry)
		loop := len(steps)
		inComp := func(v int) bool { return comp[v] == id }
		steps = append(steps, g.cycle(entry, inComp)...)
		t := trap{trace: &Trace{Steps: steps, Loop: loop}}
		for _, v := range c.members {
			t.states = append(t.states, g.states[v])
		}
		out = append(out, t)
	}
	return out
}

// bfs returns the distance of every state from start (-1 when
// unreached) and the edge each reached state was first reached by,
// following only edges allowed (all when nil).
func (g *machineGraph) bfs(start int, allowed func(int) bool) ([]int, []*machineEdgeFrom) {
	n := len(g.states)
	dist := make([]int, n)
	for i := range dist {
		dist[i] = -1
	}
	parent := make([]*machineEdgeFrom, n)
	dist[start] = 0
	queue := []int{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for i := range g.out[v] {
			e := &g.out[v][i]
			if dist[e.to] >= 0 || allowed != nil && !allowed(e.to) {
				continue
			}
			dist[e.to] = dist[v] + 1
			parent[e.to] = &machineEdgeFrom{from: v, edge: e}
			queue = append(queue, e.to)
		}
	}
	return dist, parent
}

// machineEdgeFrom is an edge with its source.
type machineEdgeFrom struct {
	from int
	edge *machineEdge
}

// path returns the steps from the BFS's start to v.
func (g *machineGraph) path(parent []*machineEdgeFrom, v int) []TraceStep {
	var rev []TraceStep
	for parent[v] != nil {
		rev = append(rev, parent[v].edge.step)
		v = parent[v].from
	}
	steps := make([]TraceStep, len(rev))
	for i := range rev {
		steps[i] = rev[len(rev)-1-i]
	}
	return steps
}

// cycle returns the steps of a shortest cycle from v back to v through
// states in, which must hold one.
func (g *machineGraph) cycle(v int, in func(int) bool) []TraceStep {
	for i := range g.out[v] {
		if e := &g.out[v][i]; e.to == v {
			return []TraceStep{e.step}
		}
	}
	// The shortest path from v, inside the component, to a predecessor of
	// v, then the edge back.
	dist, parent := g.bfs(v, in)
	best := -1
	for u := range g.out {
		if !in(u) || dist[u] < 0 || best >= 0 && dist[u] >= dist[best] {
			continue
		}
		for _, e := range g.out[u] {
			if e.to == v {
				best = u
				break
			}
		}
	}
	steps := g.path(parent, best)
	for _, e := range g.out[best] {
		if e.to == v {
			return append(steps, e.step)
		}
	}
	return steps
}

// stateList spells states as a message lists them: "A", "A and B",
// "A, B and C".
func stateList(states []*State) string {
	names := make([]string, len(states))
	for i, st := range states {
		names[i] = st.Name
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// aggregateLiveness reports the traps of aggregate a (E045), unless it
// lives forever, and a lives forever it does not need (W017).
func (c *checker) aggregateLiveness(a *Aggregate, stateDecl func(*State) Position) {
	if a.Initial == nil {
		return
	}
	traps := aggregateGraph(a).traps()
	if a.LivesForever {
		if len(traps) == 0 {
			c.reportAt(a.LivesPos, codeNeedlessForever, "remove it",
				"aggregate %s says it lives forever, but every state it reaches leads to a final state", a.Name)
		}
		return
	}
	hasFinal := false
	for _, st := range a.States {
		hasFinal = hasFinal || st.Final
	}
	for _, t := range traps {
		t.trace.Aggregate = a
		sugg := "add a transition from one of them to a final state, or write lives forever in aggregate " + a.Name + " if it never ends"
		if !hasFinal {
			sugg = "mark the state it ends in final, or write lives forever in aggregate " + a.Name + " if it never ends"
		}
		t.trace.End = trapSentence(a.Name, t.states)
		d := newDiag(stateDecl(t.states[0]), codeCycleNeverEnds, trapMessage(t, "aggregate "+a.Name), sugg)
		d.Trace = t.trace
		c.diags = append(c.diags, d)
	}
}

// processLiveness reports the traps of process p (E045); E044 has
// already reported a process none of whose final states can be reached.
func (c *checker) processLiveness(p *Process, stateDecl func(*State) Position) {
	for _, t := range processGraph(p).traps() {
		t.trace.Process = p
		t.trace.End = trapSentence(p.Name, t.states)
		d := newDiag(stateDecl(t.states[0]), codeCycleNeverEnds, trapMessage(t, "process "+p.Name),
			"add a reaction or a timer that leads one of them to a final state")
		d.Trace = t.trace
		c.diags = append(c.diags, d)
	}
}

// trapSentence says what a trap is.
func trapSentence(machine string, states []*State) string {
	if len(states) == 1 {
		return fmt.Sprintf("%s is in %s, which leads only to itself: it can never reach a final state", machine, states[0].Name)
	}
	return fmt.Sprintf("%s is in %s, which lead only to each other: it can never reach a final state", machine, stateList(states))
}

// trapMessage is the message of E045.
func trapMessage(t trap, what string) string {
	if len(t.states) == 1 {
		return fmt.Sprintf("state %s of %s never ends: it leads only to itself, never to a final state, as in %s", t.states[0].Name, what, t.trace)
	}
	return fmt.Sprintf("states %s of %s never end: they lead only to each other, never to a final state, as in %s", stateList(t.states), what, t.trace)
}
